"""Incident use cases: open, declare, move through the lifecycle, read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.errors import InputError
from core.typed_text import free_text, one_line
from incident.access import accessible_incident_ids, require_incident_access
from incident.lifecycle import CLOSED, check_incident_move, is_closed
from incident.model import Incident, IncidentStatus, IncidentStatusChange

OPEN_STATUSES = tuple(s.value for s in IncidentStatus if s not in CLOSED)


class NameTakenToday(InputError):
    """An incident of this name was opened today already."""


def actor_name(actor: Actor) -> str:
    """How a person is named in the incident's records."""
    return actor.display_name or actor.username


def open_incident(session: Session, actor: Actor, name: str, *, is_exercise: bool | None,
                  summary: str = "") -> Incident:
    """A new incident on standby. Names repeat across days, never within one (two tabs, one double click)."""
    require(actor, Permission.INCIDENT_COMMAND)
    if is_exercise is None:  # never guessed: exercise data must not mix with live
        raise InputError("Say whether this incident is live or an exercise.")
    name = one_line(" ".join(name.split()), "The incident's name", 160)
    if not name:
        raise InputError("An incident needs a name.")
    summary = free_text(summary, "The summary")
    today = london(now()).date()
    taken = NameTakenToday(f"An incident named {name!r} was already opened today; choose another name.")
    if _name_taken(session, name, today):
        raise taken
    incident = Incident(
        name=name, is_exercise=is_exercise, summary=summary, opened_on=today, created_by_id=actor.user_id
    )
    try:
        with session.begin_nested():  # another tab's incident of this name may land between check and insert
            session.add(incident)
            session.flush()
    except IntegrityError:
        if _name_taken(session, name, today):
            raise taken from None
        raise
    _log_status(session, actor, incident, "", IncidentStatus.STANDBY.value, "opened")
    record(session, actor, "create", "incident", incident.id, incident_id=incident.id)
    return incident


def _name_taken(session: Session, name: str, day) -> bool:
    return session.scalar(select(Incident.id).where(Incident.name == name, Incident.opened_on == day)) is not None


def declare_incident(session: Session, actor: Actor, name: str, *, is_exercise: bool | None, summary: str,
                     reason: str) -> Incident:
    """Open an incident and declare it in one step (the usual case at 2 a.m.)."""
    incident = open_incident(session, actor, name, is_exercise=is_exercise, summary=summary)
    return change_status(session, actor, incident.id, IncidentStatus.DECLARED.value, reason)


def lock_incident(session: Session, incident_id: int) -> Incident:
    """The incident row, locked until the unit of work ends, so appends to its numbered
    histories (decision log, M/ETHANE versions) queue instead of racing. SQLite units of work
    already hold the write lock (BEGIN IMMEDIATE)."""
    incident = session.scalar(select(Incident).where(Incident.id == incident_id).with_for_update(key_share=True))
    if incident is None:
        raise InputError(f"No incident {incident_id}.")
    return incident


def change_status(session: Session, actor: Actor, incident_id: int, target: str, reason: str) -> Incident:
    """Move the incident one step along its lifecycle, saying why."""
    require(actor, Permission.INCIDENT_COMMAND)
    reason = free_text(reason, "The reason", 1000)
    incident = lock_incident(session, incident_id)
    check_incident_move(incident.status, target)
    if not reason:
        raise InputError("Say why the status changes: the inquiry reads this log.")
    previous, incident.status = incident.status, target
    at = now()
    if target == IncidentStatus.DECLARED.value:
        incident.declared_at = at
    if is_closed(target):
        incident.closed_at = at
    _log_status(session, actor, incident, previous, target, reason, at=at)
    record(session, actor, "status", "incident", incident.id, incident_id=incident.id, reason=reason,
           detail=f"{previous} -> {target}")
    return incident


def _log_status(session: Session, actor: Actor, incident: Incident, previous: str, target: str, reason: str,
                *, at=None) -> None:
    session.add(IncidentStatusChange(incident_id=incident.id, from_status=previous, to_status=target,
                                     at=at or now(), by_user_id=actor.user_id, by_name=actor_name(actor),
                                     reason=reason))
    session.flush()


def status_history(session: Session, actor: Actor, incident_id: int) -> list[IncidentStatusChange]:
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    return list(session.scalars(select(IncidentStatusChange).where(IncidentStatusChange.incident_id == incident_id)
                                .order_by(IncidentStatusChange.id)))


def incidents_for_picker(session: Session, actor: Actor) -> list[Incident]:
    """Open incidents first (live before exercise), then closed ones, newest first; a caseworker's
    only the incidents they are on the team of."""
    require(actor, Permission.INCIDENT_VIEW)
    query = select(Incident).order_by(Incident.created_at.desc())
    if (allowed := accessible_incident_ids(session, actor)) is not None:
        query = query.where(Incident.id.in_(allowed))
    rows = session.scalars(query).all()
    return sorted(rows, key=lambda i: (i.status not in OPEN_STATUSES, i.is_exercise))


def get_incident(session: Session, actor: Actor, incident_id: int) -> Incident:
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise InputError(f"No incident {incident_id}.")
    return incident


def open_incident_or_refuse(session: Session, incident_id: int, doing: str) -> Incident:
    """The incident, locked, unless it is closed: a stood-down incident takes no new work."""
    incident = lock_incident(session, incident_id)
    if is_closed(incident.status):
        raise InputError(f"This incident is {incident.status.replace('_', ' ')}; {doing} is no longer possible.")
    return incident
