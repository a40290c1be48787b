"""What the other domains may read of pathways' people: plain facts, never the rows. outreach
imports this module, not pathways.model (an import-linter contract in pyproject.toml). A new need
is a new function here, named for what it answers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.clock import london
from pathways.compliance_rules import Outcome, by_case_close, by_deadline
from pathways.equality_monitoring import age_band, answer_group, ethnicity_group
from pathways.instrument_translation import Translation, translation_from_lines
from pathways.instruments import instrument_named
from pathways.justice_rules import CODE_RIGHT, clock_starts
from pathways.model import (
    Complaint,
    Consent,
    EnhancedRightsAssessment,
    InformTask,
    InstrumentItemText,
    InstrumentTranslation,
    JusticeMilestone,
    NeedsAssessment,
    Person,
    PersonMessage,
)
from pathways.person_replies import people_with
from pathways.retention import ERASED
from pathways.victims_code import LONDON, answer_due
from pathways.vocabulary import Purpose, contact_by_label


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


def translated_wording(session: Session, instrument: str, language: str) -> Translation | None:
    """The questionnaire's translation into `language` an administrator loaded, or None (then it is
    shown in English, marked). ValueError for an unknown instrument."""
    form = instrument_named(instrument)
    lines = session.scalar(select(InstrumentTranslation.lines).where(
        InstrumentTranslation.instrument == instrument, InstrumentTranslation.language == language))
    return translation_from_lines(form, lines.split("\n")) if lines is not None else None


@dataclass(frozen=True)
class CodeCase:
    """One case of one Victims' Code right the tool measures (pathways.compliance_rules), with the
    person's equality-monitoring groups; no name, no answer beyond the group."""

    right: str  # compliance_rules.RIGHT_KEYS
    incident_id: int
    person_id: int
    arose_on: date  # Europe/London: registered, told's clock started, complaint received
    outcome: Outcome
    age_band: str
    sex: str
    ethnicity: str  # the ONS 2021 high-level group
    disability: str


def _on_days(column, start: date | None, end: date | None) -> list:
    """`column` (an aware time) within the London days start..end, both included."""
    conditions = []
    if start is not None:
        conditions.append(column >= datetime.combine(start, time.min, LONDON))
    if end is not None:
        conditions.append(column < datetime.combine(end + timedelta(days=1), time.min, LONDON))
    return conditions


_TRAITS = (Person.date_of_birth, Person.sex, Person.ethnic_group, Person.disability)
CHUNK = 500  # ids per statement: both databases cap the parameters of one query


def _traits_of(session: Session, known: dict[int, tuple], ids: Collection[int]) -> dict[int, tuple]:
    """Each person's equality traits, read (and decrypted) once however many cases they have."""
    missing = sorted(set(ids) - known.keys())
    for start in range(0, len(missing), CHUNK):
        known.update((row[0], tuple(row[1:])) for row in session.execute(
            select(Person.id, *_TRAITS).where(Person.id.in_(missing[start:start + CHUNK]))))
    return known


def _case(right: str, incident_id: int, person_id: int, arose_on: date, outcome: Outcome, traits) -> CodeCase:
    born, sex, ethnic_group, disability = traits
    return CodeCase(right, incident_id, person_id, arose_on, outcome, age_band(born, arose_on), answer_group(sex),
                    ethnicity_group(ethnic_group), answer_group(disability))


