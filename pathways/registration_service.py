"""Registering affected people, and the enhanced-rights judgement and referral deadline each
registration (or merge, or new facts) sets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.errors import InputError
from core.lookalikes import fold
from core.phone import normalise_mobile
from core.settings import get_settings
from core.typed_text import free_text, one_line
from pathways import enhanced_rights, pathway_service
from pathways.geography import place_of
from pathways.lookups import caseworker_or_refuse, incident_or_refuse, person_or_refuse
from pathways.merged_records import first_registered_at
from pathways.model import (
    EnhancedRightsAssessment,
    Person,
)
from pathways.victims_code import referral_due
from pathways.vocabulary import PersonRole, Source, is_under_18

NATIONS = ("england", "wales", "scotland", "northern_ireland")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# The same person registered twice by the same hands this quickly is a double click.
DOUBLE_SUBMIT = timedelta(minutes=2)


@dataclass
class NewPerson:
    given_name: str
    family_name: str
    roles: list[str]
    source: str
    date_of_birth: date | None = None
    mobile: str = ""
    email: str = ""
    postcode: str = ""
    nation: str = "england"  # used only when there is no postcode
    language: str = "English"
    interpreter_needed: bool = False
    easy_read: bool = False
    accessibility_needs: str = ""
    victim_of_terrorism: bool = False
    sexual_or_domestic_abuse: bool = False
    key_worker_id: int | None = None
    pathway_code: str = ""  # "" chooses by age and role


def checked_fields(new: NewPerson, today: date) -> dict:
    given = one_line(" ".join(new.given_name.split()), "First name", 80)
    family = one_line(" ".join(new.family_name.split()), "Family name", 80)
    if not given or not family:
        raise InputError("Give both a first name and a family name (write 'Unknown' if not known yet).")
    if len(given.lower()) > 80 or len(family.lower()) > 80:  # the search key: "İ" lowers to two characters
        raise InputError("Names are at most 80 characters (a letter such as İ counts as two).")
    roles = list(dict.fromkeys(new.roles))
    if not roles:
        raise InputError(f"Choose at least one role; allowed: {', '.join(PersonRole)}")
    if bad := [r for r in roles if r not in set(PersonRole)]:
        raise InputError(f"Unknown role {bad[0]!r}; allowed: {', '.join(PersonRole)}")
    if new.source not in set(Source):
        raise InputError(f"Unknown source {new.source!r}; allowed: {', '.join(Source)}")
    if new.date_of_birth is not None:
        if new.date_of_birth > today:
            raise InputError(f"Date of birth {new.date_of_birth:%d/%m/%Y} is in the future.")
        if today.year - new.date_of_birth.year > 120:
            raise InputError(f"Date of birth {new.date_of_birth:%d/%m/%Y} is more than 120 years ago.")
    mobile = None
    if new.mobile.strip():
        try:
            mobile = normalise_mobile(new.mobile)
        except ValueError as problem:
            raise InputError(f"Mobile: {problem}.") from None
    email = one_line(new.email, "Email", 200)
    if email and not _EMAIL.fullmatch(email):
        raise InputError(f"Email {email!r} is not an email address (e.g. name@example.org).")
    postcode, nation, force = "", new.nation, ""
    if new.postcode.strip():
        try:
            place = place_of(new.postcode)
        except ValueError as problem:
            raise InputError(f"Postcode: {problem}.") from None
        postcode, nation, force = place.postcode, place.nation, place.force_area
    elif nation not in NATIONS:
        raise InputError(f"Unknown nation {nation!r}; allowed: {', '.join(NATIONS)}")
    return dict(given_name=given, family_name=family, given_key=fold(given), family_key=fold(family),
                date_of_birth=new.date_of_birth, mobile=mobile, email=email, postcode=postcode,
                nation=nation, force_area=force, roles=",".join(roles), source=new.source,
                language=one_line(new.language, "Language", 60) or "English", interpreter_needed=new.interpreter_needed,
                easy_read=new.easy_read,
                accessibility_needs=free_text(new.accessibility_needs, "Accessibility needs", 2000),
                victim_of_terrorism=new.victim_of_terrorism, sexual_or_domestic_abuse=new.sexual_or_domestic_abuse)


def register_person(session: Session, actor: Actor, incident_id: int | None, new: NewPerson) -> Person:
    """A new affected person: Victims' Code deadline, pathway, screening schedule and enhanced rights set."""
    require(actor, Permission.PEOPLE_EDIT)
    incident = incident_or_refuse(session, actor, incident_id)
    at = now()
    fields = checked_fields(new, london(at).date())
    if new.key_worker_id is not None:
        caseworker_or_refuse(session, new.key_worker_id, incident.id)
    just_now = session.scalar(select(Person.id).where(
        Person.incident_id == incident.id, Person.registered_by_id == actor.user_id,
        Person.registered_at > at - DOUBLE_SUBMIT, Person.family_key == fields["family_key"],
        Person.given_key == fields["given_key"]).limit(1))
    if just_now is not None and actor.user_id is not None:
        raise InputError(f"{fields['given_name']} {fields['family_name']} was registered a moment ago (record "
                         f"{just_now}); open that record instead of registering again.")
    person = Person(incident_id=incident.id, registered_at=at, registered_by_id=actor.user_id,
                    key_worker_id=new.key_worker_id,
                    referral_due_at=referral_due(at, nation=fields["nation"],
                                                 working_days=get_settings().referral_working_days),
                    **fields)
    session.add(person)
    session.flush()
    under_18 = is_under_18(person.date_of_birth, london(at).date())
    bereaved = pathway_service.is_bereaved(person)
    code = new.pathway_code or pathway_service.default_pathway_code(under_18=under_18, bereaved=bereaved)
    pathway_service.start_enrolment(session, actor, person, code, "registered")
    store_enhanced_rights(session, person, (), assessed_by_id=actor.user_id)
    record(session, actor, "create", "person", person.id, incident_id=incident.id,
           detail="fields: " + ", ".join(k for k, v in fields.items() if v not in ("", None, False)))
    return person


