"""Self-referral: anyone may refer themselves to the incident's support service from the public page,
or refer someone else with that person's agreement. Each lands in a triage queue where a caseworker
on the incident's team matches it against the registry (possible matches as for duplicate
registrations) and accepts it (registers the person), merges it (links it to someone registered)
or declines it (with a note saying why).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.email_address import normalise_email
from core.errors import InputError
from core.phone import normalise_mobile, normalise_phone
from core.typed_text import free_text, one_line
from incident.queries import incident_facts
from outreach.link_service import PUBLIC
from outreach.lookups import incident_or_refuse
from outreach.model import Contact, SelfReferral
from outreach.public_errors import FieldErrors
from outreach.vocabulary import INCIDENT_CLOSED, About, ReferralStatus
from pathways.duplicates import Identity, Likeness
from pathways.geography import place_of
from pathways.merge_service import people_like
from pathways.people_queries import PersonRow
from pathways.queries import carried_on_by, case_facts
from pathways.registration_service import NewPerson, register_person
from pathways.vocabulary import PersonRole, Source

MESSAGE_LENGTH = 2000
OLDEST = 120


@dataclass(frozen=True)
class ReferralForm:
    """What the public self-referral page asks. `phone` may be a landline: it is for calling back."""

    incident_id: int
    about: str  # self, someone_else
    given_name: str
    family_name: str = ""
    date_of_birth: date | None = None
    email: str = ""
    phone: str = ""
    postcode: str = ""
    message: str = ""
    agreement_confirmed: bool = False  # about someone else: they agreed to being referred
    referrer_name: str = ""  # about someone else: who is referring them
    referrer_contact: str = ""


def submit_self_referral(session: Session, form: ReferralForm) -> SelfReferral:
    """A referral from the public page, into the incident's triage queue; FieldErrors, saving
    nothing, for answers that cannot be taken."""
    incident = incident_facts(session, form.incident_id)
    if incident is None or incident.status in INCIDENT_CLOSED:
        raise InputError("This service is not taking referrals online; please call the number on this page.")
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for name, value, what, limit in (("given_name", form.given_name, "First name", 80),
                                     ("family_name", form.family_name, "Last name", 80),
                                     ("referrer_name", form.referrer_name, "Your name", 120),
                                     ("referrer_contact", form.referrer_contact, "How we can reach you", 254)):
        try:
            texts[name] = one_line(" ".join((value or "").split()), what, limit)
        except InputError as problem:
            errors[name] = str(problem)
    try:
        message = free_text(form.message, "The message", MESSAGE_LENGTH)
    except InputError as problem:
        errors["message"], message = str(problem), ""
    if form.about not in set(About):
        errors["about"] = "Say who you are referring"
    if "given_name" not in errors and not texts["given_name"]:
        errors["given_name"] = "Enter a first name"
    if form.about == About.SOMEONE_ELSE:
        if not form.agreement_confirmed:
            errors["agreement_confirmed"] = "Confirm the person agreed to be referred"
        if "referrer_name" not in errors and not texts["referrer_name"]:
            errors["referrer_name"] = "Enter your name"
    email, phone = "", ""
    if form.email.strip():
        try:
            email = normalise_email(form.email)
        except ValueError as problem:
            errors["email"] = f"Enter an email address like name@example.com ({problem})"
    if form.phone.strip():
        try:
            phone = normalise_phone(form.phone)
        except ValueError as problem:
            errors["phone"] = f"Enter a UK or international phone number ({problem})"
    if not email and not phone and "email" not in errors and "phone" not in errors:
        errors["phone"] = "Enter a phone number or an email address, so we can get in touch"
    today = london(now()).date()
    if form.date_of_birth is not None and not today.replace(year=today.year - OLDEST) <= form.date_of_birth <= today:
        errors["date_of_birth"] = "Enter a real date of birth, in the past"
    postcode = ""
    if form.postcode.strip():
        try:
            postcode = place_of(form.postcode).postcode
        except ValueError:
            errors["postcode"] = "Enter a UK postcode, or leave it blank"
    if errors:
        raise FieldErrors(errors)
    referral = SelfReferral(
        incident_id=incident.id, submitted_at=now(), about=form.about,
        agreement_confirmed=form.about == About.SOMEONE_ELSE and form.agreement_confirmed,
        referrer_name=texts["referrer_name"] if form.about == About.SOMEONE_ELSE else "",
        referrer_contact=texts["referrer_contact"] if form.about == About.SOMEONE_ELSE else "",
        given_name=texts["given_name"], family_name=texts["family_name"], date_of_birth=form.date_of_birth,
        email=email, mobile=phone, postcode=postcode, message=message, status=ReferralStatus.NEW.value)
    session.add(referral)
    session.flush()
    record(session, PUBLIC, "create", "self_referral", referral.id, incident_id=incident.id,
           detail="fields: " + ", ".join(n for n, v in (("names", True), ("date_of_birth", form.date_of_birth),
                                                       ("email", email), ("phone", phone), ("postcode", postcode),
                                                       ("message", message)) if v))
    return referral


# --- triage: the caseworker's side ----------------------------------------------------------------


@dataclass(frozen=True)
class ReferralItem:
    id: int
    submitted_at: datetime
    about: str
    name: str
    date_of_birth: date | None
    email: str
    phone: str
    postcode: str
    referrer: str  # who referred them, when someone else did
    message: str
    from_a_check: bool  # a parent's call-back request from a child's wellbeing check


def referral_queue(session: Session, actor: Actor, incident_id: int | None) -> list[ReferralItem]:
    """Self-referrals waiting for a decision, oldest first. A view of people's details: audited."""
    require(actor, Permission.PEOPLE_VIEW)
    incident = incident_or_refuse(session, actor, incident_id)
    rows = list(session.scalars(select(SelfReferral).where(
        SelfReferral.incident_id == incident.id, SelfReferral.status == ReferralStatus.NEW.value)
        .order_by(SelfReferral.submitted_at, SelfReferral.id)))
    if rows:
        record(session, actor, "view", "self_referral", incident_id=incident.id, reason="self-referral triage",
               detail=f"triage queue, {len(rows)} referrals shown (names, contact details, messages)")
    return [ReferralItem(r.id, r.submitted_at, r.about, f"{r.given_name} {r.family_name}".strip(), r.date_of_birth,
                         r.email, r.mobile, r.postcode,
                         f"{r.referrer_name} ({r.referrer_contact})" if r.referrer_name else "", r.message,
                         r.contact_id is not None) for r in rows]


