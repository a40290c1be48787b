"""The incident team: which caseworkers work in an incident. Gold Command and administrators
assign and remove them; a removal keeps the row (who, when, why), so the incident's history of
who could see its people survives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.model import User
from core.auth.roles import Actor, Permission, Role, require
from core.clock import now
from core.errors import InputError
from core.typed_text import free_text
from incident.access import require_incident_access
from incident.lifecycle_service import actor_name, lock_incident
from incident.model import IncidentTeamMember
from incident.queries import team_member_ids


@dataclass(frozen=True)
class TeamMember:
    user_id: int
    name: str
    username: str
    assigned_at: datetime
    assigned_by: str
    removed_at: datetime | None
    removed_by: str
    removal_reason: str

    @property
    def current(self) -> bool:
        return self.removed_at is None


def _open_membership(session: Session, incident_id: int, user_id: int) -> IncidentTeamMember | None:
    return session.scalar(select(IncidentTeamMember).where(
        IncidentTeamMember.incident_id == incident_id, IncidentTeamMember.user_id == user_id,
        IncidentTeamMember.removed_at.is_(None)))


def assign_to_team(session: Session, actor: Actor, incident_id: int, user_id: int | None) -> IncidentTeamMember:
    """Put a caseworker on the incident's team: from now on they see its people."""
    require(actor, Permission.INCIDENT_TEAM)
    if user_id is None:
        raise InputError("Choose a caseworker to add.")
    lock_incident(session, incident_id)  # a double click assigns once
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise InputError("That account does not exist or is disabled.")
    if user.role != Role.CASEWORKER.value:
        raise InputError(f"{user.display_name or user.username} is not a caseworker; only caseworkers are "
                         "assigned to incidents (every other role sees every incident).")
    if _open_membership(session, incident_id, user_id) is not None:
        raise InputError(f"{user.display_name or user.username} is already on this incident's team.")
    member = IncidentTeamMember(incident_id=incident_id, user_id=user_id, assigned_at=now(),
                                assigned_by_id=actor.user_id, assigned_by_name=actor_name(actor))
    session.add(member)
    session.flush()
    record(session, actor, "assign", "incident_team_member", member.id, incident_id=incident_id,
           detail=f"user {user_id}")
    return member


def remove_from_team(session: Session, actor: Actor, incident_id: int, user_id: int,
                     reason: str = "") -> IncidentTeamMember:
    """Take a caseworker off the team: they stop seeing the incident at once; the row stays."""
    require(actor, Permission.INCIDENT_TEAM)
    reason = free_text(reason, "The reason", 1000)
    lock_incident(session, incident_id)
    member = _open_membership(session, incident_id, user_id)
    if member is None:
        raise InputError("That person is not on this incident's team.")
    member.removed_at, member.removed_by_id, member.removed_by_name = now(), actor.user_id, actor_name(actor)
    member.removal_reason = reason
    session.flush()
    record(session, actor, "remove", "incident_team_member", member.id, incident_id=incident_id,
           reason=member.removal_reason, detail=f"user {user_id}")
    return member


def incident_team(session: Session, actor: Actor, incident_id: int) -> list[TeamMember]:
    """Everyone who is or was on the team: current members first, then the history, newest first."""
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    rows = session.execute(
        select(IncidentTeamMember, User).join(User, User.id == IncidentTeamMember.user_id)
        .where(IncidentTeamMember.incident_id == incident_id)
        .order_by(IncidentTeamMember.removed_at.is_not(None), IncidentTeamMember.id.desc())
    ).all()
    return [TeamMember(m.user_id, u.display_name or u.username, u.username, m.assigned_at, m.assigned_by_name,
                       m.removed_at, m.removed_by_name, m.removal_reason) for m, u in rows]


def caseworkers_to_assign(session: Session, actor: Actor, incident_id: int) -> list[tuple[int, str]]:
    """Active caseworkers not on the team now, as (user id, name) for the picker."""
    require(actor, Permission.INCIDENT_TEAM)
    users = session.scalars(select(User).where(User.role == Role.CASEWORKER.value, User.active.is_(True),
                                               User.id.not_in(team_member_ids(incident_id)))
                            .order_by(User.display_name, User.username))
    return [(u.id, f"{u.display_name or u.username} ({u.username})") for u in users]