def store_enhanced_rights(session: Session, person: Person, judged: tuple[str, ...], *,
                          assessed_by_id: int | None) -> EnhancedRightsAssessment:
    """A step of the use cases that register, reassess or merge (each has checked access first)."""
    try:
        rights = enhanced_rights.assess(under_18=pathway_service.under_18_now(person),
                                        bereaved=pathway_service.is_bereaved(person),
                                        victim_of_terrorism=person.victim_of_terrorism, judged=judged)
    except ValueError as problem:
        raise InputError(str(problem)) from None
    person.enhanced_rights = rights.entitled
    row = EnhancedRightsAssessment(person_id=person.id, entitled=rights.entitled, reasons="; ".join(rights.reasons),
                                   assessed_by_id=assessed_by_id, assessed_at=now())
    session.add(row)
    session.flush()
    return row


def reassess_enhanced_rights(session: Session, actor: Actor, person_id: int,
                             judged: tuple[str, ...] = ()) -> EnhancedRightsAssessment:
    """Re-assesses (automatic reasons plus the caseworker's judged ones); the history is kept."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id)
    row = store_enhanced_rights(session, person, tuple(judged), assessed_by_id=actor.user_id)
    record(session, actor, "update", "person", person.id, incident_id=person.incident_id,
           detail="fields: enhanced_rights")
    return row


def latest_rights(session: Session, person_id: int) -> str:
    return session.scalar(select(EnhancedRightsAssessment.reasons).where(EnhancedRightsAssessment.person_id == person_id)
                          .order_by(EnhancedRightsAssessment.id.desc()).limit(1)) or ""


def recompute_pending_deadline(session: Session, person: Person) -> bool:
    """A person not yet referred gets the Victims' Code deadline their nation's bank holidays and
    their first registration give (after a postcode change or a merge); True when it moved."""
    if person.first_referred_at is not None:
        return False
    due = referral_due(first_registered_at(session, person.id), nation=person.nation,
                       working_days=get_settings().referral_working_days)
    if due == person.referral_due_at:
        return False
    person.referral_due_at = due
    return True
