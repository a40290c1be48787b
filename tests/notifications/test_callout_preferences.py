"""Call-outs honour how each member of staff asked to be reached (rosters' contact preference):
someone who asked for SMS only is never phoned, someone who asked for a call first is phoned as
they are asked; the board and the outbox show each person's preference beside the channels their
messages actually went by."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import unit_of_work
from notifications import callout_rules as rules
from notifications.board_queries import callout_board
from notifications.callout_service import advance_callouts, start_callout
from notifications.mobilisation_service import request_staff
from notifications.model import CallOut, OutboundMessage
from notifications.outbox_service import outbox_messages
from notifications.preference_queries import staff_preferences
from rosters.staff_service import update_staff
from tests.callout_traffic import HUB, asked_mobiles, calls, sms


def prefer(engine, staff_id: int, contact_by: str) -> None:
    with unit_of_work(engine) as s:
        update_staff(s, HUB, staff_id, contact_by=contact_by)


def start(engine, world, **kwargs) -> CallOut:
    with unit_of_work(engine) as s:
        return start_callout(s, HUB, world.requirement_id, quorum=1, reminder_after_minutes=10, **kwargs)


def remind(engine, frozen_clock) -> None:
    frozen_clock.advance(timedelta(minutes=10))
    with unit_of_work(engine) as s:
        advance_callouts(s)


def traffic(engine, callout_id: int) -> list[tuple[str, str, str]]:
    """(number, channel, purpose) of every message the call-out queued, in order."""
    with unit_of_work(engine) as s:
        return [tuple(row) for row in s.execute(
            select(OutboundMessage.destination, OutboundMessage.channel, OutboundMessage.purpose)
            .where(OutboundMessage.callout_id == callout_id).order_by(OutboundMessage.id))]


# --- The rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize("allowed", [True, False])
@pytest.mark.parametrize("phone_first", [True, False])
def test_asking_phones_only_those_who_asked_for_a_call_first_on_a_call_out_that_allows_calls(allowed, phone_first):
    assert rules.call_when_asked(allowed, phone_first=phone_first) is (allowed and phone_first)


@pytest.mark.parametrize("allowed", [True, False])
@pytest.mark.parametrize("may_phone", [True, False])
@pytest.mark.parametrize("phoned_already", [True, False])
@pytest.mark.parametrize("texted_stop", [True, False])
def test_a_reminder_is_a_call_only_where_calls_are_allowed_wanted_not_yet_made_and_no_stop(allowed, may_phone,
                                                                                      phoned_already, texted_stop):
    called = rules.call_as_reminder(allowed, may_phone=may_phone, phoned_already=phoned_already,
                                    texted_stop=texted_stop)
    assert called is (allowed and may_phone and not phoned_already and not texted_stop)


# --- Call-outs --------------------------------------------------------------------------------------


def test_someone_who_asked_for_sms_only_is_never_phoned_and_gets_the_reminder_text(db, world, frozen_clock):
    w = world(headcount=1, staff=2)
    prefer(db.engine, w.staff_ids[0], "sms_only")
    callout = start(db.engine, w, call_if_unanswered=True)
    no_calls, calls_ok = w.mobile(0), w.mobile(1)
    assert sorted(asked_mobiles(db.engine, callout.id)) == [no_calls, calls_ok]
    remind(db.engine, frozen_clock)
    assert [number for _, number, _ in calls(db.engine, callout.id)] == [calls_ok]
    assert [(channel, purpose) for number, channel, purpose in traffic(db.engine, callout.id)
            if number == no_calls] == [("sms", "callout"), ("sms", "reminder")]
    remind(db.engine, frozen_clock)  # and never later either
    assert [number for _, number, _ in calls(db.engine, callout.id)] == [calls_ok]


def test_a_preference_changed_after_being_asked_counts_at_the_reminder(db, world, frozen_clock):
    w = world(headcount=1, staff=2)
    callout = start(db.engine, w, call_if_unanswered=True)
    prefer(db.engine, w.staff_ids[1], "sms_only")  # rang the coordinator: no calls, please
    remind(db.engine, frozen_clock)
    assert [number for _, number, _ in calls(db.engine, callout.id)] == [w.mobile(0)]


def test_someone_who_asked_for_a_call_first_is_phoned_as_they_are_asked_and_texted_their_reminder(db, world,
                                                                                                 frozen_clock):
    w = world(headcount=1, staff=2)
    prefer(db.engine, w.staff_ids[0], "call_first")
    callout = start(db.engine, w, call_if_unanswered=True)
    call_first, other = w.mobile(0), w.mobile(1)
    assert traffic(db.engine, callout.id) == [(call_first, "sms", "callout"), (call_first, "voice", "callout"),
                                              (other, "sms", "callout")]
    remind(db.engine, frozen_clock)
    # Phoned once by a call-out: their reminder is the text; the other person's is the call.
    assert traffic(db.engine, callout.id)[3:] == [(call_first, "sms", "reminder"), (other, "voice", "reminder")]


def test_a_call_first_is_not_phoned_by_a_call_out_that_does_not_allow_calls(db, world, frozen_clock):
    w = world(headcount=1, staff=2)
    prefer(db.engine, w.staff_ids[0], "call_first")
    callout = start(db.engine, w)
    remind(db.engine, frozen_clock)
    assert calls(db.engine, callout.id) == []
    assert [channel for _, channel, _ in traffic(db.engine, callout.id)] == ["sms"] * 4


def test_a_call_first_who_answers_by_text_before_the_call_is_placed_is_not_rung(db, world, frozen_clock):
    w = world(headcount=1, staff=2)
    prefer(db.engine, w.staff_ids[0], "call_first")
    callout = start(db.engine, w, call_if_unanswered=True)
    sms(db.engine, w.mobile(0), f"YES {callout.code}")
    assert [(number, status) for _, number, status in calls(db.engine, callout.id)] == [(w.mobile(0), "cancelled")]


# --- What the board and the outbox show ------------------------------------------------------------


def test_the_board_shows_each_persons_preference_beside_the_channels_their_messages_went_by(db, world,
                                                                                           frozen_clock):
    w = world(headcount=2, staff=5)
    prefer(db.engine, w.staff_ids[0], "sms_only")
    prefer(db.engine, w.staff_ids[1], "call_first")
    callout = start(db.engine, w, call_if_unanswered=True)  # the first wave asks 2 x 1: Test00 and Test01
    remind(db.engine, frozen_clock)
    with unit_of_work(db.engine) as s:
        board = callout_board(s, HUB, callout.id)
    assert [(p.name, p.prefers, p.sent_by) for p in board.recipients] == [
        ("Sam Test00", "SMS only (no calls)", ("SMS", "SMS")),
        ("Sam Test01", "Call first", ("SMS", "Phone call", "SMS")),
        ("Sam Test02", "SMS then call", ()),  # not asked yet: a preference, no message
        ("Sam Test03", "SMS then call", ()),
        ("Sam Test04", "SMS then call", ()),
    ]


def test_the_outbox_shows_the_preference_of_the_staff_each_call_out_message_went_to_and_nobody_elses(db, world):
    w = world(headcount=1, staff=2)
    prefer(db.engine, w.staff_ids[1], "call_first")
    callout = start(db.engine, w, call_if_unanswered=True)
    with unit_of_work(db.engine) as s:
        request_staff(s, HUB, w.incident_id, w.agency_id)  # to the agency's coordinator: no roster preference
    with unit_of_work(db.engine) as s:
        messages = outbox_messages(s, HUB, w.incident_id)
        shown = staff_preferences(s, HUB, messages)
    assert [(m.destination, m.channel, m.callout_id, shown.get(m.id)) for m in reversed(messages)] == [
        (w.mobile(0), "sms", callout.id, "SMS then call"),
        (w.mobile(1), "sms", callout.id, "Call first"),
        (w.mobile(1), "voice", callout.id, "Call first"),
        (w.coordinator_mobile, "sms", None, None),
    ]
