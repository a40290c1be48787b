"""Consent per purpose, with withdrawal (UK GDPR art. 9; Victims' Code explicit consent)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.db import in_chunks
from core.errors import InputError
from pathways.consent_rules import NOTHING_RECORDED, ConsentState
from pathways.lookups import person_or_refuse, row_or_refuse
from pathways.merged_records import with_merged_each
from pathways.model import Consent, Person
from pathways.vocabulary import ContactBy, LawfulBasis, Purpose

PUBLIC = Actor.system("public")  # whoever holds a personal link: the person themselves


def record_consent(session: Session, actor: Actor, person_id: int, purpose: str, *, given: bool,
                   lawful_basis: str, agency_id: int | None = None) -> Consent:
    """A person's decision for one purpose. A new decision replaces the current one; both are kept."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id)
    if purpose not in set(Purpose):
        raise InputError(f"Unknown purpose {purpose!r}; allowed: {', '.join(Purpose)}")
    if lawful_basis not in set(LawfulBasis):
        raise InputError(f"Unknown lawful basis {lawful_basis!r}; allowed: {', '.join(LawfulBasis)}")
    if purpose == Purpose.SHARING:
        if agency_id is None or session.get(Agency, agency_id) is None:
            raise InputError("Consent to share names the agency it is shared with; choose one.")
    else:
        agency_id = None
    at = now()
    current = _current(session, person.id, purpose, agency_id)
    if current is not None and current.withdrawn_at is None:
        current.withdrawn_at, current.withdrawn_by_id = at, actor.user_id
    consent = Consent(person_id=person.id, purpose=purpose, agency_id=agency_id, given=given,
                      explicit=given and lawful_basis == LawfulBasis.EXPLICIT_CONSENT, lawful_basis=lawful_basis,
                      recorded_at=at, recorded_by_id=actor.user_id)
    session.add(consent)
    session.flush()
    record(session, actor, "consent", "person", person.id, incident_id=person.incident_id,
           detail=f"fields: consent ({purpose}, {'given' if given else 'refused'}, {lawful_basis})")
    return consent


def withdraw_consent(session: Session, actor: Actor, consent_id: int) -> Consent:
    require(actor, Permission.PEOPLE_EDIT)
    consent = row_or_refuse(session, actor, Consent, consent_id, "consent record")
    if consent.withdrawn_at is not None:
        raise InputError("This consent was already withdrawn or replaced.")
    consent.withdrawn_at, consent.withdrawn_by_id = now(), actor.user_id
    person = person_or_refuse(session, actor, consent.person_id)
    # A withdrawal is itself a decision: record it as a refusal so "opted out" stays visible.
    session.add(Consent(person_id=person.id, purpose=consent.purpose, agency_id=consent.agency_id, given=False,
                        lawful_basis=consent.lawful_basis, recorded_at=consent.withdrawn_at,
                        recorded_by_id=actor.user_id))
    record(session, actor, "withdraw_consent", "person", person.id, incident_id=person.incident_id,
           detail=f"fields: consent ({consent.purpose})")
    return consent


def set_contact_by(session: Session, actor: Actor, person_id: int, contact_by: str) -> Person:
    """How the person asked the support team's messages to reach them (vocabulary.ContactBy; "" not
    chosen). A text or an email needs their consent to it and an address first: a choice that could not
    be kept would silently send nothing."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id)
    if contact_by and contact_by not in set(ContactBy):
        raise InputError(f"Unknown way to be reached {contact_by!r}; allowed: {', '.join(ContactBy)}")
    needs = {ContactBy.SMS: (Purpose.SMS, person.mobile, "mobile number", "texts"),
             ContactBy.EMAIL: (Purpose.EMAIL, person.email, "email address", "emails")}
    if contact_by in needs:
        purpose, address, what, messages = needs[ContactBy(contact_by)]
        if not address:
            raise InputError(f"Their record has no {what}: add one before choosing {messages}.")
        if not consent_state(session, person.id, purpose).given:
            raise InputError(f"Record their consent to {messages} (purpose '{purpose}') before choosing {messages}.")
    if person.contact_by != contact_by:
        person.contact_by = contact_by
        record(session, actor, "update", "person", person.id, incident_id=person.incident_id,
               detail=f"fields: contact_by ({contact_by or 'not chosen'})")
    return person


def withdrawn_by_the_person(session: Session, person_id: int, purpose: str, *, how: str) -> bool:
    """The person themselves withdrew consent for `purpose` (an email's unsubscribe link): recorded as a
    refusal by no member of staff, audited as the public's. False when it was not given anyway."""
    current = _current(session, person_id, purpose)
    if current is None or not current.given or current.withdrawn_at is not None:
        return False
    incident_id = session.scalar(select(Person.incident_id).where(Person.id == person_id))
    current.withdrawn_at = now()
    session.add(Consent(person_id=person_id, purpose=purpose, given=False, lawful_basis=current.lawful_basis,
                        recorded_at=current.withdrawn_at))
    record(session, PUBLIC, "withdraw_consent", "person", person_id, incident_id=incident_id,
           detail=f"fields: consent ({purpose}), by the person ({how})")
    return True


def _current(session: Session, person_id: int, purpose: str, agency_id: int | None = None) -> Consent | None:
    return _current_each(session, [person_id], purpose, agency_id)[person_id]


def _current_each(session: Session, person_ids: Collection[int], purpose: str,
                  agency_id: int | None = None) -> dict[int, Consent | None]:
    """Each person's newest decision for this purpose on their record or on any duplicate merged into
    it (an opt-out recorded on either record still holds after the merge)."""
    families = with_merged_each(session, person_ids)
    records = sorted({record_id for family in families.values() for record_id in family})
    decisions: dict[int, list[Consent]] = {}
    for chunk in in_chunks(records):
        q = select(Consent).where(Consent.person_id.in_(chunk), Consent.purpose == purpose)
        if agency_id is not None:
            q = q.where(Consent.agency_id == agency_id)
        for consent in session.scalars(q):
            decisions.setdefault(consent.person_id, []).append(consent)
    return {person_id: max((c for record_id in family for c in decisions.get(record_id, ())),
                           key=lambda c: (c.recorded_at, c.id), default=None)
            for person_id, family in families.items()}


def consent_state(session: Session, person_id: int, purpose: str) -> ConsentState:
    return consent_states(session, [person_id], purpose)[person_id]


def consent_states(session: Session, person_ids: Collection[int], purpose: str) -> dict[int, ConsentState]:
    """Each person's current decision for this purpose, read for all of them at once."""
    return {person_id: NOTHING_RECORDED if current is None else _state(current)
            for person_id, current in _current_each(session, person_ids, purpose).items()}


def _state(current: Consent) -> ConsentState:
    given = current.given and current.withdrawn_at is None
    return ConsentState(recorded=True, given=given, explicit=given and current.explicit)


