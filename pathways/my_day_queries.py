"""A caseworker's morning: screenings due today, overdue ones, positives to review (for
clinicians), Victims' Code referral deadlines, people to tell of a justice milestone, and support
plan reviews and actions due. One query
per list (joined for names), each capped. Urgent alerts and the duty clinician are the banner every
pathways page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import LONDON, london, now
from pathways.clinicians import is_clinician
from pathways.justice_queries import milestone_title
from pathways.lookups import incident_or_refuse
from pathways.model import (
    FollowUp,
    InformTask,
    JusticeMilestone,
    Person,
    PersonReply,
    SupportAction,
    SupportPlan,
)
from pathways.person_replies import KIND_TITLES
from pathways.screening_service import ReviewItem, review_queue, reviews_waiting

LIST_LIMIT = 50
REVIEWS_SHOWN = 10  # the oldest; decisions are taken on the Clinician review page


@dataclass(frozen=True)
class DueItem:
    person_id: int
    name: str
    what: str
    due_at: datetime


@dataclass(frozen=True)
class InformItem:
    """A person to tell of a justice milestone (an arrest, a charge, a hearing…) by `due_at`."""

    task_id: int
    person_id: int
    name: str
    what: str  # "Charge, 12 Mar 2027"
    due_at: datetime
    overdue: bool


@dataclass(frozen=True)
class PlanDue:
    """A support plan's review, or an action of it, due on `due_on` (today or before)."""

    person_id: int
    name: str
    what: str  # "Plan review (high risk, weekly)" or the action
    due_on: date
    overdue: bool  # due before today


@dataclass(frozen=True)
class MyDay:
    """The urgent alerts are not here: the banner on every pathways page (alert_banner) shows them."""

    due_today: list[DueItem]
    due_today_total: int
    overdue: list[DueItem]
    overdue_total: int
    to_review: list[ReviewItem]
    to_review_total: int
    referrals_due: list[DueItem]
    referrals_due_total: int
    # unread texts from people, and what they wrote or asked in a feedback survey (due_at: when
    # received); the words are on the record
    messages: list[DueItem]
    messages_total: int
    mine_only: bool
    to_inform: list[InformItem]  # soonest due first, so the overdue lead
    to_inform_total: int
    to_inform_overdue: int
    plans_due: list[PlanDue]  # reviews due, then the actions the reader owns, each by date
    plans_due_total: int


def end_of_today(at: datetime) -> datetime:
    return datetime.combine(london(at).date() + timedelta(days=1), time.min, tzinfo=LONDON)


def my_day(session: Session, actor: Actor, incident_id: int | None, *, mine_only: bool = True) -> MyDay:
    require(actor, Permission.PEOPLE_VIEW)
    incident = incident_or_refuse(session, actor, incident_id)
    at = now()
    cutoff = end_of_today(at)

    def scoped(q):
        q = q.where(Person.merged_into_id.is_(None), Person.status == "open")
        return q.where(Person.key_worker_id == actor.user_id) if mine_only else q

    # A caseload is a hundred people or so: start from them (by person) rather than from every
    # follow-up or inform task of the incident, so the planner never walks thousands of rows
    # (SQLite walked the incident's 57,000 open inform tasks: 90 ms of a 135 ms page).
    caseload = select(Person.id).where(Person.incident_id == incident.id, Person.key_worker_id == actor.user_id,
                                       Person.status == "open", Person.merged_into_id.is_(None))

    def in_scope(person_id, incident_id):
        return person_id.in_(caseload) if mine_only else incident_id == incident.id

    def follow_ups(statuses: tuple[str, ...], due_before: datetime | None) -> tuple[list[DueItem], int]:
        base = (select(FollowUp.person_id, Person.given_name, Person.family_name, FollowUp.month, FollowUp.due_at)
                .join(Person, Person.id == FollowUp.person_id)
                .where(in_scope(FollowUp.person_id, FollowUp.incident_id), FollowUp.status.in_(statuses)))
        if due_before is not None:
            base = base.where(FollowUp.due_at < due_before)
        base = scoped(base)
        total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
        rows = session.execute(base.order_by(FollowUp.due_at).limit(LIST_LIMIT))
        return [DueItem(r.person_id, f"{r.given_name} {r.family_name}", f"{r.month}-month screening", r.due_at)
                for r in rows], total

    due_today, due_total = follow_ups(("planned", "open"), cutoff)
    overdue, overdue_total = follow_ups(("overdue",), None)
    referral_q = scoped(select(Person.id, Person.given_name, Person.family_name, Person.referral_due_at).where(
        Person.incident_id == incident.id, Person.first_referred_at.is_(None),
        Person.referral_due_at < cutoff + timedelta(days=1)))
    referrals_total = session.scalar(select(func.count()).select_from(referral_q.subquery())) or 0
    referrals = [DueItem(r.id, f"{r.given_name} {r.family_name}", "Victims' Code referral", r.referral_due_at)
                 for r in session.execute(referral_q.order_by(Person.referral_due_at).limit(LIST_LIMIT))]
    # Unread texts: the key worker's people, and people nobody is key worker for yet (never unseen).
    message_q = (select(PersonReply.person_id, Person.given_name, Person.family_name, PersonReply.kind,
                        PersonReply.received_at)
                 .join(Person, Person.id == PersonReply.person_id)
                 .where(PersonReply.incident_id == incident.id, PersonReply.read_at.is_(None)))
    if mine_only:
        message_q = message_q.where(or_(Person.key_worker_id == actor.user_id, Person.key_worker_id.is_(None)))
    messages_total = session.scalar(select(func.count()).select_from(message_q.subquery())) or 0
    messages = [DueItem(r.person_id, f"{r.given_name} {r.family_name}", KIND_TITLES[r.kind], r.received_at)
                for r in session.execute(message_q.order_by(PersonReply.received_at).limit(LIST_LIMIT))]
    to_inform, inform_total, inform_overdue = _to_inform(
        session, scoped, in_scope(InformTask.person_id, InformTask.incident_id), at)
    plans_due, plans_total = _plans_due(session, actor, scoped, incident.id, london(at).date())
    clinician = is_clinician(session, actor)
    result = MyDay(
        due_today=due_today, due_today_total=due_total, overdue=overdue, overdue_total=overdue_total,
        to_review=review_queue(session, actor, incident.id, limit=REVIEWS_SHOWN) if clinician else [],
        to_review_total=reviews_waiting(session, actor, incident.id) if clinician else 0,
        referrals_due=referrals, referrals_due_total=referrals_total, messages=messages,
        messages_total=messages_total, mine_only=mine_only,
        to_inform=to_inform, to_inform_total=inform_total, to_inform_overdue=inform_overdue,
        plans_due=plans_due, plans_due_total=plans_total,
    )
    record(session, actor, "view", "person", incident_id=incident.id, reason="my day",
           detail=f"my day lists: {due_total} due, {overdue_total} overdue, {referrals_total} referrals, "
                  f"{messages_total} messages, {inform_total} to inform, {plans_total} plan reviews and actions")
    return result


