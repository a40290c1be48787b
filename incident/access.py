"""Which incidents a person may work in. Caseworkers see only the incidents they are on the team
of, now (issue 8, scoping); every other role sees every incident (agency coordinators are scoped
by agency where their data lives). Every service that reads or changes an incident's people
calls `require_incident_access` first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.roles import Actor, PermissionDenied, Role
from incident.model import IncidentTeamMember


def _is_scoped(actor: Actor) -> bool:
    return not actor.is_system and actor.role == Role.CASEWORKER


def _current_membership():
    return select(IncidentTeamMember.incident_id).where(IncidentTeamMember.removed_at.is_(None))


def require_incident_access(session: Session, actor: Actor, incident_id: int) -> None:
    """Refuse a caseworker who is not (or no longer) on this incident's team."""
    if not _is_scoped(actor):
        return
    on_team = session.scalar(_current_membership().where(
        IncidentTeamMember.incident_id == incident_id, IncidentTeamMember.user_id == actor.user_id).limit(1))
    if on_team is None:
        raise PermissionDenied(
            "You are not on this incident's team. Ask Gold Command or an administrator to add you.")


def accessible_incident_ids(session: Session, actor: Actor) -> set[int] | None:
    """The incidents this person may work in now; None means every incident."""
    if not _is_scoped(actor):
        return None
    return set(session.scalars(_current_membership().where(IncidentTeamMember.user_id == actor.user_id)))
