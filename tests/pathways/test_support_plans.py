"""Support plans: a needs assessment starts the plan and its risk level paces the reviews (high risk
weekly, configurable); actions need an owner (a caseworker on the team or a partner agency) and a
due date; reviews keep the history; "my day" lists the reviews and the reader's actions due."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.audit.model import AuditEvent
from core.db import unit_of_work
from core.errors import InputError
from core.settings import get_settings, reset_settings
from pathways.merge_service import merge_people
from pathways.model import PlanReview, SupportAction, SupportPlan
from pathways.my_day_queries import my_day
from pathways.needs_service import assess_needs
from pathways.plan_reviews import review_every
from pathways.support_plan_queries import person_plan
from pathways.support_plan_service import NewAction, add_action, close_action, review_plan, set_tier

MONDAY = date(2026, 11, 23)  # the frozen clock's day


def _assess(db, actor, pid, risk):
    with unit_of_work(db.engine) as s:
        assess_needs(s, actor, pid, ["housing"], risk)


def test_a_high_risk_assessment_schedules_weekly_reviews_and_a_lower_risk_repaces_them(
        db, frozen_clock, register, caseworker):
    pid = register(key_worker_id=caseworker.user_id)
    _assess(db, caseworker, pid, "high")
    with unit_of_work(db.engine) as s:
        plan = s.get(SupportPlan, pid)
        assert (plan.tier, plan.risk_level, plan.review_every_days, plan.next_review_on) == (
            "specialist", "high", 7, MONDAY + timedelta(days=7))
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "assess_needs"))
        assert event.detail.endswith("support plan reviewed every 7 days")
    frozen_clock.advance(timedelta(days=7))
    with unit_of_work(db.engine) as s:
        day = my_day(s, caseworker, s.get(SupportPlan, pid).incident_id)
        assert [(i.person_id, i.what, i.due_on, i.overdue) for i in day.plans_due] == [
            (pid, "Support plan review (high risk, every 7 days)", MONDAY + timedelta(days=7), False)]
        review_plan(s, caseworker, pid, "Sleeping better; housing sorted")
    with unit_of_work(db.engine) as s:
        assert s.get(SupportPlan, pid).next_review_on == MONDAY + timedelta(days=14)  # a week after the review
    _assess(db, caseworker, pid, "low")  # reassessed: four-weekly from today; the tier a caseworker keeps
    view = _plan(db, caseworker, pid)
    assert (view.tier, view.risk_level, view.review_every_days, view.next_review_on, view.review_due) == (
        "specialist", "low", 28, MONDAY + timedelta(days=35), False)
    assert [(r.kind, r.risk_level, r.next_review_on, r.note) for r in view.history] == [
        ("assessment", "low", MONDAY + timedelta(days=35), ""),
        ("review", "high", MONDAY + timedelta(days=14), "Sleeping better; housing sorted"),
        ("assessment", "high", MONDAY + timedelta(days=7), "")]


def test_the_review_intervals_are_configurable(monkeypatch):
    monkeypatch.setenv("STANDUP_REVIEW_DAYS_HIGH", "3")
    monkeypatch.setenv("STANDUP_REVIEW_DAYS_MEDIUM", "10")
    reset_settings()
    try:
        assert [review_every(r, get_settings()) for r in ("high", "medium", "low")] == [3, 10, 28]
    finally:
        monkeypatch.undo()
        reset_settings()


def _plan(db, actor, pid):
    with unit_of_work(db.engine) as s:
        return person_plan(s, actor, pid)


def test_an_action_needs_an_owner_and_a_due_date_and_nothing_is_saved_without(
        db, frozen_clock, register, caseworker, make_actor, agency_id):
    pid = register()
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="starts from their needs assessment"):
        add_action(s, caseworker, pid, NewAction("Housing letter", MONDAY, owner_user_id=caseworker.user_id))
    _assess(db, caseworker, pid, "medium")
    refusals = {
        NewAction("Housing letter", MONDAY): "Say who owns the action",
        NewAction("Housing letter", MONDAY, caseworker.user_id, agency_id): "Say who owns the action",
        NewAction("Housing letter", None, owner_agency_id=agency_id): "Give the date the action is due",
        NewAction("  ", MONDAY, owner_agency_id=agency_id): "Say what will be done",
        NewAction("Housing letter", MONDAY - timedelta(days=1), owner_agency_id=agency_id): "has passed",
        NewAction("Housing letter", MONDAY, owner_user_id=make_actor("caseworker", on_team=False).user_id):
            "not on this incident's team",
        NewAction("Housing letter", MONDAY, owner_user_id=make_actor("gold").user_id):
            "An action's owner must be an active caseworker",
    }
    for action, reason in refusals.items():
        with unit_of_work(db.engine) as s, pytest.raises(InputError, match=reason):
            add_action(s, caseworker, pid, action)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count(SupportAction.id))) == 0
        mine = add_action(s, caseworker, pid, NewAction("Call about the housing letter", MONDAY,
                                                        owner_user_id=caseworker.user_id)).id
        theirs = add_action(s, caseworker, pid, NewAction("Bereavement counselling", MONDAY + timedelta(days=3),
                                                          owner_agency_id=agency_id)).id
    with unit_of_work(db.engine) as s:
        assert set_tier(s, caseworker, pid, "specialist").tier == "specialist"
        with pytest.raises(InputError, match="Choose a tier"):
            set_tier(s, caseworker, pid, "gold")
    view = _plan(db, caseworker, pid)
    assert [(a.what, a.owner, a.status) for a in view.actions] == [
        ("Call about the housing letter", caseworker.display_name, "open"),
        ("Bereavement counselling", "Cruse Bereavement Support", "open")]
    frozen_clock.advance(timedelta(days=1))
    with unit_of_work(db.engine) as s:
        day = my_day(s, caseworker, s.get(SupportPlan, pid).incident_id, mine_only=False)
        # The reader's own action, overdue; the agency's is theirs to do.
        assert [(i.what, i.overdue) for i in day.plans_due] == [("Action: Call about the housing letter", True)]
        close_action(s, caseworker, mine, "done")
        with pytest.raises(InputError, match="already done"):
            close_action(s, caseworker, mine, "cancelled")
        with pytest.raises(InputError, match="done or cancelled"):
            close_action(s, caseworker, theirs, "open")
    view = _plan(db, caseworker, pid)
    assert [(a.what, a.status, a.overdue) for a in view.actions] == [
        ("Bereavement counselling", "open", False), ("Call about the housing letter", "done", False)]
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count(PlanReview.id))) == 1  # the assessment's
        actions = s.scalars(select(AuditEvent.detail).where(AuditEvent.entity == "support_action")
                            .order_by(AuditEvent.id)).all()
        assert actions == [f"person {pid}; fields: what, owner, due_on"] * 2 + [f"person {pid}; status: done"]


def test_someone_off_the_team_cannot_read_or_change_a_plan(db, frozen_clock, register, caseworker, make_actor):
    pid = register()
    _assess(db, caseworker, pid, "high")
    outsider = make_actor("caseworker", on_team=False)
    with unit_of_work(db.engine) as s:
        for attempt in (lambda: person_plan(s, outsider, pid), lambda: review_plan(s, outsider, pid)):
            with pytest.raises(PermissionError):
                attempt()


def test_the_record_shows_the_plan_and_refuses_an_action_without_an_owner(
        app_as, db, frozen_clock, register, caseworker, agency_id):
    pid = register()
    _assess(db, caseworker, pid, "high")
    at = app_as("caseworker", "pathways/pages/person.py", actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "plan review"}, person_tab="Support plan")
    assert not at.exception
    assert any("**Specialist support** · high risk: reviewed every 7 days · next review Mon 30 Nov 2026" in m.value
               for m in at.markdown)
    at.text_input(key="plan_action_what").input("Ask the council about rehousing")
    at.date_input(key="plan_action_due").set_value(date(2026, 11, 27))
    next(b for b in at.button if b.label == "Add action").click().run()
    assert "Say who owns the action" in " ".join(e.value for e in at.error)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count(SupportAction.id))) == 0
    at.selectbox(key="plan_action_owner").set_value(("agency", agency_id))
    next(b for b in at.button if b.label == "Add action").click().run()
    assert not at.exception and [s.value for s in at.success] == ["Action added: Ask the council about rehousing."]
    assert list(at.dataframe[0].value["owner"]) == ["Cruse Bereavement Support"]
    at.text_area(key="plan_review_note").input("Reviewed with her sister present")
    next(b for b in at.button if b.label == "Record the review").click().run()
    assert [s.value for s in at.success] == ["Review recorded; the next is scheduled."]
    history = at.dataframe[1].value
    assert list(history["what"]) == ["review", "needs assessment"]
    assert list(history["note"]) == ["Reviewed with her sister present", ""]


def test_a_merge_carries_the_support_still_to_give(db, frozen_clock, register, caseworker, agency_id):
    survivor = register(given_name="Ava", mobile="")
    duplicate = register(given_name="Eva", mobile="")
    _assess(db, caseworker, duplicate, "high")  # only the duplicate was assessed
    with unit_of_work(db.engine) as s:
        still = add_action(s, caseworker, duplicate, NewAction("Call about the housing letter", MONDAY,
                                                                owner_user_id=caseworker.user_id)).id
        done = add_action(s, caseworker, duplicate, NewAction("Bereavement counselling", MONDAY,
                                                               owner_agency_id=agency_id)).id
        close_action(s, caseworker, done, "done")
    with unit_of_work(db.engine) as s:
        merge_people(s, caseworker, survivor, duplicate)
    view = _plan(db, caseworker, survivor)
    assert (view.risk_level, view.review_every_days, view.next_review_on) == ("high", 7, MONDAY + timedelta(days=7))
    assert [(a.what, a.status) for a in view.actions] == [("Call about the housing letter", "open")]
    with unit_of_work(db.engine) as s:
        assert (s.get(SupportAction, still).person_id, s.get(SupportAction, done).person_id) == (survivor, duplicate)
        merge = s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "merge"))
        assert "support actions, support plan" in merge
    frozen_clock.advance(timedelta(days=7))
    with unit_of_work(db.engine) as s:  # the survivor's day shows what the duplicate's would have
        day = my_day(s, caseworker, s.get(SupportPlan, survivor).incident_id, mine_only=False)
        assert sorted((i.person_id, i.what) for i in day.plans_due) == [
            (survivor, "Action: Call about the housing letter"),
            (survivor, "Support plan review (high risk, every 7 days)")]


def test_a_survivors_own_plan_stands_when_both_were_assessed(db, frozen_clock, register, caseworker):
    survivor, duplicate = register(given_name="Ava", mobile=""), register(given_name="Eva", mobile="")
    _assess(db, caseworker, survivor, "low")
    _assess(db, caseworker, duplicate, "high")
    with unit_of_work(db.engine) as s:
        merge_people(s, caseworker, survivor, duplicate)
    assert _plan(db, caseworker, survivor).risk_level == "low"
