"""Call-outs end to end in the database, with an injected clock: waves, quorum, standby,
reminders, expiry, CANCEL <code>, hard rules at YES time, simulated exercise responders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.db import unit_of_work
from core.errors import InputError
from notifications import callout_rules
from notifications.board_queries import callouts_for_incident
from notifications.callout_service import advance_callouts, cancel_callout, start_callout
from notifications.mobilisation_service import request_staff
from notifications.model import (
    CallOut,
    CallOutRecipient,
    InboundMessage,
    MobilisationRequest,
    OutboundMessage,
)
from notifications.segments import measure
from notifications.simulated_responders import answer_for_simulated_responders
from rosters.assignment_service import assign
from rosters.model import Assignment, StaffMember
from rosters.staff_service import update_staff
from tests import factories
from tests.callout_traffic import HUB, asked_mobiles, sms, states


def start(engine, world, **kwargs) -> CallOut:
    with unit_of_work(engine) as s:
        return start_callout(s, HUB, world.requirement_id, **kwargs)


def advance(engine) -> int:
    with unit_of_work(engine) as s:
        return advance_callouts(s)


def test_first_wave_asks_twice_the_quorum_with_a_coded_gsm7_text(db, world):
    w = world(headcount=3, staff=10)
    callout = start(db.engine, w, quorum=2)
    assert states(db.engine, callout.id) == {"asked": 4, "waiting": 6}
    with unit_of_work(db.engine) as s:
        bodies = list(s.scalars(select(OutboundMessage.body).where(OutboundMessage.callout_id == callout.id)))
    assert len(bodies) == 4
    assert f"YES {callout.code}" in bodies[0] and "Etihad Hub" in bodies[0]
    assert measure(bodies[0]).encoding == "GSM-7"


def test_quorum_stops_asking_and_later_yes_is_told_to_stand_by(db, world):
    w = world(headcount=2, staff=10)
    callout = start(db.engine, w, quorum=2)
    first, second, third = asked_mobiles(db.engine, callout.id)[:3]
    assert sms(db.engine, first, f"yes {callout.code}").startswith("Confirmed")
    assert sms(db.engine, second, "Yes I'll be there").startswith("Confirmed")  # the only call-out: no code needed
    with unit_of_work(db.engine) as s:
        assert s.get(CallOut, callout.id).status == "quorum_met"
        assert s.scalar(select(func.count()).select_from(Assignment).where(
            Assignment.requirement_id == w.requirement_id, Assignment.withdrawn_at.is_(None))) == 2
        # The two messages not yet dispatched were withdrawn.
        assert s.scalar(select(func.count()).where(OutboundMessage.callout_id == callout.id,
                                                   OutboundMessage.status == "cancelled")) == 4
    assert "not needed now - please stand by" in sms(db.engine, third, f"YES {callout.code}")
    assert states(db.engine, callout.id)["standby"] == 1
    assert advance(db.engine) == 0  # nothing more is sent once the quorum is met


def test_next_wave_goes_after_the_interval_when_short(db, world, frozen_clock):
    w = world(headcount=3, staff=12)
    callout = start(db.engine, w, quorum=3, wave_interval_minutes=15, reminder_after_minutes=60)
    first_wave = asked_mobiles(db.engine, callout.id)
    assert len(first_wave) == 6
    sms(db.engine, first_wave[0], f"YES {callout.code}")
    sms(db.engine, first_wave[1], f"no {callout.code}")
    frozen_clock.advance(timedelta(minutes=14, seconds=59))
    advance(db.engine)
    assert len(asked_mobiles(db.engine, callout.id)) == 6
    frozen_clock.advance(timedelta(seconds=1))
    advance(db.engine)
    # Short by 2: the second wave asks 2 x 2 more people, in ranking order.
    assert len(asked_mobiles(db.engine, callout.id)) == 10
    with unit_of_work(db.engine) as s:
        assert s.get(CallOut, callout.id).next_wave_at == frozen_clock() + timedelta(minutes=15)


def test_one_reminder_after_the_delay_then_expiry_marks_no_reply(db, world, frozen_clock):
    w = world(headcount=1, staff=2)
    callout = start(db.engine, w, quorum=1, reminder_after_minutes=10,
                    expires_at=frozen_clock() + timedelta(hours=1))
    frozen_clock.advance(timedelta(minutes=10))
    advance(db.engine)
    advance(db.engine)
    with unit_of_work(db.engine) as s:
        reminders = s.scalar(select(func.count()).where(OutboundMessage.purpose == "reminder"))
    assert reminders == 2  # one each, not one per sweep
    frozen_clock.advance(timedelta(hours=1))
    advance(db.engine)
    assert states(db.engine, callout.id) == {"no_reply": 2}
    mobile = asked_mobiles(db.engine, callout.id)[0]
    assert "has closed" in sms(db.engine, mobile, f"YES {callout.code}")


def test_cancel_code_withdraws_and_the_standby_person_takes_the_place(db, world):
    w = world(headcount=1, staff=4)
    callout = start(db.engine, w, quorum=1)
    first, second = asked_mobiles(db.engine, callout.id)
    sms(db.engine, first, f"YES {callout.code}")
    sms(db.engine, second, f"YES {callout.code}")  # standby
    reply = sms(db.engine, first, f"CANCEL {callout.code} sorry, car broke down")
    assert reply.startswith("You are withdrawn")
    with unit_of_work(db.engine) as s:
        live = list(s.scalars(select(Assignment.staff_id).where(Assignment.withdrawn_at.is_(None))))
        second_id = s.scalar(select(StaffMember.id).where(StaffMember.mobile == second))
        assert live == [second_id]
        assert s.get(CallOut, callout.id).status == "quorum_met"
        told = s.scalars(select(OutboundMessage.body).where(OutboundMessage.destination == second)).all()
    assert any(body.startswith("EXERCISE Now needed") for body in told)  # the world is an exercise


def test_cancel_with_nobody_on_standby_reopens_the_gap(db, world, frozen_clock):
    w = world(headcount=1, staff=4)
    callout = start(db.engine, w, quorum=1)
    first = asked_mobiles(db.engine, callout.id)[0]
    sms(db.engine, first, f"YES {callout.code}")
    sms(db.engine, first, f"cancel {callout.code}")
    with unit_of_work(db.engine) as s:
        reopened = s.get(CallOut, callout.id)
        assert reopened.status == "open" and reopened.next_wave_at == frozen_clock()
    advance(db.engine)
    assert len(asked_mobiles(db.engine, callout.id)) == 4  # the next wave went at once


def test_a_yes_that_breaks_a_hard_rule_is_refused_politely_and_flagged(db, world):
    w = world(headcount=1, staff=2)
    callout = start(db.engine, w, quorum=1)
    first = asked_mobiles(db.engine, callout.id)[0]
    with unit_of_work(db.engine) as s:  # their DBS lapses between the text and the answer
        update_staff(s, HUB, s.scalar(select(StaffMember.id).where(StaffMember.mobile == first)),
                     dbs_expiry=date(2026, 1, 1))
    reply = sms(db.engine, first, f"YES {callout.code}")
    assert "cannot put you on this shift" in reply
    with unit_of_work(db.engine) as s:
        person = s.scalar(select(CallOutRecipient).where(CallOutRecipient.mobile == first))
        assert person.state == "refused_by_rule" and "DBS" in person.flag
        assert s.scalar(select(func.count()).select_from(Assignment)) == 0
        assert s.scalar(select(InboundMessage.needs_attention).where(InboundMessage.sender == first))


def test_a_bare_yes_with_two_open_callouts_asks_for_the_code(db, world):
    w = world(headcount=1, staff=2)
    a = start(db.engine, w, quorum=1)
    other = factories.requirement(db, w.incident_id, w.hub_id, w.shift_starts_at + timedelta(days=2))  # same people
    with unit_of_work(db.engine) as s:
        b = start_callout(s, HUB, other, quorum=1)
    mobile = asked_mobiles(db.engine, a.id)[0]
    assert "more than one call-out" in sms(db.engine, mobile, "yes")
    assert sms(db.engine, mobile, f"yes {b.code}").startswith("Confirmed")
    assert states(db.engine, a.id).get("confirmed") is None


def test_simulated_exercise_responders_answer_after_their_delay(db, world, frozen_clock):
    w = world(headcount=2, staff=6)
    callout = start(db.engine, w, quorum=2, exercise_yes_share=1.0, exercise_reply_seconds=60)
    with unit_of_work(db.engine) as s:
        assert answer_for_simulated_responders(s) == 0
    frozen_clock.advance(timedelta(seconds=60))
    with unit_of_work(db.engine) as s:
        answer_for_simulated_responders(s)
    assert states(db.engine, callout.id) == {"confirmed": 2, "standby": 2, "waiting": 2}


def test_simulated_responders_are_refused_outside_exercises(db, world):
    w = world(exercise=False)
    with pytest.raises(InputError, match="exercise incidents only"), unit_of_work(db.engine) as s:
        start_callout(s, HUB, w.requirement_id, exercise_yes_share=0.5, exercise_reply_seconds=10)


def test_cancelling_a_callout_withdraws_unsent_messages_and_closes_it(db, world):
    w = world(headcount=1, staff=3)
    callout = start(db.engine, w, quorum=1)
    with unit_of_work(db.engine) as s:
        cancel_callout(s, HUB, callout.id, "shift no longer needed")
    with unit_of_work(db.engine) as s:
        statuses = set(s.scalars(select(OutboundMessage.status).where(OutboundMessage.callout_id == callout.id)))
    assert statuses == {"cancelled"}
    with pytest.raises(InputError, match="already cancelled"), unit_of_work(db.engine) as s:
        cancel_callout(s, HUB, callout.id, "again")


def test_a_number_is_an_offer_from_a_coordinator_and_unreadable_from_a_responder(db, world):
    w = world(headcount=1, staff=2)
    with unit_of_work(db.engine) as s:
        request = request_staff(s, HUB, w.incident_id, w.agency_id)
    assert "4 staff offered" in sms(db.engine, w.coordinator_mobile, "yes 4")
    with unit_of_work(db.engine) as s:
        assert s.get(MobilisationRequest, request.id).offered == 4
    assert "could not read" in sms(db.engine, w.mobile(0), "5")


def test_templates_cannot_pull_in_anything_but_shift_facts(db, world):
    for template in ("Hi {name}, {code}", "{victim} {code}", "{code} {person.name}", "{code} {0}"):
        with pytest.raises(ValueError, match="Unknown placeholder|stray brace"):
            callout_rules.check_template(template)
    with pytest.raises(ValueError, match="must include"):
        callout_rules.check_template("Please come to {hub}")
    # Every SMS a full call-out sends names no person: not the staff, and nobody else.
    w = world(headcount=1, staff=3)
    callout = start(db.engine, w, quorum=1)
    for mobile in asked_mobiles(db.engine, callout.id):
        sms(db.engine, mobile, f"YES {callout.code}")
    with unit_of_work(db.engine) as s:
        texts = list(s.scalars(select(OutboundMessage.body))) + list(s.scalars(select(InboundMessage.reply_text)))
        names = list(s.scalars(select(StaffMember.last_name)))
    assert texts and not [t for t in texts for n in names if n in t]


def test_a_shift_filled_by_hand_meanwhile_stops_the_callout_and_a_yes_stands_by(db, world):
    w = world(headcount=1, staff=4)
    callout = start(db.engine, w, quorum=1)
    first = asked_mobiles(db.engine, callout.id)[0]
    with unit_of_work(db.engine) as s:  # the hub manager fills the place by phone, outside the call-out
        assign(s, HUB, w.requirement_id, w.staff_ids[-1])
    assert "please stand by" in sms(db.engine, first, f"YES {callout.code}")
    with unit_of_work(db.engine) as s:
        assert s.get(CallOut, callout.id).status == "quorum_met"
        assert not s.scalar(select(CallOutRecipient.flag).where(CallOutRecipient.mobile == first))


def test_the_sweep_stops_asking_once_the_shift_is_full(db, world, frozen_clock):
    w = world(headcount=1, staff=6)
    callout = start(db.engine, w, quorum=1)
    with unit_of_work(db.engine) as s:
        assign(s, HUB, w.requirement_id, w.staff_ids[-1])
    frozen_clock.advance(timedelta(minutes=15))
    advance(db.engine)
    assert len(asked_mobiles(db.engine, callout.id)) == 2  # no second wave
    with unit_of_work(db.engine) as s:
        assert s.get(CallOut, callout.id).status == "quorum_met"


def test_two_yeses_at_once_confirm_exactly_the_quorum(db, world):
    import threading

    w = world(headcount=2, staff=8)
    callout = start(db.engine, w, quorum=1)
    mobiles = asked_mobiles(db.engine, callout.id)
    replies: list[str] = []
    barrier = threading.Barrier(len(mobiles))

    def answer(mobile: str) -> None:
        barrier.wait()
        replies.append(sms(db.engine, mobile, f"YES {callout.code}"))

    threads = [threading.Thread(target=answer, args=(m,)) for m in mobiles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r.split()[0] for r in replies) == ["Confirmed", "Thank"]
    assert states(db.engine, callout.id) == {"confirmed": 1, "standby": 1, "waiting": 6}


def test_two_yeses_whose_inbound_rows_already_point_at_the_call_out_do_not_deadlock(db, world):
    """Each reply's unit of work has written its inbound row (a key-share lock on the call-out)
    before it locks the call-out; held at that point together, the two must queue, not deadlock."""
    import threading

    from sqlalchemy import event

    if db.kind != "postgresql":
        pytest.skip("SQLite runs every unit of work as BEGIN IMMEDIATE, one writer at a time: the "
                    "row-lock interleaving exists only on PostgreSQL")
    w = world(headcount=2, staff=8)
    callout = start(db.engine, w, quorum=1)
    mobiles = asked_mobiles(db.engine, callout.id)
    both_hold_key_share = threading.Barrier(len(mobiles), timeout=20)

    def hold_before_the_call_out_lock(conn, cursor, statement, *args):
        if statement.lstrip().startswith("SELECT callout.") and " FOR " in statement:
            both_hold_key_share.wait()

    event.listen(db.engine, "before_cursor_execute", hold_before_the_call_out_lock)
    replies: list[str] = []
    failures: list[Exception] = []

    def answer(mobile: str) -> None:
        try:
            replies.append(sms(db.engine, mobile, f"YES {callout.code}"))
        except Exception as exc:  # the assertion below names it
            failures.append(exc)

    threads = [threading.Thread(target=answer, args=(m,)) for m in mobiles]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        event.remove(db.engine, "before_cursor_execute", hold_before_the_call_out_lock)
    assert failures == []
    assert sorted(r.split()[0] for r in replies) == ["Confirmed", "Thank"]


def test_the_next_callout_asks_those_not_woken_last_time_first(db, world):
    w = world(headcount=1, staff=6)
    first = start(db.engine, w, quorum=1)
    woken = set(asked_mobiles(db.engine, first.id))
    with unit_of_work(db.engine) as s:
        cancel_callout(s, HUB, first.id, "test")
    second = start(db.engine, w, quorum=1)
    assert not woken & set(asked_mobiles(db.engine, second.id))


def test_the_board_lists_every_call_out_still_asking_and_the_newest_finished(db, world, monkeypatch):
    monkeypatch.setattr("notifications.board_queries.FINISHED_LISTED", 2)
    w = world(headcount=1, staff=4)
    other = factories.requirement(db, w.incident_id, w.hub_id, w.shift_starts_at + timedelta(hours=8))
    with unit_of_work(db.engine) as s:  # a second shift, whose call-out stays open from the start
        still_asking = start_callout(s, HUB, other, quorum=1).id
    finished = []
    for _ in range(3):
        callout = start(db.engine, w, quorum=1)
        with unit_of_work(db.engine) as s:
            cancel_callout(s, HUB, callout.id, "filled by phone")
        finished.append(callout.id)
    with unit_of_work(db.engine) as s:
        listed = [c.id for c in callouts_for_incident(s, HUB, w.incident_id)]
    assert listed == [finished[2], finished[1], still_asking]
