"""Staff record their own time away by SMS, end to end: AWAY through the webhook becomes an
audited unavailability window in rosters, which then keeps them off shifts and call-outs;
BACK ends what their texts recorded; what a coordinator recorded stays."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.audit.model import AuditEvent
from core.clock import LONDON
from core.db import unit_of_work
from notifications.callout_service import start_callout
from notifications.model import CallOutRecipient, InboundMessage
from notifications.webhooks import ROUTES
from rosters.assignment_service import RuleBroken, assign, candidates_for
from rosters.model import Availability, StaffMember
from rosters.staff_service import record_availability
from tests import factories
from tests.callout_traffic import HUB, sms
from tests.twilio_requests import handle_stored, inbound, post_sms, replies_to

# The world's clock: Monday 23 November 2026, 09:00; its shift is tomorrow 09:00-17:00.


def windows(engine, mobile: str) -> list[tuple[datetime, datetime, bool, str]]:
    with unit_of_work(engine) as s:
        return list(s.execute(select(Availability.starts_at, Availability.ends_at, Availability.available,
                                     Availability.recorded_by)
                              .join(StaffMember, StaffMember.id == Availability.staff_id)
                              .where(StaffMember.mobile == mobile).order_by(Availability.starts_at)).all())


def london(day: int, month: int = 11, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=LONDON)


def last_inbound(engine) -> InboundMessage:
    with unit_of_work(engine) as s:
        row = s.scalar(select(InboundMessage).order_by(InboundMessage.id.desc()).limit(1))
        s.expunge(row)
        return row


def test_away_by_webhook_records_the_window_audited_and_confirms_it(db, twilio_env, world):
    w = world(headcount=1, staff=3)
    response = post_sms(TestClient(Starlette(routes=ROUTES)), inbound("AWAY 24/11-26/11", sender=w.mobile(0)))
    assert response.status_code == 200
    handle_stored()
    assert [r.startswith("Noted: away Tue 24 Nov to Thu 26 Nov") for r in replies_to(db.engine, w.mobile(0))] == [True]
    assert windows(db.engine, w.mobile(0)) == [(london(24), london(27), False, "system:sms")]
    row = last_inbound(db.engine)
    assert (row.sender_kind, row.intent, row.outcome, row.needs_attention) == ("staff", "away", "away recorded",
                                                                               False)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(AuditEvent.detail).where(AuditEvent.entity == "staff_availability",
                                                        AuditEvent.action == "create")).endswith("unavailable")


def test_someone_away_is_not_asked_and_cannot_be_assigned(db, world):
    w = world(headcount=1, staff=3)
    sms(db.engine, w.mobile(0), "away tomorrow")
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=1)
        asked = set(s.scalars(select(CallOutRecipient.staff_id).where(CallOutRecipient.callout_id == callout.id)))
        [away] = [c for c in candidates_for(s, HUB, w.requirement_id) if c.staff_id == w.staff_ids[0]]
    assert w.staff_ids[0] not in asked and [v.rule for v in away.violations] == ["unavailable"]
    with pytest.raises(RuleBroken, match="unavailable"), unit_of_work(db.engine) as s:
        assign(s, HUB, w.requirement_id, w.staff_ids[0])


def test_away_while_on_a_shift_is_recorded_flagged_and_leaves_the_shift_for_a_person(db, world):
    w = world(headcount=1, staff=2)
    with unit_of_work(db.engine) as s:
        assign(s, HUB, w.requirement_id, w.staff_ids[0])
    reply = sms(db.engine, w.mobile(0), "AWAY 24/11")
    assert "You are on 1 shift in that time: the hub manager will be in touch" in reply
    row = last_inbound(db.engine)
    assert row.needs_attention and row.outcome == "away: on 1 shift(s) then"
    with unit_of_work(db.engine) as s:
        from rosters.model import Assignment

        assert s.scalar(select(Assignment.withdrawn_at)) is None  # a text does not take anyone off a shift


def test_away_already_begun_runs_from_now_and_the_same_text_twice_records_it_once(db, world, frozen_clock):
    w = world(headcount=1, staff=1)
    sms(db.engine, w.mobile(0), "AWAY 20/11-25/11")
    frozen_clock.advance(timedelta(minutes=5))
    sms(db.engine, w.mobile(0), "AWAY 20/11-25/11")
    assert windows(db.engine, w.mobile(0)) == [(london(23, hour=9), london(26), False, "system:sms")]


def test_back_ends_time_away_from_now_and_leaves_what_a_coordinator_recorded(db, world, frozen_clock, make_actor):
    w = world(headcount=1, staff=1)
    coordinator = make_actor("agency_coordinator", agency="Victim Support")
    with unit_of_work(db.engine) as s:
        record_availability(s, coordinator, w.staff_ids[0], london(10, 12), london(12, 12), available=False)
    sms(db.engine, w.mobile(0), "AWAY 23/11-25/11")
    sms(db.engine, w.mobile(0), "AWAY 1/12-3/12")
    frozen_clock.advance(timedelta(hours=3))
    assert sms(db.engine, w.mobile(0), "Back").startswith("Welcome back")
    assert windows(db.engine, w.mobile(0)) == [
        (london(23, hour=9), london(23, hour=12), False, "system:sms"),  # cut short at the moment of BACK
        (london(10, 12), london(12, 12), False, coordinator.username),
    ]
    assert sms(db.engine, w.mobile(0), "BACK").startswith("Thank you. We had no time away recorded")
    assert last_inbound(db.engine).outcome == "back: 0 away ended"


def test_unreadable_dates_get_how_to_write_them_and_record_nothing(db, world):
    w = world(headcount=1, staff=1)
    reply = sms(db.engine, w.mobile(0), "AWAY next week")
    assert "could not read 'next week'" in reply and "AWAY 3/12-10/12" in reply
    row = last_inbound(db.engine)
    assert row.needs_attention and row.intent == "away" and windows(db.engine, w.mobile(0)) == []


def test_only_staff_can_record_time_away_by_text(db, world):
    world(headcount=1, staff=1)
    assert sms(db.engine, "+447400999888", "AWAY 24/11") == ""  # an unknown number is told nothing
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Availability)) is None


def test_one_person_on_two_rosters_is_away_on_both(db, world):
    w = world(headcount=1, staff=1)
    with unit_of_work(db.engine) as s:
        first = s.get(StaffMember, w.staff_ids[0])
        same_person = dict(first_name=first.first_name, last_name=first.last_name, mobile=first.mobile,
                           role=first.role, skills=[], dbs_expiry=first.dbs_expiry)
    factories.staff(db, factories.agency(db, "British Red Cross"), staff_ref="BRC1", **same_person)
    sms(db.engine, w.mobile(0), "AWAY 24/11")
    assert len(windows(db.engine, w.mobile(0))) == 2
