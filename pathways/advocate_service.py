"""The Independent Public Advocate (Victims and Prisoners Act 2024, Part 2). Gold records the
Secretary of State's declaration of the incident as a major incident and the advocate appointed;
the advocate then sees the records of exactly those victims who consented to share with them (a
withdrawal takes effect at the advocate's next click: consent is read on every call), read-only and
audited, logs the requests they make to public authorities and the victims each concerns, and
exports that record for their report (a disclosure: the recipient is named)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record, record_opening
from core.auth.model import User
from core.auth.roles import Actor, Permission, PermissionDenied, Role, require
from core.clock import london, now
from core.csv_safe import write_csv
from core.errors import InputError
from core.typed_text import free_text, one_line
from pathways.consent_service import consent_state
from pathways.justice_queries import milestone_title
from pathways.lookups import incident_or_refuse, user_names
from pathways.model import (
    AdvocateAppointment,
    AdvocateRequest,
    AdvocateRequestPerson,
    Consent,
    InformTask,
    JusticeMilestone,
    Person,
)
from pathways.vocabulary import Purpose, label


@dataclass(frozen=True)
class Appointment:
    declared_on: date
    declaration: str
    advocate_user_id: int
    advocate: str
    appointed_on: date


def appoint_advocate(session: Session, actor: Actor, incident_id: int | None, *, declared_on: date | None,
                     declaration: str, advocate_user_id: int | None, appointed_on: date | None) -> Appointment:
    """Gold records the declaration and the appointment (a later entry replaces them: a new advocate)."""
    require(actor, Permission.INCIDENT_COMMAND)
    incident = incident_or_refuse(session, actor, incident_id)
    declaration = one_line(declaration, "The declaration", 200).strip()
    if declared_on is None or not declaration:
        raise InputError("Give the date and the reference of the Secretary of State's declaration.")
    if appointed_on is None:
        raise InputError("Give the date the advocate was appointed.")
    today = london(now()).date()
    if declared_on > today or appointed_on > today:
        raise InputError("A declaration or an appointment is recorded once made: its date cannot be in the future.")
    if appointed_on < declared_on:
        raise InputError("An advocate is appointed for a declared incident: on or after the declaration's date.")
    advocate = session.get(User, advocate_user_id) if advocate_user_id is not None else None
    if advocate is None or advocate.role != Role.ADVOCATE.value or not advocate.active:
        raise InputError("Choose the advocate's Stand Up account (an active account with the advocate role; an "
                         "administrator adds it on Users).")
    row = session.get(AdvocateAppointment, incident.id)
    if row is None:
        row = AdvocateAppointment(incident_id=incident.id)
        session.add(row)
    row.declared_on, row.declaration, row.advocate_user_id, row.appointed_on = (
        declared_on, declaration, advocate.id, appointed_on)
    row.recorded_at, row.recorded_by_id = now(), actor.user_id
    session.flush()
    record(session, actor, "appoint_advocate", "incident", incident.id, incident_id=incident.id,
           detail=f"declared {declared_on:%Y-%m-%d}; advocate user {advocate.id} appointed {appointed_on:%Y-%m-%d}")
    return _appointment(session, row)


def _appointment(session: Session, row: AdvocateAppointment) -> Appointment:
    return Appointment(row.declared_on, row.declaration, row.advocate_user_id,
                       user_names(session, [row.advocate_user_id]).get(row.advocate_user_id, ""), row.appointed_on)


def advocate_accounts(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The active accounts with the advocate role, for Gold to choose the appointed one."""
    require(actor, Permission.INCIDENT_COMMAND)
    return [(u.id, u.display_name or u.username) for u in session.scalars(
        select(User).where(User.role == Role.ADVOCATE.value, User.active).order_by(User.display_name))]


def appointment_of(session: Session, actor: Actor, incident_id: int | None) -> Appointment | None:
    """The incident's declaration and advocate, for Gold and for the advocate."""
    if not actor.can(Permission.ADVOCATE_WORK):
        require(actor, Permission.INCIDENT_COMMAND)
    incident = incident_or_refuse(session, actor, incident_id)
    row = session.get(AdvocateAppointment, incident.id)
    return None if row is None else _appointment(session, row)


