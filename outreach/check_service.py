"""Submitting an online wellbeing check (the last page of /support/check/{token}).

The answers are taken whole or not at all: a missing answer names its question (FieldErrors) and
nothing is saved. Then, once only (a second submit finds the link used): the person is linked to
their record or registered (pathways, source "online self-screening"; a closed case is reopened),
each questionnaire is recorded and scored through pathways' screening service exactly as a
caseworker's would be (positives wait for a clinician, PHQ-9 item 9 above 0 raises the urgent alert
for the duty clinician), the link is used up and the draft answers go. A child under 8 answers no
questionnaire: a parent or carer's request to be called lands in the self-referral triage queue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from core.audit.service import record
from core.clock import london, now
from core.phone import normalise_phone
from core.typed_text import one_line
from incident.queries import incident_facts
from outreach.check_rules import (
    OLDEST,
    WhatNext,
    contact_request_instead,
    instruments_for,
    unanswered,
    what_next,
)
from outreach.link_service import PUBLIC, recorded_date_of_birth, usable_invitation
from outreach.model import CheckDraft, Contact, Invitation, SelfReferral
from outreach.public_errors import USED, FieldErrors, LinkUnusable
from outreach.registered_people import link_registered
from outreach.rounds import next_round_after
from outreach.same_person import Someone
from outreach.settings_service import settings_for
from outreach.vocabulary import About
from pathways import caseload_service, pathway_service
from pathways.geography import place_of
from pathways.queries import carried_on_by, case_facts
from pathways.registration_service import NewPerson, register_person
from pathways.screening import score
from pathways.screening_service import record_screening
from pathways.victims_code import referral_due
from pathways.vocabulary import PersonRole, Source, age_on

# How people say they were affected, on the public page (the pathways roles a member of the public
# can claim for themselves); none chosen: a member of the affected community.
PUBLIC_ROLES = (PersonRole.INJURED, PersonRole.SURVIVOR, PersonRole.WITNESS, PersonRole.BEREAVED,
                PersonRole.FAMILY_ENQUIRER, PersonRole.RESPONDER, PersonRole.COMMUNITY)
IN_TOUCH_WORKING_DAYS = 2  # a positive screen: a clinician's team is in touch within this


@dataclass(frozen=True)
class AboutYou:
    consent: bool  # agrees to what happens with the answers and who sees them
    age: int | None = None
    date_of_birth: date | None = None
    postcode: str = ""
    roles: tuple[str, ...] = ()
    given_name: str = ""
    family_name: str = ""
    with_a_parent: bool = False  # a child answered with a parent or carer beside them
    call_back_number: str = ""  # under 8: where the parent or carer can be called
    parent_name: str = ""


def submit_check(session: Session, token: object, answers: Mapping[str, Sequence[int]],
                 about_you: AboutYou) -> WhatNext:
    """Take a completed check; what its last page says. FieldErrors for answers that cannot be
    taken, LinkUnusable for a link that is unknown, used (a second submit) or expired."""
    invitation = usable_invitation(session, token, lock=True)  # a double submit waits, then finds it used
    contact = session.get(Contact, invitation.contact_id)
    outreach = settings_for(session, invitation.incident_id)
    at = now()
    today = london(at).date()
    checked = _checked(about_you, recorded_date_of_birth(session, contact), today, contact)
    if checked.age is None:  # which questionnaires are due depends on it
        raise FieldErrors(checked.errors)
    instruments = instruments_for(checked.age, outreach.trauma_instrument)
    errors = checked.errors | unanswered(answers, instruments)
    if errors:
        raise FieldErrors(errors)
    claimed = session.execute(update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
                              .values(used_at=at, completed_at=at, progress="done"))
    if claimed.rowcount != 1:
        raise LinkUnusable(USED)
    session.execute(delete(CheckDraft).where(CheckDraft.invitation_id == invitation.id))

    if contact_request_instead(checked.age):
        referral = _call_back_request(session, contact, about_you, checked, at)
        record(session, PUBLIC, "submit", "invitation", invitation.id, incident_id=invitation.incident_id,
               detail=f"wellbeing check: a parent or carer asks to be called (self-referral {referral.id})")
        return what_next(alerts=False, positive=False, call_back=True, today=today,
                         in_touch_by=_in_touch_by(checked.nation, at), next_round=None)

    person_id, how = _person_for(session, contact, checked, about_you)
    notes = f"Online wellbeing check, round {invitation.round}" + (
        "; answered with a parent or carer" if about_you.with_a_parent else "")
    positive = alerts = False
    for name in instruments:
        points = [int(a) for a in answers[name]]
        # The person chose to answer their invitation: an early trauma screen is kept, its reason saying so.
        screening = record_screening(session, PUBLIC, person_id, name, points, notes=notes,
                                     early_reason=f"answered by the person online (invitation round {invitation.round})")
        positive = positive or screening.positive
        alerts = alerts or bool(score(name, points).alerts)
    session.execute(update(Invitation).where(Invitation.id == invitation.id)
                    .values(screened_positive=positive, raised_alert=alerts))
    contact.person_id = person_id
    record(session, PUBLIC, "submit", "invitation", invitation.id, incident_id=invitation.incident_id,
           detail=f"wellbeing check: {', '.join(instruments)} recorded for person {person_id} ({how})")
    started_at = incident_facts(session, invitation.incident_id).started_at
    next_round = next_round_after(started_at, outreach.round_months, invitation.round)
    return what_next(alerts=alerts, positive=positive, call_back=False, today=today,
                     in_touch_by=_in_touch_by(checked.nation, at),
                     next_round=london(next_round).date() if next_round else None)


@dataclass(frozen=True)
class _Checked:
    age: int | None  # None: not given, or not a possible age
    date_of_birth: date | None
    postcode: str
    nation: str
    given_name: str
    family_name: str
    roles: tuple[str, ...]
    call_back_number: str
    errors: dict[str, str]


def _checked(about: AboutYou, recorded_born: date | None, today: date, contact: Contact) -> _Checked:
    """About-you answers in their stored form, and what is wrong with them (field -> what to do).
    The age is the person record's when it has a date of birth; else what the person says (a date
    of birth, or an age); else the list's date of birth."""
    errors: dict[str, str] = {}
    if not about.consent:
        errors["consent"] = "Say whether you agree to how your answers are used"
    typed_born = about.date_of_birth
    if typed_born is not None and typed_born > today:
        errors["date_of_birth"] = "Your date of birth must be in the past"
        typed_born = None
    born = recorded_born or typed_born
    if born is None and about.age is None:
        born = contact.date_of_birth
    age = age_on(born, today) if born is not None else about.age
    if age is None:
        errors.setdefault("age", "Enter your age")
    elif isinstance(age, bool) or not 0 <= age <= OLDEST:
        errors["age"] = f"Enter an age from 0 to {OLDEST}"
        age = None
    postcode, nation = contact.postcode, contact.nation or "england"
    if about.postcode.strip():
        try:
            place = place_of(about.postcode)
            postcode, nation = place.postcode, place.nation
        except ValueError as problem:
            errors["postcode"] = f"Enter a UK postcode, or leave it blank ({problem})"
    if unknown := [r for r in about.roles if r not in PUBLIC_ROLES]:
        errors["roles"] = f"Choose from the list ({unknown[0]!r} is not on it)"
    names = {}
    for name, value, what in (("given_name", about.given_name, "First name"),
                              ("family_name", about.family_name, "Last name"),
                              ("parent_name", about.parent_name, "Your name")):
        try:
            names[name] = one_line(" ".join(value.split()), what, 80)
        except ValueError as problem:
            errors[name] = str(problem)
    number = ""
    if age is not None and contact_request_instead(age):
        try:
            number = normalise_phone(about.call_back_number or contact.mobile or "")
        except ValueError:
            errors["call_back_number"] = "Enter a phone number we can call you on"
    return _Checked(age, born, postcode, nation,
                    names.get("given_name") or contact.given_name, names.get("family_name") or contact.family_name,
                    tuple(dict.fromkeys(about.roles)), number, errors)


