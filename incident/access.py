"""Which incidents a person may work in. Caseworkers see only the incidents they are on the team
of, now (issue 8, scoping); every other role sees every incident (agency coordinators are scoped
by agency where their data lives). Every service that reads or changes an incident's people
calls `require_incident_access` first."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.auth.roles import Actor, PermissionDenied, Role
from incident.queries import is_on_team, team_incident_ids


def _is_scoped(actor: Actor) -> bool:
    return not actor.is_system and actor.role == Role.CASEWORKER


def require_incident_access(session: Session, actor: Actor, incident_id: int) -> None:
    """Refuse a caseworker who is not (or no longer) on this incident's team."""
    if not _is_scoped(actor):
        return
    if not is_on_team(session, incident_id, actor.user_id):
        raise PermissionDenied(
            "You are not on this incident's team. Ask Gold Command or an administrator to add you.")


def accessible_incident_ids(session: Session, actor: Actor) -> set[int] | None:
    """The incidents this person may work in now; None means every incident."""
    if not _is_scoped(actor):
        return None
    return set(session.scalars(team_incident_ids(actor.user_id)))
