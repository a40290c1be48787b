"""What the other domains may read of pathways' people: plain facts, never the rows. outreach
imports this module, not pathways.model (an import-linter contract in pyproject.toml). A new need
is a new function here, named for what it answers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pathways.consent_rules import may_text
from pathways.consent_service import consent_state
from pathways.instruments import instrument_named
from pathways.model import InstrumentItemText, Person
from pathways.person_replies import people_with
from pathways.retention import ERASED
from pathways.vocabulary import Purpose


@dataclass(frozen=True)
class Reachable:
    """A registered person and how they can be reached."""

    id: int
    given_name: str
    family_name: str
    email: str  # lower case; "" when none
    mobile: str | None  # E.164


def people_reachable_at(session: Session, incident_id: int, emails: Collection[str],
                        mobiles: Collection[str]) -> list[Reachable]:
    """The incident's people whose email (in any case) or mobile is one of these, each once: a merged
    duplicate is found through the record that carries on, an anonymised record never. One read of
    the incident's people with an email or a mobile, matched here: cheaper than thousands of IN lists."""
    if not emails and not mobiles:
        return []
    emails, mobiles = set(emails), set(mobiles)
    rows = session.execute(select(Person.id, Person.given_name, Person.family_name, Person.email, Person.mobile)
                           .where(Person.incident_id == incident_id, Person.merged_into_id.is_(None),
                                  Person.family_name != ERASED, or_(Person.email != "", Person.mobile.is_not(None)))
                           .order_by(Person.id))
    found = []
    for person_id, given, family, email, mobile in rows:
        email = (email or "").lower()
        if email in emails or (mobile is not None and mobile in mobiles):
            found.append(Reachable(person_id, given, family, email, mobile))
    return found


@dataclass(frozen=True)
class CaseFacts:
    id: int
    incident_id: int
    status: str  # open, discharged
    date_of_birth: date | None
    nation: str


def case_facts(session: Session, person_id: int) -> CaseFacts | None:
    person = session.get(Person, person_id)
    if person is None or person.family_name == ERASED:
        return None
    return CaseFacts(person.id, person.incident_id, person.status, person.date_of_birth, person.nation)


def carried_on_by(session: Session, person_id: int) -> int | None:
    """The record a person's details now live in: theirs, or the one it was merged into (at any
    depth); None when it was anonymised."""
    seen: set[int] = set()
    while person_id not in seen:
        seen.add(person_id)
        row = session.execute(select(Person.merged_into_id, Person.family_name).where(Person.id == person_id)).first()
        if row is None or row.family_name == ERASED:
            return None
        if row.merged_into_id is None:
            return person_id
        person_id = row.merged_into_id
    return None


def item_wording(session: Session, instrument: str) -> list[str]:
    """The wording of each item of a questionnaire: shipped with it, loaded by an administrator
    (the licensed ones), or just the item number until then. ValueError for an unknown one."""
    form = instrument_named(instrument)
    if form.item_text:
        return list(form.item_text)
    loaded = dict(session.execute(select(InstrumentItemText.item, InstrumentItemText.text)
                                  .where(InstrumentItemText.instrument == instrument)).all())
    return [loaded.get(n, f"Item {n}") for n in range(1, form.item_count + 1)]


@dataclass(frozen=True)
class FeedbackCandidate:
    """A person who may be due a feedback survey: registered, or discharged, within the times asked."""

    id: int
    incident_id: int
    mobile: str | None  # E.164
    registered_at: datetime
    discharged_at: datetime | None  # while the case is closed


def people_registered_or_discharged(session: Session, *, registered_from: datetime, registered_to: datetime,
                                    discharged_since: datetime) -> list[FeedbackCandidate]:
    """The people (records that carry on, not anonymised) registered in [registered_from, registered_to),
    or whose case was closed at or after `discharged_since` and is still closed, by id."""
    rows = session.execute(
        select(Person.id, Person.incident_id, Person.mobile, Person.registered_at, Person.discharged_at)
        .where(Person.merged_into_id.is_(None), Person.family_name != ERASED,
               or_((Person.registered_at >= registered_from) & (Person.registered_at < registered_to),
                   (Person.status == "discharged") & (Person.discharged_at >= discharged_since)))
        .order_by(Person.id))
    return [FeedbackCandidate(*row) for row in rows]


def may_text_person(session: Session, person_id: int, mobile: str | None) -> bool:
    """Whether the person agreed to texts (their current SMS consent, a merged duplicate's refusal
    included) and has a mobile to send them to."""
    return may_text(consent_state(session, person_id, Purpose.SMS), mobile)


def person_ids_at_mobile(session: Session, mobile: str) -> list[int]:
    """The people whose record (the one that carries on, not anonymised) has this mobile (E.164)."""
    return [person.id for person in people_with(session, mobile)]