def victims_code_cases(session: Session, incident_ids: Collection[int], start: date | None, end: date | None,
                       at: datetime, complaint_working_days: int) -> list[CodeCase]:
    """Every measured case of these incidents whose right arose in start..end (London days, either
    open-ended), its outcome at `at`. A merged duplicate's person-level cases are its survivor's; a
    person who opted out of referral, and was not referred, is no referral case."""
    in_incidents = Person.incident_id.in_(list(incident_ids))
    people = session.execute(select(
        Person.id, Person.incident_id, Person.registered_at, Person.status, Person.referral_due_at,
        Person.first_referred_at, Person.interpreter_needed, Person.easy_read, Person.communication_met_on, *_TRAITS)
        .where(in_incidents, Person.merged_into_id.is_(None), *_on_days(Person.registered_at, start, end))
        .order_by(Person.id)).all()
    of_people = select(Person.id).where(in_incidents)
    assessed = set(session.scalars(select(NeedsAssessment.person_id).where(NeedsAssessment.person_id.in_(of_people))))
    rights_assessed = set(session.scalars(select(EnhancedRightsAssessment.person_id)
                                          .where(EnhancedRightsAssessment.person_id.in_(of_people))))
    # Victims may opt out of referral: a refusal not since replaced (record_consent withdraws the one it replaces).
    opted_out = set(session.scalars(select(Consent.person_id).where(
        Consent.person_id.in_(of_people), Consent.purpose == Purpose.REFERRAL, Consent.given.is_(False),
        Consent.withdrawn_at.is_(None))))
    cases, traits_by_person = [], {p.id: tuple(p[-4:]) for p in people}
    for p in people:
        registered_on, closed, traits = london(p.registered_at).date(), p.status == "discharged", p[-4:]
        if p.interpreter_needed or p.easy_read:
            cases.append(_case("right_1", p.incident_id, p.id, registered_on,
                               by_case_close(p.communication_met_on is not None, closed), traits))
        if p.first_referred_at is not None or p.id not in opted_out:
            cases.append(_case("right_4_referral", p.incident_id, p.id, registered_on,
                               by_deadline(p.first_referred_at, p.referral_due_at, at), traits))
        cases.append(_case("right_4_needs_assessment", p.incident_id, p.id, registered_on,
                           by_case_close(p.id in assessed, closed), traits))
        cases.append(_case("enhanced_rights", p.incident_id, p.id, registered_on,
                           by_case_close(p.id in rights_assessed, closed), traits))
    right_6 = [kind.value for kind, right in CODE_RIGHT.items() if right == 6]
    tasks = [(t, day_zero) for t in session.execute(
        select(InformTask.incident_id, InformTask.person_id, InformTask.due_at, InformTask.told_on,
               JusticeMilestone.occurred_on, JusticeMilestone.recorded_at)
        .join(JusticeMilestone, JusticeMilestone.id == InformTask.milestone_id)
        .where(InformTask.incident_id.in_(list(incident_ids)), JusticeMilestone.kind.in_(right_6))
        .order_by(InformTask.id))
        for day_zero in (clock_starts(t.occurred_on, london(t.recorded_at).date()),)
        if (start is None or day_zero >= start) and (end is None or day_zero <= end)]
    complaints = session.execute(select(Complaint.incident_id, Complaint.person_id, Complaint.received_at,
                                        Complaint.answered_at, Person.nation)
                                 .join(Person, Person.id == Complaint.person_id)
                                 .where(Complaint.incident_id.in_(list(incident_ids)),
                                        *_on_days(Complaint.received_at, start, end))
                                 .order_by(Complaint.id)).all()
    traits = _traits_of(session, traits_by_person, [t.person_id for t, _ in tasks] + [c.person_id for c in complaints])
    for t, day_zero in tasks:
        told = None if t.told_on is None else datetime.combine(t.told_on, time.min, LONDON)
        cases.append(_case("right_6", t.incident_id, t.person_id, day_zero, by_deadline(told, t.due_at, at),
                           traits[t.person_id]))
    for c in complaints:
        due = answer_due(c.received_at, nation=c.nation, working_days=complaint_working_days)
        cases.append(_case("right_12", c.incident_id, c.person_id, london(c.received_at).date(),
                           by_deadline(c.answered_at, due, at), traits[c.person_id]))
    return cases


def contact_preferences_by_message(session: Session, message_ids: Collection[int]) -> dict[int, str]:
    """How the person each of these outbox messages was sent to (a reminder, an update…) asked to be
    reached now, as pages show it, by message id; messages pathways did not send a person are left out."""
    ids = sorted(set(message_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        found.update((message_id, contact_by_label(contact_by)) for message_id, contact_by in session.execute(
            select(PersonMessage.message_id, Person.contact_by).join(Person, Person.id == PersonMessage.person_id)
            .where(PersonMessage.message_id.in_(ids[start:start + 500]))))
    return found


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


def person_ids_at_mobile(session: Session, mobile: str) -> list[int]:
    """The people whose record (the one that carries on, not anonymised) has this mobile (E.164)."""
    return [person.id for person in people_with(session, mobile)]
