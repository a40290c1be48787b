"""Reads the pathways services share: a person by id, an incident's start, people's and users' names."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.model import User
from core.auth.roles import Actor, Permission, require
from core.errors import InputError
from incident.model import Incident
from pathways.model import Person
from pathways.retention import is_erased


def person_or_refuse(session: Session, person_id: int, *, open_only: bool = False) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise InputError(f"No person with record number {person_id}.")
    if is_erased(person):
        raise InputError(f"Record {person_id} was anonymised under the retention policy: its details are gone "
                         "(the erasure log says when).")
    if person.merged_into_id is not None and open_only:
        raise InputError(f"Record {person_id} was merged into record {person.merged_into_id}; work on that one.")
    if open_only and person.status != "open":
        raise InputError(f"{person.given_name} {person.family_name} has been discharged; reopen the case first.")
    return person


def incident_or_refuse(session: Session, incident_id: int | None) -> Incident:
    incident = session.get(Incident, incident_id) if incident_id is not None else None
    if incident is None:
        raise InputError("Choose an incident first (the picker in the sidebar).")
    return incident


def incident_started_at(incident: Incident) -> datetime:
    return incident.declared_at or incident.created_at


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
