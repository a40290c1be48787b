"""Incident use cases."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.errors import InputError
from incident.model import Incident, IncidentStatus

OPEN_STATUSES = tuple(s.value for s in IncidentStatus if s not in (IncidentStatus.STOOD_DOWN, IncidentStatus.CANCELLED))


def open_incident(session: Session, actor: Actor, name: str, *, is_exercise: bool, summary: str = "") -> Incident:
    """A new incident on standby. Names repeat across days, never within one (two tabs, one double click)."""
    require(actor, Permission.INCIDENT_COMMAND)
    name = " ".join(name.split())
    if not name:
        raise InputError("An incident needs a name.")
    today = london(now()).date()
    clash = session.scalar(select(Incident.id).where(Incident.name == name, Incident.opened_on == today))
    if clash is not None:
        raise InputError(f"An incident named {name!r} was already opened today.")
    incident = Incident(
        name=name, is_exercise=is_exercise, summary=summary.strip(), opened_on=today, created_by_id=actor.user_id
    )
    session.add(incident)
    session.flush()
    record(session, actor, "create", "incident", incident.id, incident_id=incident.id)
    return incident


def incidents_for_picker(session: Session, actor: Actor) -> list[Incident]:
    """Open incidents first (live before exercise), then closed ones, newest first."""
    require(actor, Permission.INCIDENT_VIEW)
    rows = session.scalars(select(Incident).order_by(Incident.created_at.desc())).all()
    return sorted(rows, key=lambda i: (i.status not in OPEN_STATUSES, i.is_exercise))


def get_incident(session: Session, actor: Actor, incident_id: int) -> Incident:
    require(actor, Permission.INCIDENT_VIEW)
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise InputError(f"No incident {incident_id}.")
    return incident
