"""Finding and viewing affected people: the paged search, and one person's whole record (audited)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from core.audit.service import record, record_opening
from core.auth.model import User
from core.auth.roles import Actor, Permission, require
from core.errors import InputError
from core.lookalikes import fold
from core.phone import normalise_mobile
from core.typed_text import free_text, one_line
from pathways import pathway_service
from pathways.geography import place_of
from pathways.lookups import incident_or_refuse, person_or_refuse
from pathways.merged_records import with_merged
from pathways.model import (
    Complaint,
    Consent,
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
from pathways.person_messages import PERSON_MESSAGES, routes
from pathways.retention import ERASED
from pathways.vocabulary import ContactBy

PAGE_SIZE = 25


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


def person_row(r) -> PersonRow:
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
    rows = [person_row(r) for r in session.execute(q)]
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
    for word in fold(words).split():
        prefix = _prefix_pattern(word)
        conditions.append(or_(Person.family_key.like(prefix, escape=LIKE_ESCAPE),
                              Person.given_key.like(prefix, escape=LIKE_ESCAPE)))
    return and_(*conditions)


def _prefix_pattern(word: str) -> str:
    """A LIKE pattern for names starting with `word` itself: a typed % or _ is a character, not a wildcard."""
    return "".join(LIKE_ESCAPE + c if c in ("%", "_", LIKE_ESCAPE) else c for c in word) + "%"


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
    reached_by: str = ""  # the channel the support team's messages take now; "" none
    contact_problem: str = ""  # why none can reach them, when they did not ask to be phoned


def view_person(session: Session, actor: Actor, person_id: int, reason: str) -> PersonRecord:
    """Everything about one person, merged duplicates' histories included. Viewing needs a reason,
    which the audit trail keeps (DPA 2018 s.62: consultation is logged with its justification)."""
    require(actor, Permission.PEOPLE_VIEW)
    reason = free_text(reason, "The reason", 1000)
    if not reason.strip():
        raise InputError("Give a reason for opening this record (e.g. 'scheduled screening call').")
    person = person_or_refuse(session, actor, person_id)
    ids = with_merged(session, person.id)
    enrolment = pathway_service.current_enrolment(session, person.id)
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
    result.reached_by, result.contact_problem = _reached_by(session, person)
    record_opening(session, actor, "person", person.id, incident_id=person.incident_id, reason=reason.strip(),
                   detail="person record")
    return result


def _reached_by(session: Session, person: Person) -> tuple[str, str]:
    route = routes(session, PERSON_MESSAGES.get(), [person])[person.id]
    if route is not None:
        return route.channel, ""
    if person.contact_by == ContactBy.PHONE:
        return "", ""
    return "", ("No reminder, update or news of their key worker can reach them now: no consent to "
                + ({"sms": "texts", "email": "emails"}.get(person.contact_by, "texts or emails"))
                + " recorded, no address for it, or they opted out of it. Phone them, or record their consent.")


_ROW_COLUMNS = (Person.id, Person.given_name, Person.family_name, Person.date_of_birth, Person.roles,
                Person.status, Person.postcode, Person.key_worker_id)


LIKE_ESCAPE = "/"
