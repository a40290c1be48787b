"""Support plans as use cases: a needs assessment starts or re-paces a person's plan (its risk level
sets how often it is reviewed, high risk weekly); a caseworker sets the tier, adds actions (what, whose
— a caseworker on the team or a partner agency —, by when), closes them, and records each review,
which schedules the next. The plan's history is its reviews and the audit trail of its actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.errors import InputError
from core.settings import get_settings
from core.typed_text import free_text
from pathways.lookups import caseworker_or_refuse, person_or_refuse, row_or_refuse
from pathways.model import Person, PlanReview, SupportAction, SupportPlan
from pathways.plan_reviews import STARTING_TIER, next_review, review_every
from pathways.vocabulary import ActionStatus, RiskLevel, SupportTier, label


def pace_plan(session: Session, actor: Actor, person: Person, risk_level: str, at: datetime) -> SupportPlan:
    """Called by a needs assessment (already authorised and audited): the plan starts at the tier its
    risk suggests, or keeps the tier a caseworker chose; its reviews are re-paced from the assessment's day."""
    every = review_every(risk_level, get_settings())
    review_on = next_review(london(at).date(), every)
    plan = session.get(SupportPlan, person.id)
    if plan is None:
        plan = SupportPlan(person_id=person.id, incident_id=person.incident_id,
                           tier=STARTING_TIER[RiskLevel(risk_level)].value)
        session.add(plan)
    plan.risk_level, plan.review_every_days, plan.next_review_on = risk_level, every, review_on
    plan.updated_at, plan.updated_by_id = at, actor.user_id
    session.add(PlanReview(person_id=person.id, reviewed_at=at, reviewed_by_id=actor.user_id, kind="assessment",
                           risk_level=risk_level, tier=plan.tier, next_review_on=review_on))
    session.flush()
    return plan


def _plan_or_refuse(session: Session, actor: Actor, person_id: int) -> tuple[Person, SupportPlan]:
    person = person_or_refuse(session, actor, person_id, open_only=True)
    plan = session.get(SupportPlan, person.id)
    if plan is None:
        raise InputError(f"{person.given_name} {person.family_name} has no support plan yet: it starts from their "
                         "needs assessment (the Needs tab).")
    return person, plan


def set_tier(session: Session, actor: Actor, person_id: int, tier: str) -> SupportPlan:
    require(actor, Permission.PEOPLE_EDIT)
    person, plan = _plan_or_refuse(session, actor, person_id)
    if tier not in set(SupportTier):
        raise InputError(f"Choose a tier: {', '.join(label(t) for t in SupportTier)}.")
    if tier != plan.tier:
        plan.tier, plan.updated_at, plan.updated_by_id = tier, now(), actor.user_id
        record(session, actor, "update", "support_plan", person.id, incident_id=person.incident_id,
               detail=f"tier: {tier}")
    return plan


@dataclass(frozen=True)
class NewAction:
    what: str
    due_on: date | None
    owner_user_id: int | None = None  # a caseworker on the incident's team…
    owner_agency_id: int | None = None  # …or a partner agency: exactly one


def add_action(session: Session, actor: Actor, person_id: int, new: NewAction) -> SupportAction:
    require(actor, Permission.PEOPLE_EDIT)
    person, _plan = _plan_or_refuse(session, actor, person_id)
    what = free_text(new.what, "What will be done", 1000).strip()
    if not what:
        raise InputError("Say what will be done.")
    if (new.owner_user_id is None) == (new.owner_agency_id is None):
        raise InputError("Say who owns the action: a caseworker or a partner agency (one of them).")
    if new.owner_user_id is not None:
        caseworker_or_refuse(session, new.owner_user_id, person.incident_id, as_what="An action's owner")
    else:
        agency = session.get(Agency, new.owner_agency_id)
        if agency is None or not agency.active:
            raise InputError("An action's owner must be an active partner agency.")
    if new.due_on is None:
        raise InputError("Give the date the action is due.")
    if new.due_on < london(now()).date():
        raise InputError(f"The due date {new.due_on:%d/%m/%Y} has passed; give today or a later date.")
    action = SupportAction(incident_id=person.incident_id, person_id=person.id, what=what,
                           owner_user_id=new.owner_user_id, owner_agency_id=new.owner_agency_id, due_on=new.due_on,
                           status=ActionStatus.OPEN.value, created_at=now(), created_by_id=actor.user_id)
    session.add(action)
    session.flush()
    record(session, actor, "create", "support_action", action.id, incident_id=person.incident_id,
           detail=f"person {person.id}; fields: what, owner, due_on")
    return action


def close_action(session: Session, actor: Actor, action_id: int, status: str) -> SupportAction:
    require(actor, Permission.PEOPLE_EDIT)
    action = row_or_refuse(session, actor, SupportAction, action_id, "support plan action")
    if status not in (ActionStatus.DONE, ActionStatus.CANCELLED):
        raise InputError("An action is closed as done or cancelled.")
    if action.status != ActionStatus.OPEN:
        raise InputError(f"That action is already {action.status}.")
    action.status, action.closed_at, action.closed_by_id = status, now(), actor.user_id
    record(session, actor, "update", "support_action", action.id, incident_id=action.incident_id,
           detail=f"person {action.person_id}; status: {status}")
    return action


def review_plan(session: Session, actor: Actor, person_id: int, note: str = "") -> PlanReview:
    """A review done today: kept in the plan's history, the next one due after the plan's interval."""
    require(actor, Permission.PEOPLE_EDIT)
    person, plan = _plan_or_refuse(session, actor, person_id)
    at = now()
    plan.next_review_on = next_review(london(at).date(), plan.review_every_days)
    plan.updated_at, plan.updated_by_id = at, actor.user_id
    review = PlanReview(person_id=person.id, reviewed_at=at, reviewed_by_id=actor.user_id, kind="review",
                        risk_level=plan.risk_level, tier=plan.tier, next_review_on=plan.next_review_on,
                        note=free_text(note, "The review note", 2000))
    session.add(review)
    session.flush()
    record(session, actor, "create", "plan_review", review.id, incident_id=person.incident_id,
           detail=f"person {person.id}; fields: note; next review {plan.next_review_on:%Y-%m-%d}")
    return review


def carry_support_plan(session: Session, survivor_id: int, duplicate_id: int) -> list[str]:
    """When two records are merged, the support still to give goes with the person: the duplicate's
    open actions move to the survivor, and its plan too when the survivor has none (a survivor's own
    plan, from its own assessment, stands). Done and cancelled actions and past reviews stay in the
    duplicate's history. The fields the survivor gained, for the merge's audit event."""
    moved = session.execute(update(SupportAction).where(
        SupportAction.person_id == duplicate_id, SupportAction.status == ActionStatus.OPEN.value)
        .values(person_id=survivor_id)).rowcount
    gained = ["support actions"] if moved else []
    plan = session.get(SupportPlan, duplicate_id)
    if plan is not None and session.get(SupportPlan, survivor_id) is None:
        session.add(SupportPlan(person_id=survivor_id, incident_id=plan.incident_id, tier=plan.tier,
                                risk_level=plan.risk_level, review_every_days=plan.review_every_days,
                                next_review_on=plan.next_review_on, updated_at=now(),
                                updated_by_id=plan.updated_by_id))
        gained.append("support plan")
    session.flush()
    return gained