def _as_the_advocate(session: Session, actor: Actor, incident_id: int | None) -> int:
    """The incident's id, for its appointed advocate only."""
    require(actor, Permission.ADVOCATE_WORK)
    incident = incident_or_refuse(session, actor, incident_id)
    row = session.get(AdvocateAppointment, incident.id)
    if not actor.is_system and (row is None or row.advocate_user_id != actor.user_id):
        raise PermissionDenied("You are not the Independent Public Advocate appointed for this incident.")
    return incident.id


def _consenting(session: Session, incident_id: int) -> list[Person]:
    """The incident's people whose current decision is to share with the advocate."""
    asked = select(Consent.person_id).where(Consent.purpose == Purpose.ADVOCATE.value)
    candidates = session.scalars(select(Person).where(
        Person.incident_id == incident_id, Person.merged_into_id.is_(None), Person.id.in_(asked))
        .order_by(Person.family_key, Person.given_key, Person.id))
    return [p for p in candidates if consent_state(session, p.id, Purpose.ADVOCATE).given]


@dataclass(frozen=True)
class VictimLine:
    person_id: int
    name: str
    roles: str


def advocate_victims(session: Session, actor: Actor, incident_id: int | None) -> list[VictimLine]:
    incident_id = _as_the_advocate(session, actor, incident_id)
    people = _consenting(session, incident_id)
    record(session, actor, "view", "person", incident_id=incident_id, reason="advocate's list",
           detail=f"advocate's list: {len(people)} consenting victims (names, roles)")
    return [VictimLine(p.id, f"{p.given_name} {p.family_name}",
                       ", ".join(label(r) for r in p.roles.split(",") if r)) for p in people]


@dataclass(frozen=True)
class VictimRecord:
    """What the advocate reads of a victim: who they are and how to reach them, their key worker,
    and the justice process as they were told of it. Nothing clinical."""

    person_id: int
    name: str
    roles: str
    mobile: str
    email: str
    key_worker: str
    justice: list[tuple[str, date | None]]  # (milestone, told on)
    requests: list[str]  # the authority and date of each request concerning them


def advocate_view(session: Session, actor: Actor, incident_id: int | None, person_id: int) -> VictimRecord:
    """One consenting victim's record, read-only; each opening audited. Refused, and nothing shown,
    for someone who did not consent (or withdrew)."""
    incident_id = _as_the_advocate(session, actor, incident_id)
    person = session.get(Person, person_id)
    if (person is None or person.incident_id != incident_id or person.merged_into_id is not None
            or not consent_state(session, person.id, Purpose.ADVOCATE).given):
        raise PermissionDenied("This person has not consented to share their record with the advocate (or has "
                               "withdrawn their consent).")
    record_opening(session, actor, "person", person.id, reason="Independent Public Advocate",
                   incident_id=incident_id, detail="advocate's read-only view (identity, contact, justice process)")
    told = session.execute(select(JusticeMilestone.kind, JusticeMilestone.occurred_on, InformTask.told_on)
                           .join(InformTask, InformTask.milestone_id == JusticeMilestone.id)
                           .where(InformTask.person_id == person.id).order_by(JusticeMilestone.occurred_on))
    asked = session.execute(select(AdvocateRequest.authority, AdvocateRequest.asked_on)
                            .join(AdvocateRequestPerson, AdvocateRequestPerson.request_id == AdvocateRequest.id)
                            .where(AdvocateRequestPerson.person_id == person.id).order_by(AdvocateRequest.asked_on))
    return VictimRecord(
        person.id, f"{person.given_name} {person.family_name}",
        ", ".join(label(r) for r in person.roles.split(",") if r), person.mobile or "", person.email,
        user_names(session, [person.key_worker_id]).get(person.key_worker_id, "") if person.key_worker_id else "",
        [(milestone_title(kind, on), told_on) for kind, on, told_on in told],
        [f"{authority}, {on:%d/%m/%Y}" for authority, on in asked])


@dataclass(frozen=True)
class NewRequest:
    authority: str
    what: str
    asked_on: date | None
    due_on: date | None = None
    person_ids: tuple[int, ...] = ()


