"""Reads the outreach services share: an incident or a cohort, each only for someone allowed to work
in its incident (caseworkers: its team)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.roles import Actor
from core.errors import InputError
from core.typed_text import one_line
from incident.access import require_incident_access
from incident.queries import IncidentFacts, incident_facts
from outreach.model import Cohort


def incident_or_refuse(session: Session, actor: Actor, incident_id: int | None) -> IncidentFacts:
    incident = incident_facts(session, incident_id)
    if incident is None:
        raise InputError("Choose an incident first (the picker in the sidebar)." if incident_id is None
                         else f"There is no incident {incident_id}.")
    require_incident_access(session, actor, incident.id)
    return incident


def cohort_named(session: Session, incident_id: int, name: str, *, lock: bool = False) -> Cohort | None:
    q = select(Cohort).where(Cohort.incident_id == incident_id, Cohort.name == name)
    return session.scalar(q.with_for_update() if lock else q)


def cohort_or_refuse(session: Session, actor: Actor, incident_id: int | None, name: str, *,
                     lock: bool = False) -> Cohort:
    incident = incident_or_refuse(session, actor, incident_id)
    cohort = cohort_named(session, incident.id, one_line(" ".join((name or "").split()), "The cohort name", 120),
                          lock=lock)
    if cohort is None:
        known = session.scalars(select(Cohort.name).where(Cohort.incident_id == incident.id).order_by(Cohort.name))
        raise InputError(f"Incident {incident.id} has no cohort {name!r}; its cohorts: "
                         + (", ".join(known) or "none yet (import a list first)"))
    return cohort