def _to_inform(session: Session, scoped, in_scope, at: datetime) -> tuple[list[InformItem], int, int]:
    """Open inform tasks of the people in scope: the first LIST_LIMIT by deadline, how many there
    are, and how many of them are past their Victims' Code time."""
    base = scoped(select(InformTask.id, InformTask.person_id, Person.given_name, Person.family_name,
                         JusticeMilestone.kind, JusticeMilestone.occurred_on, InformTask.due_at)
                  .join(Person, Person.id == InformTask.person_id)
                  .join(JusticeMilestone, JusticeMilestone.id == InformTask.milestone_id)
                  .where(in_scope, InformTask.closed_at.is_(None)))
    counted = base.subquery()
    total, overdue = session.execute(select(
        func.count(), func.coalesce(func.sum(case((counted.c.due_at < at, 1), else_=0)), 0)).select_from(counted)).one()
    items = [InformItem(r.id, r.person_id, f"{r.given_name} {r.family_name}", milestone_title(r.kind, r.occurred_on),
                        r.due_at, r.due_at < at)
             for r in session.execute(base.order_by(InformTask.due_at, InformTask.id).limit(LIST_LIMIT))]
    return items, int(total or 0), int(overdue)


def _plans_due(session: Session, actor: Actor, scoped, incident_id: int, today: date) -> tuple[list[PlanDue], int]:
    """Support plan reviews due by today (of the people in scope), and the open actions due by today
    that the reader owns (whoever's key worker they are): the first LIST_LIMIT of each, and how many."""
    reviews = scoped(select(SupportPlan.person_id, Person.given_name, Person.family_name, SupportPlan.risk_level,
                            SupportPlan.review_every_days, SupportPlan.next_review_on)
                     .join(Person, Person.id == SupportPlan.person_id)
                     .where(SupportPlan.incident_id == incident_id, SupportPlan.next_review_on <= today))
    actions = (select(SupportAction.person_id, Person.given_name, Person.family_name, SupportAction.what,
                      SupportAction.due_on)
               .join(Person, Person.id == SupportAction.person_id)
               .where(SupportAction.incident_id == incident_id, SupportAction.owner_user_id == actor.user_id,
                      SupportAction.status == "open", SupportAction.due_on <= today,
                      Person.merged_into_id.is_(None), Person.status == "open"))
    total = sum(session.scalar(select(func.count()).select_from(q.subquery())) or 0 for q in (reviews, actions))
    items = [PlanDue(r.person_id, f"{r.given_name} {r.family_name}",
                     f"Support plan review ({r.risk_level} risk, every {r.review_every_days} days)", r.next_review_on,
                     r.next_review_on < today)
             for r in session.execute(reviews.order_by(SupportPlan.next_review_on).limit(LIST_LIMIT))]
    items += [PlanDue(r.person_id, f"{r.given_name} {r.family_name}", f"Action: {r.what}", r.due_on, r.due_on < today)
              for r in session.execute(actions.order_by(SupportAction.due_on).limit(LIST_LIMIT))]
    return items, total
