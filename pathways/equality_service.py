"""A person's equality-monitoring answers (sex, ethnic group, disability), each optional, and the day
their communication needs (interpreter, easy read: Victims' Code right 1) were met."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.errors import InputError
from pathways.equality_monitoring import refusal
from pathways.lookups import person_or_refuse
from pathways.model import Person


def save_equality_monitoring(session: Session, actor: Actor, person_id: int, *, sex: str | None,
                             ethnic_group: str | None, disability: str | None) -> Person:
    """Stores the answers given; an empty answer is "not recorded" (the person need not answer)."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    answers = {"sex": sex or None, "ethnic_group": ethnic_group or None, "disability": disability or None}
    if problem := refusal(**answers):
        raise InputError(problem)
    changed = [name for name, value in answers.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, answers[name])
    # Names the fields only: the answers are special-category data.
    record(session, actor, "update", "person", person.id, incident_id=person.incident_id,
           detail="equality monitoring; fields: " + (", ".join(changed) or "none"))
    return person


def record_communication_met(session: Session, actor: Actor, person_id: int, met_on: date | None = None) -> Person:
    """The day an interpreter or easy-read material was first given to a person who needs one (today
    unless given)."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    if not (person.interpreter_needed or person.easy_read):
        raise InputError("No interpreter or easy-read need is recorded for this person: nothing to meet.")
    today = london(now()).date()
    met_on = today if met_on is None else met_on
    registered_on = london(person.registered_at).date()
    if met_on > today:
        raise InputError(f"{met_on:%d/%m/%Y} is in the future: record it once it has happened.")
    if met_on < registered_on:
        raise InputError(f"{met_on:%d/%m/%Y} is before this person was registered ({registered_on:%d/%m/%Y}).")
    person.communication_met_on = met_on
    record(session, actor, "update", "person", person.id, incident_id=person.incident_id,
           detail="fields: communication_met_on")
    return person
