"""Reads the pathways services share: a person, an incident or one of their rows by id — each only
for someone allowed to work in its incident (caseworkers: its team) — people's and users' names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.model import User
from core.auth.roles import Actor, Permission, Role, require
from core.errors import InputError
from incident.access import require_incident_access
from incident.queries import IncidentFacts, incident_facts, is_on_team
from pathways.model import (
    Person,
)
from pathways.retention import is_erased

Row = TypeVar("Row")


def person_or_refuse(session: Session, actor: Actor, person_id: int, *, open_only: bool = False) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise InputError(f"No person with record number {person_id}.")
    require_incident_access(session, actor, person.incident_id)  # before anything about them is said
    if is_erased(person):
        raise InputError(f"Record {person_id} was anonymised under the retention policy: its details are gone "
                         "(the erasure log says when).")
    if person.merged_into_id is not None and open_only:
        raise InputError(f"Record {person_id} was merged into record {person.merged_into_id}; work on that one.")
    if open_only and person.status != "open":
        raise InputError(f"{person.given_name} {person.family_name} has been discharged; reopen the case first.")
    return person


def incident_or_refuse(session: Session, actor: Actor, incident_id: int | None) -> IncidentFacts:
    incident = incident_facts(session, incident_id)
    if incident is None:
        raise InputError("Choose an incident first (the picker in the sidebar).")
    require_incident_access(session, actor, incident.id)
    return incident


def row_or_refuse(session: Session, actor: Actor, model: type[Row], row_id: int, what: str) -> Row:
    """A screening, alert, referral, consent or complaint by id, for someone who may work in its
    person's incident."""
    row = session.get(model, row_id)
    if row is None:
        raise InputError(f"No {what} {row_id}.")
    incident_id = getattr(row, "incident_id", None)
    if incident_id is None:  # a consent hangs from its person
        incident_id = session.scalar(select(Person.incident_id).where(Person.id == row.person_id))
    require_incident_access(session, actor, incident_id)
    return row


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name, User.username).where(User.id.in_(wanted)))
    return {uid: name or username for uid, name, username in rows}


def person_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(select(Person.id, Person.given_name, Person.family_name).where(Person.id.in_(wanted)))
    return {pid: f"{given} {family}" for pid, given, family in rows}


def require_any(actor: Actor, *permissions: Permission) -> None:
    """Pages both caseworkers and administrators read (pathway definitions, item text)."""
    if not any(actor.can(p) for p in permissions):
        require(actor, permissions[0])


def caseworker_or_refuse(session: Session, user_id: int, incident_id: int, *, as_what: str = "A key worker") -> User:
    user = session.get(User, user_id)
    if user is None or user.role != Role.CASEWORKER.value or not user.active:
        raise InputError(f"{as_what} must be an active caseworker.")
    if not is_on_team(session, incident_id, user_id):
        raise InputError(f"{user.display_name or user.username} is not on this incident's team, so could not see "
                         "the person; Gold Command or an administrator adds them on Incident team.")
    return user