def _person_for(session: Session, contact: Contact, checked: _Checked, about: AboutYou) -> tuple[int, str]:
    """The contact's person record: the one they are linked to (reopened if it was closed), one
    registered since that they are found to be, or a new one. (id, how it was found)."""
    if contact.person_id is None:  # registered since the list came in?
        someone = Someone(order=0, given_name=checked.given_name, family_name=checked.family_name,
                          email=contact.email, mobile=contact.mobile)
        link_registered(session, contact.incident_id, [someone])
        contact.person_id = someone.person_id
    person_id = carried_on_by(session, contact.person_id) if contact.person_id is not None else None
    if person_id is not None:
        if case_facts(session, person_id).status != "open":
            caseload_service.reopen(session, PUBLIC, person_id, "Answered an online wellbeing check")
            return person_id, "linked, case reopened"
        return person_id, "linked"
    roles = list(checked.roles) or [PersonRole.COMMUNITY.value]
    person = register_person(session, PUBLIC, contact.incident_id, NewPerson(
        checked.given_name or "Unknown", checked.family_name or "Unknown", roles, Source.ONLINE_SELF_SCREENING.value,
        date_of_birth=checked.date_of_birth, mobile=contact.mobile or "", email=contact.email or "",
        postcode=checked.postcode, pathway_code=pathway_service.default_pathway_code(
            under_18=checked.age < 18, bereaved=PersonRole.BEREAVED.value in roles)))
    return person.id, "registered"


def _call_back_request(session: Session, contact: Contact, about: AboutYou, checked: _Checked,
                       at) -> SelfReferral:
    referral = SelfReferral(
        incident_id=contact.incident_id, submitted_at=at, about=About.SOMEONE_ELSE.value, agreement_confirmed=True,
        referrer_name=one_line(" ".join(about.parent_name.split()), "Your name", 120),
        referrer_contact=checked.call_back_number, given_name=checked.given_name or "Unknown",
        family_name=checked.family_name, date_of_birth=checked.date_of_birth, email=contact.email or "",
        mobile=checked.call_back_number, postcode=checked.postcode,
        message=f"A parent or carer asks to be called about a child aged {checked.age}, invited to an online "
                "wellbeing check (no questionnaire is used under 8).", contact_id=contact.id)
    session.add(referral)
    session.flush()
    record(session, PUBLIC, "create", "self_referral", referral.id, incident_id=contact.incident_id,
           detail="fields: names, date of birth, contact details, message (a call-back request from a check)")
    return referral


def _in_touch_by(nation: str, at) -> date:
    return london(referral_due(at, nation=nation, working_days=IN_TOUCH_WORKING_DAYS)).date()


