"""A person's support plan as the record shows it: tier, pace of reviews, actions and history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from pathways.lookups import person_or_refuse, user_names
from pathways.model import PlanReview, SupportAction, SupportPlan


@dataclass(frozen=True)
class ActionLine:
    action_id: int
    what: str
    owner: str  # a caseworker's name, or an agency's
    due_on: date
    status: str
    overdue: bool


@dataclass(frozen=True)
class ReviewLine:
    at: datetime
    by: str
    kind: str  # "assessment" or "review"
    risk_level: str
    tier: str
    next_review_on: date
    note: str


@dataclass(frozen=True)
class PlanView:
    tier: str
    risk_level: str
    review_every_days: int
    next_review_on: date
    review_due: bool  # today or before
    actions: list[ActionLine]  # open first, by due date
    history: list[ReviewLine]  # newest first


def person_plan(session: Session, actor: Actor, person_id: int) -> PlanView | None:
    """None: no needs assessment yet, so no plan. Part of the person's record, whose opening is
    audited where it is opened (people_queries.view_person)."""
    require(actor, Permission.PEOPLE_VIEW)
    person = person_or_refuse(session, actor, person_id)
    plan = session.get(SupportPlan, person.id)
    if plan is None:
        return None
    today = london(now()).date()
    actions = list(session.scalars(select(SupportAction).where(SupportAction.person_id == person.id)
                                   .order_by(SupportAction.status != "open", SupportAction.due_on, SupportAction.id)))
    reviews = list(session.scalars(select(PlanReview).where(PlanReview.person_id == person.id)
                                   .order_by(PlanReview.reviewed_at.desc(), PlanReview.id.desc())))
    users = user_names(session, [a.owner_user_id for a in actions] + [r.reviewed_by_id for r in reviews])
    agency_ids = {a.owner_agency_id for a in actions if a.owner_agency_id is not None}
    agencies = {i: name for i, name in session.execute(select(Agency.id, Agency.name)
                                                      .where(Agency.id.in_(agency_ids)))} if agency_ids else {}
    return PlanView(
        plan.tier, plan.risk_level, plan.review_every_days, plan.next_review_on, plan.next_review_on <= today,
        [ActionLine(a.id, a.what, users.get(a.owner_user_id, "") if a.owner_user_id else agencies.get(a.owner_agency_id, ""),
                    a.due_on, a.status, a.status == "open" and a.due_on < today) for a in actions],
        [ReviewLine(r.reviewed_at, users.get(r.reviewed_by_id, "Stand Up"), r.kind, r.risk_level, r.tier,
                    r.next_review_on, r.note) for r in reviews])