def log_request(session: Session, actor: Actor, incident_id: int | None, new: NewRequest) -> AdvocateRequest:
    incident_id = _as_the_advocate(session, actor, incident_id)
    authority = one_line(new.authority, "The public authority", 200).strip()
    what = free_text(new.what, "What was asked", 2000).strip()
    if not authority or not what:
        raise InputError("Say which public authority was asked, and what.")
    if new.asked_on is None:
        raise InputError("Give the date it was asked.")
    if new.due_on is not None and new.due_on < new.asked_on:
        raise InputError("The answer cannot be due before the request was made.")
    consenting = {p.id for p in _consenting(session, incident_id)}
    if not new.person_ids:
        raise InputError("Choose the victims the request concerns.")
    if outside := [pid for pid in new.person_ids if pid not in consenting]:
        raise InputError(f"Record {outside[0]} is not a victim who consented to share with the advocate.")
    row = AdvocateRequest(incident_id=incident_id, authority=authority, what=what, asked_on=new.asked_on,
                          due_on=new.due_on, recorded_at=now(), recorded_by_id=actor.user_id)
    session.add(row)
    session.flush()
    session.add_all(AdvocateRequestPerson(request_id=row.id, person_id=pid) for pid in dict.fromkeys(new.person_ids))
    record(session, actor, "create", "advocate_request", row.id, incident_id=incident_id,
           detail=f"fields: authority, what, asked_on, due_on; {len(set(new.person_ids))} victims")
    return row


def record_answer(session: Session, actor: Actor, incident_id: int | None, request_id: int, *,
                  answered_on: date | None, answer: str) -> AdvocateRequest:
    incident_id = _as_the_advocate(session, actor, incident_id)
    row = session.get(AdvocateRequest, request_id)
    if row is None or row.incident_id != incident_id:
        raise InputError(f"No request {request_id} in this incident.")
    if answered_on is None or answered_on < row.asked_on:
        raise InputError("Give the date it was answered (on or after the day it was asked).")
    row.answered_on, row.answer = answered_on, free_text(answer, "The answer", 2000)
    record(session, actor, "update", "advocate_request", row.id, incident_id=incident_id,
           detail="fields: answered_on, answer")
    return row


@dataclass(frozen=True)
class RequestLine:
    request_id: int
    authority: str
    what: str
    asked_on: date
    due_on: date | None
    answered_on: date | None
    answer: str
    victims: str  # names of the consenting victims it concerns
    overdue: bool


def advocate_requests(session: Session, actor: Actor, incident_id: int | None) -> list[RequestLine]:
    """The request log; a victim who withdrew consent is no longer named in it."""
    incident_id = _as_the_advocate(session, actor, incident_id)
    names = {p.id: f"{p.given_name} {p.family_name}" for p in _consenting(session, incident_id)}
    rows = list(session.scalars(select(AdvocateRequest).where(AdvocateRequest.incident_id == incident_id)
                                .order_by(AdvocateRequest.asked_on, AdvocateRequest.id)))
    links: dict[int, list[int]] = {}
    for request_id, person_id in session.execute(select(AdvocateRequestPerson.request_id,
                                                        AdvocateRequestPerson.person_id)
                                                 .where(AdvocateRequestPerson.request_id.in_([r.id for r in rows]))):
        links.setdefault(request_id, []).append(person_id)
    today = london(now()).date()
    return [RequestLine(r.id, r.authority, r.what, r.asked_on, r.due_on, r.answered_on, r.answer,
                        "; ".join(names[p] for p in sorted(links.get(r.id, [])) if p in names),
                        r.answered_on is None and r.due_on is not None and r.due_on < today) for r in rows]


def export_requests(session: Session, actor: Actor, incident_id: int | None, recipient: str) -> str:
    """The request log as CSV for the advocate's report: a disclosure, its recipient audited."""
    incident_id = _as_the_advocate(session, actor, incident_id)  # who may, before what they typed
    recipient = one_line(recipient, "The recipient", 200).strip()
    if not recipient:
        raise InputError("Say who the export is for (for the audit trail), e.g. the Secretary of State's office.")
    lines = advocate_requests(session, actor, incident_id)
    text = write_csv(([r.authority, r.what, f"{r.asked_on:%Y-%m-%d}", f"{r.due_on:%Y-%m-%d}" if r.due_on else "",
                       f"{r.answered_on:%Y-%m-%d}" if r.answered_on else "", r.answer, r.victims] for r in lines),
                     ["authority", "asked", "asked on", "due on", "answered on", "answer", "victims"])
    record(session, actor, "export", "advocate_request", incident_id=incident_id,
           recipient=recipient, detail=f"advocate's request log: {len(lines)} requests (CSV)")
    return text