def _waiting(session: Session, actor: Actor, referral_id: int, *, lock: bool = True) -> SelfReferral:
    referral = session.get(SelfReferral, referral_id, with_for_update=lock)  # two caseworkers: one decides
    if referral is None:
        raise InputError(f"No self-referral {referral_id}.")
    incident_or_refuse(session, actor, referral.incident_id)
    if referral.status != ReferralStatus.NEW.value:
        raise InputError(f"Self-referral {referral.id} was already {referral.status}.")
    return referral


def possible_matches(session: Session, actor: Actor, referral_id: int) -> list[tuple[PersonRow, Likeness]]:
    """Registered people the referral may be, matched as duplicate registrations are (pathways)."""
    require(actor, Permission.PEOPLE_VIEW)
    referral = _waiting(session, actor, referral_id, lock=False)
    return people_like(session, actor, referral.incident_id, Identity(
        referral.given_name, referral.family_name, referral.date_of_birth, referral.mobile or None),
        about=f"self-referral {referral.id}")


def _decided(session: Session, actor: Actor, referral: SelfReferral, status: ReferralStatus, note: str,
             person_id: int | None) -> SelfReferral:
    referral.status, referral.person_id = status.value, person_id
    referral.decided_by_id, referral.decided_at, referral.decision_note = actor.user_id, now(), note
    if person_id is not None and referral.contact_id is not None:  # a child's call-back from a check
        contact = session.get(Contact, referral.contact_id)
        contact.person_id = contact.person_id or person_id
    record(session, actor, status.value, "self_referral", referral.id, incident_id=referral.incident_id,
           detail=f"status {status.value}" + (f"; person {person_id}" if person_id else "") + "; fields: decision_note")
    return referral


def accept_referral(session: Session, actor: Actor, referral_id: int, roles: list[str], note: str = "") -> SelfReferral:
    """A new person: registered from the referral (source self-referral)."""
    require(actor, Permission.PEOPLE_EDIT)
    referral = _waiting(session, actor, referral_id)
    note = free_text(note, "The note", 1000)
    person = register_person(session, actor, referral.incident_id, NewPerson(
        referral.given_name, referral.family_name or "Unknown", roles or [PersonRole.COMMUNITY.value],
        Source.SELF_REFERRAL.value, date_of_birth=referral.date_of_birth,
        mobile=referral.mobile if _textable(referral.mobile) else "", email=referral.email,
        postcode=referral.postcode))
    return _decided(session, actor, referral, ReferralStatus.ACCEPTED, note, person.id)


def merge_referral(session: Session, actor: Actor, referral_id: int, person_id: int, note: str = "") -> SelfReferral:
    """The referral is someone registered already: linked to their record (the one it carries on in)."""
    require(actor, Permission.PEOPLE_EDIT)
    referral = _waiting(session, actor, referral_id)
    note = free_text(note, "The note", 1000)
    survivor = carried_on_by(session, person_id)
    facts = case_facts(session, survivor) if survivor is not None else None
    if facts is None or facts.incident_id != referral.incident_id:
        raise InputError(f"No person with record number {person_id} in this incident.")
    return _decided(session, actor, referral, ReferralStatus.MERGED, note, survivor)


def decline_referral(session: Session, actor: Actor, referral_id: int, note: str) -> SelfReferral:
    require(actor, Permission.PEOPLE_EDIT)
    referral = _waiting(session, actor, referral_id)
    note = free_text(note, "The note", 1000)
    if not note:
        raise InputError("Say why the referral is declined (e.g. 'not connected with the incident; signposted "
                         "to NHS 111').")
    return _decided(session, actor, referral, ReferralStatus.DECLINED, note, None)


def _textable(number: str) -> bool:
    try:
        normalise_mobile(number)
    except ValueError:
        return False
    return True
