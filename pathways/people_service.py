"""Registering, finding and viewing affected people; caseloads, discharge, duplicates and merges."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.model import User
from core.auth.roles import Actor, Permission, Role, require
from core.clock import london, now
from core.errors import InputError
from core.phone import normalise_mobile
from core.settings import get_settings
from core.typed_text import free_text, one_line
from incident.model import IncidentTeamMember
from pathways import care_service, enhanced_rights
from pathways.duplicates import Identity, Likeness, likeness
from pathways.geography import place_of
from pathways.lookups import incident_or_refuse, person_or_refuse
from pathways.merge_rules import MERGED_COLUMNS, judged_reasons, merged_fields
from pathways.merged_records import first_registered_at, with_merged
from pathways.model import (
    Complaint,
    Consent,
    DuplicateDecision,
    EnhancedRightsAssessment,
    Enrolment,
    FamilyLink,
    FollowUp,
    NeedsAssessment,
    Pathway,
    PathwayStage,
    Person,
    PersonReply,
    Referral,
    SafetyAlert,
    Screening,
    StageEvent,
)
from pathways.retention import ERASED
from pathways.victims_code import referral_due
from pathways.vocabulary import DischargeOutcome, PersonRole, Relationship, Source, is_under_18

NATIONS = ("england", "wales", "scotland", "northern_ireland")
PAGE_SIZE = 25
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


def _checked(new: NewPerson, today: date) -> dict:
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
    return dict(given_name=given, family_name=family, given_key=given.lower(), family_key=family.lower(),
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
    fields = _checked(new, london(at).date())
    if new.key_worker_id is not None:
        _caseworker_or_refuse(session, new.key_worker_id, incident.id)
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
    bereaved = care_service.is_bereaved(person)
    code = new.pathway_code or care_service.default_pathway_code(under_18=under_18, bereaved=bereaved)
    care_service.start_enrolment(session, actor, person, code, "registered")
    _store_enhanced_rights(session, actor, person, ())
    record(session, actor, "create", "person", person.id, incident_id=incident.id,
           detail="fields: " + ", ".join(k for k, v in fields.items() if v not in ("", None, False)))
    return person


def _store_enhanced_rights(session: Session, actor: Actor, person: Person,
                           judged: tuple[str, ...]) -> EnhancedRightsAssessment:
    try:
        rights = enhanced_rights.assess(under_18=care_service.under_18_now(person),
                                        bereaved=care_service.is_bereaved(person),
                                        victim_of_terrorism=person.victim_of_terrorism, judged=judged)
    except ValueError as problem:
        raise InputError(str(problem)) from None
    person.enhanced_rights = rights.entitled
    row = EnhancedRightsAssessment(person_id=person.id, entitled=rights.entitled, reasons="; ".join(rights.reasons),
                                   assessed_by_id=actor.user_id, assessed_at=now())
    session.add(row)
    session.flush()
    return row


def reassess_enhanced_rights(session: Session, actor: Actor, person_id: int,
                             judged: tuple[str, ...] = ()) -> EnhancedRightsAssessment:
    """Re-assesses (automatic reasons plus the caseworker's judged ones); the history is kept."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id)
    row = _store_enhanced_rights(session, actor, person, tuple(judged))
    record(session, actor, "update", "person", person.id, incident_id=person.incident_id,
           detail="fields: enhanced_rights")
    return row


# --- finding people -------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    date_of_birth: date | None
    roles: str
    status: str
    postcode: str
    key_worker_id: int | None


@dataclass(frozen=True)
class PeoplePage:
    rows: list[PersonRow]
    page: int
    has_more: bool


_ROW_COLUMNS = (Person.id, Person.given_name, Person.family_name, Person.date_of_birth, Person.roles,
                Person.status, Person.postcode, Person.key_worker_id)


def _row(r) -> PersonRow:
    return PersonRow(r.id, f"{r.given_name} {r.family_name}", r.date_of_birth, r.roles, r.status, r.postcode,
                     r.key_worker_id)


def search_people(session: Session, actor: Actor, incident_id: int | None, text: str = "", page: int = 0,
                  *, mine_only: bool = False, page_size: int = PAGE_SIZE) -> PeoplePage:
    """People of this incident whose names start with the words given (or with this mobile or
    postcode), family name order, one page at a time."""
    require(actor, Permission.PEOPLE_VIEW)
    incident = incident_or_refuse(session, actor, incident_id)
    q = select(*_ROW_COLUMNS).where(Person.incident_id == incident.id, Person.merged_into_id.is_(None),
                                    Person.family_name != ERASED)
    # A control character matches no one, and PostgreSQL cannot even compare a NUL: say so instead.
    words = one_line(" ".join(text.split()), "The search", 200)
    if words:
        q = q.where(_search_condition(words))
    if mine_only:
        q = q.where(Person.key_worker_id == actor.user_id)
    q = q.order_by(Person.family_key, Person.given_key, Person.id).offset(page * page_size).limit(page_size + 1)
    rows = [_row(r) for r in session.execute(q)]
    record(session, actor, "search", "person", incident_id=incident.id,
           detail=f"page {page}, {min(len(rows), page_size)} rows")
    return PeoplePage(rows[:page_size], page, len(rows) > page_size)


def _search_condition(words: str):
    if sum(c.isdigit() for c in words) >= 7:  # a phone number
        try:
            return Person.mobile == normalise_mobile(words)
        except ValueError:
            raise InputError(f"{words!r} looks like a phone number but is not a valid mobile.") from None
    try:
        return Person.postcode == place_of(words).postcode
    except ValueError:
        pass
    conditions = []
    for word in words.lower().split():
        prefix = _prefix_pattern(word)
        conditions.append(or_(Person.family_key.like(prefix, escape=LIKE_ESCAPE),
                              Person.given_key.like(prefix, escape=LIKE_ESCAPE)))
    return and_(*conditions)


LIKE_ESCAPE = "/"


def _prefix_pattern(word: str) -> str:
    """A LIKE pattern for names starting with `word` itself: a typed % or _ is a character, not a wildcard."""
    return "".join(LIKE_ESCAPE + c if c in ("%", "_", LIKE_ESCAPE) else c for c in word) + "%"


# --- the person record ----------------------------------------------------------------------


@dataclass
class PersonRecord:
    person: Person
    merged_ids: list[int]
    key_worker: str
    enrolment: Enrolment | None
    pathway: Pathway | None
    stage: PathwayStage | None
    stages: list[PathwayStage]
    stage_events: list[StageEvent]
    consents: list[Consent]
    rights: list[EnhancedRightsAssessment]
    needs: list[NeedsAssessment]
    screenings: list[Screening]
    alerts: list[SafetyAlert]
    follow_ups: list[FollowUp]
    referrals: list[Referral]
    complaints: list[Complaint]
    family: list[tuple[FamilyLink, str]]
    messages: list[PersonReply]  # texts the person sent, newest first
    users: dict[int, str] = field(default_factory=dict)


def view_person(session: Session, actor: Actor, person_id: int, reason: str) -> PersonRecord:
    """Everything about one person, merged duplicates' histories included. Viewing needs a reason,
    which the audit trail keeps (DPA 2018 s.62: consultation is logged with its justification)."""
    require(actor, Permission.PEOPLE_VIEW)
    reason = free_text(reason, "The reason", 1000)
    if not reason.strip():
        raise InputError("Give a reason for opening this record (e.g. 'scheduled screening call').")
    person = person_or_refuse(session, actor, person_id)
    ids = with_merged(session, person.id)
    enrolment = care_service.current_enrolment(session, person.id)
    stages = list(session.scalars(select(PathwayStage).where(PathwayStage.pathway_id == enrolment.pathway_id)
                                  .order_by(PathwayStage.position))) if enrolment else []
    enrolment_ids = list(session.scalars(select(Enrolment.id).where(Enrolment.person_id.in_(ids))))

    def rows(model, key, order):
        return list(session.scalars(select(model).where(key.in_(ids)).order_by(order)))

    links = list(session.scalars(select(FamilyLink).where(
        or_(FamilyLink.person_id == person.id, FamilyLink.relative_id == person.id))))
    other_ids = [link.relative_id if link.person_id == person.id else link.person_id for link in links]
    others = dict(session.execute(select(Person.id, Person.given_name + " " + Person.family_name)
                                  .where(Person.id.in_(other_ids))).all()) if other_ids else {}
    result = PersonRecord(
        person=person, merged_ids=[i for i in ids if i != person.id],
        key_worker="", enrolment=enrolment,
        pathway=session.get(Pathway, enrolment.pathway_id) if enrolment else None,
        stage=session.get(PathwayStage, enrolment.stage_id) if enrolment else None, stages=stages,
        stage_events=list(session.scalars(select(StageEvent).where(StageEvent.enrolment_id.in_(enrolment_ids))
                                          .order_by(StageEvent.at.desc()))),
        consents=rows(Consent, Consent.person_id, Consent.id.desc()),
        rights=rows(EnhancedRightsAssessment, EnhancedRightsAssessment.person_id, EnhancedRightsAssessment.id.desc()),
        needs=rows(NeedsAssessment, NeedsAssessment.person_id, NeedsAssessment.id.desc()),
        screenings=rows(Screening, Screening.person_id, Screening.taken_at.desc()),
        alerts=rows(SafetyAlert, SafetyAlert.person_id, SafetyAlert.raised_at.desc()),
        follow_ups=rows(FollowUp, FollowUp.person_id, FollowUp.due_at),
        referrals=rows(Referral, Referral.person_id, Referral.sent_at.desc()),
        complaints=rows(Complaint, Complaint.person_id, Complaint.received_at.desc()),
        family=[(link, others.get(other, "?")) for link, other in zip(links, other_ids, strict=True)],
        messages=rows(PersonReply, PersonReply.person_id, PersonReply.received_at.desc()),
    )
    user_ids = {person.key_worker_id, person.registered_by_id}
    user_ids |= {e.by_id for e in result.stage_events} | {s.decided_by_id for s in result.screenings}
    user_ids |= {c.recorded_by_id for c in result.consents} | {a.acknowledged_by_id for a in result.alerts}
    user_ids |= {r.sent_by_id for r in result.referrals} | {m.read_by_id for m in result.messages}
    result.users = dict(session.execute(select(User.id, User.display_name).where(
        User.id.in_([u for u in user_ids if u is not None]))).all())
    result.key_worker = result.users.get(person.key_worker_id, "") if person.key_worker_id else ""
    record(session, actor, "view", "person", person.id, incident_id=person.incident_id, reason=reason.strip(),
           detail="person record")
    return result


# --- caseload -------------------------------------------------------------------------------


def _on_team(incident_id: int):
    return select(IncidentTeamMember.user_id).where(IncidentTeamMember.incident_id == incident_id,
                                                    IncidentTeamMember.removed_at.is_(None))


def caseworkers(session: Session, actor: Actor, incident_id: int | None) -> list[User]:
    """Who can be a key worker here: the active caseworkers on the incident's team now."""
    require(actor, Permission.PEOPLE_VIEW)
    incident = incident_or_refuse(session, actor, incident_id)
    return list(session.scalars(select(User).where(User.role == Role.CASEWORKER.value, User.active,
                                                   User.id.in_(_on_team(incident.id)))
                                .order_by(User.display_name)))


def _caseworker_or_refuse(session: Session, user_id: int, incident_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.role != Role.CASEWORKER.value or not user.active:
        raise InputError("A key worker must be an active caseworker.")
    if session.scalar(_on_team(incident_id).where(IncidentTeamMember.user_id == user_id)) is None:
        raise InputError(f"{user.display_name or user.username} is not on this incident's team, so could not see "
                         "the person; Gold Command or an administrator adds them on Incident team.")
    return user


def assign_key_worker(session: Session, actor: Actor, person_id: int, user_id: int) -> Person:
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    _caseworker_or_refuse(session, user_id, person.incident_id)
    person.key_worker_id = user_id
    record(session, actor, "update", "person", person.id, incident_id=person.incident_id, detail="fields: key_worker")
    return person


def _latest_rights(session: Session, person_id: int) -> str:
    return session.scalar(select(EnhancedRightsAssessment.reasons).where(EnhancedRightsAssessment.person_id == person_id)
                          .order_by(EnhancedRightsAssessment.id.desc()).limit(1)) or ""


def _recompute_pending_deadline(session: Session, person: Person) -> bool:
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


def update_contact(session: Session, actor: Actor, person_id: int, *, mobile: str, postcode: str) -> Person:
    """New mobile and home postcode; the nation and force area follow the postcode, and so does the
    Victims' Code deadline of a person not yet referred."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id)
    probe = NewPerson(person.given_name, person.family_name, person.roles.split(","), person.source,
                      mobile=mobile, postcode=postcode, nation=person.nation)
    fields = _checked(probe, london(now()).date())
    changed = [k for k in ("mobile", "postcode", "nation", "force_area") if getattr(person, k) != fields[k]]
    for name in changed:
        setattr(person, name, fields[name])
    if "nation" in changed and _recompute_pending_deadline(session, person):  # another nation's bank holidays
        changed.append("referral_due_at")
    record(session, actor, "update", "person", person.id, incident_id=person.incident_id,
           detail="fields: " + (", ".join(changed) or "none"))
    return person


def link_family(session: Session, actor: Actor, person_id: int, relative_id: int, relationship: str) -> FamilyLink:
    require(actor, Permission.PEOPLE_EDIT)
    person, relative = person_or_refuse(session, actor, person_id), person_or_refuse(session, actor, relative_id)
    if person.id == relative.id:
        raise InputError("A person cannot be linked to themselves.")
    if person.incident_id != relative.incident_id:
        raise InputError("Family links join people of the same incident.")
    if relationship not in set(Relationship):
        raise InputError(f"Unknown relationship {relationship!r}; allowed: {', '.join(Relationship)}")
    exists = session.scalar(select(FamilyLink.id).where(or_(
        and_(FamilyLink.person_id == person.id, FamilyLink.relative_id == relative.id),
        and_(FamilyLink.person_id == relative.id, FamilyLink.relative_id == person.id))))
    if exists is not None:
        raise InputError("These two people are already linked.")
    link = FamilyLink(person_id=person.id, relative_id=relative.id, relationship=relationship)
    session.add(link)
    session.flush()
    record(session, actor, "create", "family_link", link.id, incident_id=person.incident_id,
           detail="fields: person, relative, relationship")
    return link


def discharge(session: Session, actor: Actor, person_id: int, outcome: str, reason: str) -> Person:
    """Closes the case with an outcome; screenings not yet done are cancelled (reopen re-plans them)."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    if outcome not in set(DischargeOutcome):
        raise InputError(f"Unknown outcome {outcome!r}; allowed: {', '.join(DischargeOutcome)}")
    reason = free_text(reason, "The reason", 1000)
    if not reason.strip():
        raise InputError("Say why the case is closed.")
    open_alert = session.scalar(select(SafetyAlert.id).where(SafetyAlert.person_id == person.id,
                                                             SafetyAlert.acknowledged_at.is_(None)).limit(1))
    if open_alert is not None:
        raise InputError("An urgent safety alert for this person is not yet acknowledged; a clinician must act first.")
    # A positive screen closed away unseen is exactly the gap people fall through: a clinician decides first.
    waiting = session.scalar(select(Screening.id).where(Screening.person_id == person.id,
                                                        Screening.review_status == "pending").limit(1))
    if waiting is not None:
        raise InputError("A positive screen for this person waits for a clinician's review; the case can be "
                         "closed once a clinician has decided.")
    person.status, person.discharge_outcome, person.discharged_at = "discharged", outcome, now()
    session.execute(update(FollowUp).where(FollowUp.person_id == person.id,
                                           FollowUp.status.in_(care_service.LIVE_FOLLOW_UP)).values(status="cancelled"))
    record(session, actor, "discharge", "person", person.id, incident_id=person.incident_id, reason=reason.strip(),
           detail="fields: status, discharge_outcome")
    return person


def reopen(session: Session, actor: Actor, person_id: int, reason: str) -> Person:
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id)
    if person.merged_into_id is not None:
        raise InputError(f"Record {person.id} was merged into record {person.merged_into_id}; reopen that one.")
    if person.status == "open":
        raise InputError("This case is already open.")
    reason = free_text(reason, "The reason", 1000)
    if not reason.strip():
        raise InputError("Say why the case is reopened.")
    person.status, person.discharge_outcome, person.discharged_at = "open", "", None
    enrolment = care_service.current_enrolment(session, person.id)
    if enrolment is not None:
        care_service.plan_follow_ups(session, person, session.get(Pathway, enrolment.pathway_id))
    record(session, actor, "reopen", "person", person.id, incident_id=person.incident_id, reason=reason.strip(),
           detail="fields: status, follow_up")
    return person


# --- duplicates -----------------------------------------------------------------------------


def _identity(p: Person) -> Identity:
    return Identity(p.given_name, p.family_name, p.date_of_birth, p.mobile)


def duplicate_suggestions(session: Session, actor: Actor, person_id: int,
                          limit: int = 5) -> list[tuple[PersonRow, Likeness]]:
    """Records of the same incident that may be this person; a person decides. Showing them is a
    view of other people's names and dates of birth: audited."""
    require(actor, Permission.PEOPLE_VIEW)
    person = person_or_refuse(session, actor, person_id)
    decided = select(DuplicateDecision.other_id).where(DuplicateDecision.person_id == person.id).union(
        select(DuplicateDecision.person_id).where(DuplicateDecision.other_id == person.id))
    # Block on what a duplicate shares (indexed columns), then score only those.
    same = [Person.family_key == person.family_key, Person.given_key == person.given_key]
    if person.date_of_birth is not None:
        same.append(Person.date_of_birth == person.date_of_birth)
    if person.mobile:
        same.append(Person.mobile == person.mobile)
    candidates = list(session.scalars(select(Person).where(
        Person.incident_id == person.incident_id, Person.id != person.id, Person.merged_into_id.is_(None),
        Person.id.not_in(decided), or_(*same)).limit(500)))
    scored = [(c, likeness(_identity(person), _identity(c))) for c in candidates]
    best = sorted((pair for pair in scored if pair[1].suggested), key=lambda pair: -pair[1].score)[:limit]
    if best:  # one row per showing (not per record), and none when nothing is shown
        record(session, actor, "view", "person", person.id, incident_id=person.incident_id,
               reason="duplicate suggestions", detail=f"duplicate suggestions: {len(best)} records shown "
                                                      "(names, dates of birth)")
    return [(_row(c), how) for c, how in best]


def not_the_same_person(session: Session, actor: Actor, person_id: int, other_id: int) -> DuplicateDecision:
    require(actor, Permission.PEOPLE_EDIT)
    person, other = person_or_refuse(session, actor, person_id), person_or_refuse(session, actor, other_id)
    decision = DuplicateDecision(person_id=person.id, other_id=other.id, same_person=False, decided_at=now(),
                                 decided_by_id=actor.user_id)
    session.add(decision)
    session.flush()
    record(session, actor, "not_duplicate", "person", person.id, incident_id=person.incident_id,
           detail=f"other record {other.id}")
    return decision


def merge_people(session: Session, actor: Actor, survivor_id: int, duplicate_id: int) -> Person:
    """Confirms two records are one person. The duplicate points at the survivor and keeps its own
    history; the survivor gains its roles and any contact details it lacked. Nothing is deleted."""
    require(actor, Permission.PEOPLE_EDIT)
    survivor = person_or_refuse(session, actor, survivor_id, open_only=True)
    duplicate = person_or_refuse(session, actor, duplicate_id)
    if survivor.id == duplicate.id or survivor.incident_id != duplicate.incident_id:
        raise InputError("Merge two different records of the same incident.")
    if duplicate.merged_into_id is not None:
        raise InputError(f"Record {duplicate.id} is already merged into record {duplicate.merged_into_id}.")
    changes = merged_fields(*({name: getattr(p, name) for name in MERGED_COLUMNS} for p in (survivor, duplicate)))
    for name, value in changes.items():
        setattr(survivor, name, value)
    survivor.first_referred_at = min(filter(None, (survivor.first_referred_at, duplicate.first_referred_at)),
                                     default=None)
    judged = judged_reasons(*(_latest_rights(session, p.id) for p in (survivor, duplicate)))
    duplicate.merged_into_id = survivor.id
    session.execute(update(FollowUp).where(FollowUp.person_id == duplicate.id,
                                           FollowUp.status.in_(care_service.LIVE_FOLLOW_UP)).values(status="cancelled"))
    session.add(DuplicateDecision(person_id=survivor.id, other_id=duplicate.id, same_person=True, decided_at=now(),
                                  decided_by_id=actor.user_id))
    session.flush()
    fields = [*changes, "enhanced_rights"] + (["referral_due_at"] if _recompute_pending_deadline(session, survivor) else [])
    _store_enhanced_rights(session, actor, survivor, judged)  # a flag the duplicate brought may change them
    record(session, actor, "merge", "person", survivor.id, incident_id=survivor.incident_id,
           detail=f"merged record {duplicate.id}; fields: {', '.join(fields)}")
    record(session, actor, "merged_into", "person", duplicate.id, incident_id=survivor.incident_id,
           detail=f"survivor record {survivor.id}; fields: merged_into")
    return survivor

