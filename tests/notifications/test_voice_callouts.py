"""Calls for call-outs: the escalation from an unanswered text to a call, the TwiML a call reads,
and its gather callback (signed, forged, replayed, a wrong key, a key after the call-out is full),
which takes the path a YES or NO text takes."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.audit.model import AuditEvent
from core.db import unit_of_work
from core.errors import InputError
from notifications.board_queries import callout_board
from notifications.callout_service import advance_callouts, cancel_callout, start_callout
from notifications.model import (
    CallOut,
    CallOutRecipient,
    InboundMessage,
    OutboundMessage,
    OutboundStatusEvent,
)
from notifications.outbox_service import set_opt_out
from notifications.voice_service import key_press_sid, press_key_on_console
from notifications.webhooks import ROUTES
from rosters.model import Assignment
from tests.callout_traffic import HUB, asked_mobiles, call_sid, calls, place_calls, sms, states
from tests.twilio_requests import FORM, PUBLIC, on_call, post_signed, signed

QUESTION = re.compile(r"EXERCISE Stand Up call-out [A-Z0-9] [A-Z0-9] [A-Z0-9] [A-Z0-9]: support worker needed at "
                      r"Etihad Hub, [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+, \d\d:\d\d to \d\d:\d\d\. "
                      r"Press 1 to accept, or 2 to decline\.")


@pytest.fixture
def client(db, voice_env):
    return TestClient(Starlette(routes=ROUTES))


def start(engine, world, **kwargs) -> CallOut:
    with unit_of_work(engine) as s:
        return start_callout(s, HUB, world.requirement_id, **kwargs)


def advance(engine) -> int:
    with unit_of_work(engine) as s:
        return advance_callouts(s)


def phoning(db, world, frozen_clock, *, headcount: int = 1, staff: int = 4, quorum: int = 1,
            answered_first: dict[int, str] | None = None) -> CallOut:
    """A call-out that asked for calls, its texts queued; `answered_first` ({rank: text}) answer by
    SMS; then the reminder time passes and the others are phoned (calls queued, not placed)."""
    w = world(headcount=headcount, staff=staff)
    callout = start(db.engine, w, quorum=quorum, reminder_after_minutes=10, call_if_unanswered=True)
    asked = asked_mobiles(db.engine, callout.id)
    for rank, text in (answered_first or {}).items():
        sms(db.engine, asked[rank], f"{text} {callout.code}")
    frozen_clock.advance(timedelta(minutes=10))
    advance(db.engine)
    return callout


def gather(client, ref: int, sid: str, digits: str, attempt: int = 1, **sign):
    return post_signed(client, f"/twilio/voice/gather?{urlencode({'ref': ref, 'attempt': attempt})}",
                       on_call(sid, Digits=digits), **sign)


def said(twiml: str) -> list[str]:
    return [e.text for e in ElementTree.fromstring(twiml).iter("Say")]


def snapshot(engine) -> tuple:
    """Everything a key press could change."""
    with unit_of_work(engine) as s:
        return (
            s.execute(select(InboundMessage.id, InboundMessage.provider_sid, InboundMessage.reply_text)
                      .order_by(InboundMessage.id)).all(),
            s.execute(select(CallOutRecipient.id, CallOutRecipient.state, CallOutRecipient.answered_at)
                      .order_by(CallOutRecipient.id)).all(),
            s.execute(select(Assignment.id, Assignment.withdrawn_at).order_by(Assignment.id)).all(),
            s.execute(select(CallOut.id, CallOut.status)).all(),
            s.execute(select(OutboundMessage.id, OutboundMessage.status).order_by(OutboundMessage.id)).all(),
            s.scalar(select(func.count()).select_from(OutboundStatusEvent)),
            s.scalar(select(func.count()).select_from(AuditEvent)),
        )


# --- The escalation -----------------------------------------------------------------------------


def test_at_the_reminder_time_those_who_have_not_answered_are_called_instead_of_texted_once(db, world,
                                                                                           frozen_clock):
    callout = phoning(db, world, frozen_clock, headcount=2, staff=6, quorum=2, answered_first={0: "NO"})
    asked = asked_mobiles(db.engine, callout.id)
    assert [number for _, number, _ in calls(db.engine, callout.id)] == asked[1:]  # not the one who said NO
    with unit_of_work(db.engine) as s:
        assert not s.scalar(select(func.count()).where(OutboundMessage.purpose == "reminder",
                                                       OutboundMessage.channel == "sms"))
        body, payload = s.execute(select(OutboundMessage.body, OutboundMessage.payload)
                                  .where(OutboundMessage.channel == "voice").limit(1)).one()
    assert QUESTION.fullmatch(body)
    assert '"recipient_id"' in payload
    frozen_clock.advance(timedelta(minutes=30))
    advance(db.engine)
    advance(db.engine)
    assert len(calls(db.engine, callout.id)) == 3  # each person once, however many sweeps


def test_a_callout_that_did_not_ask_for_calls_texts_its_reminder(db, world, frozen_clock):
    w = world(headcount=1, staff=2)
    callout = start(db.engine, w, quorum=1, reminder_after_minutes=10)
    frozen_clock.advance(timedelta(minutes=10))
    advance(db.engine)
    assert calls(db.engine, callout.id) == []
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).where(OutboundMessage.purpose == "reminder")) == 2
        assert not s.get(CallOut, callout.id).call_if_unanswered


def test_a_number_that_texted_stop_is_not_phoned(db, world, frozen_clock):
    w = world(headcount=1, staff=2)
    callout = start(db.engine, w, quorum=1, reminder_after_minutes=10, call_if_unanswered=True)
    stopped, other = asked_mobiles(db.engine, callout.id)
    with unit_of_work(db.engine) as s:
        set_opt_out(s, "sms", stopped, True)
    frozen_clock.advance(timedelta(minutes=10))
    advance(db.engine)
    assert [number for _, number, _ in calls(db.engine, callout.id)] == [other]
    with unit_of_work(db.engine) as s:
        reminder = s.scalar(select(OutboundMessage).where(OutboundMessage.destination == stopped,
                                                          OutboundMessage.purpose == "reminder"))
        assert (reminder.channel, reminder.status) == ("sms", "blocked")


def test_a_call_not_yet_placed_is_withdrawn_when_the_person_answers_by_text(db, world, frozen_clock):
    callout = phoning(db, world, frozen_clock, headcount=2, staff=4, quorum=2)
    first, second = asked_mobiles(db.engine, callout.id)[:2]
    sms(db.engine, first, f"NO {callout.code}")
    assert [(number, status) for _, number, status in calls(db.engine, callout.id)][:2] == [
        (first, "cancelled"), (second, "pending")]


def test_calls_are_refused_where_texts_are_real_and_calls_would_only_show_on_the_console(db, world, twilio_env):
    w = world(headcount=1, staff=2)
    with pytest.raises(InputError, match="VOICE_BACKEND=console"), unit_of_work(db.engine) as s:
        start_callout(s, HUB, w.requirement_id, call_if_unanswered=True)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(CallOut)) is None


# --- What the call says -------------------------------------------------------------------------


def test_an_answered_call_reads_the_shift_and_gathers_one_key_twice_then_says_goodbye(db, client, world,
                                                                                     frozen_clock):
    callout = phoning(db, world, frozen_clock)
    ref, number, _ = calls(db.engine, callout.id)[0]
    path = f"/twilio/voice/callout?ref={ref}"
    response = post_signed(client, path, on_call("CA" + "1" * 32, to=number))
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/xml")
    root = ElementTree.fromstring(response.text)
    gathers = root.findall("Gather")
    assert [(g.get("numDigits"), g.get("action")) for g in gathers] == [
        ("1", f"{PUBLIC}/twilio/voice/gather?ref={ref}&attempt=1"),
        ("1", f"{PUBLIC}/twilio/voice/gather?ref={ref}&attempt=2")]
    [question] = {g.find("Say").text for g in gathers}
    assert QUESTION.fullmatch(question) and " ".join(callout.code) in question
    assert "Test0" not in response.text and "Sam" not in response.text  # no name, nobody's detail
    assert "Goodbye" in said(response.text)[-1] and root[-1].tag == "Hangup"


def test_a_wrong_key_asks_once_more_then_says_goodbye_and_stores_nothing(db, client, world, frozen_clock):
    callout = phoning(db, world, frozen_clock)
    ref = calls(db.engine, callout.id)[0][0]
    before = snapshot(db.engine)
    again = gather(client, ref, "CA" + "2" * 32, "7", attempt=1)
    assert said(again.text)[0] == "Sorry, that key is not an answer."
    assert [g.get("action") for g in ElementTree.fromstring(again.text).findall("Gather")] == [
        f"{PUBLIC}/twilio/voice/gather?ref={ref}&attempt=2"]
    last = gather(client, ref, "CA" + "2" * 32, "#", attempt=2)
    assert "Gather" not in last.text and said(last.text)[0].endswith("Goodbye.")
    assert snapshot(db.engine) == before


def test_a_call_for_a_callout_that_closed_says_so_and_asks_nothing(db, client, world, frozen_clock):
    callout = phoning(db, world, frozen_clock)
    ref = calls(db.engine, callout.id)[0][0]
    with unit_of_work(db.engine) as s:
        cancel_callout(s, HUB, callout.id, "filled by phone")
    response = post_signed(client, f"/twilio/voice/callout?ref={ref}", on_call("CA" + "3" * 32))
    assert "Gather" not in response.text and "has closed" in said(response.text)[0]


# --- The key: the path a YES or NO text takes ---------------------------------------------------


@pytest.mark.parametrize("by", ["key 1", "text YES"])
def test_pressing_1_confirms_the_shift_exactly_as_a_yes_text_does(db, client, world, frozen_clock, by):
    callout = phoning(db, world, frozen_clock, headcount=1, staff=4, quorum=1)
    (first_call, first, _), (second_call, second, _) = calls(db.engine, callout.id)
    place_calls(db.engine, how_many=1)  # the first person's phone is ringing; the second's call waits
    if by == "key 1":
        response = gather(client, first_call, call_sid(db.engine, first_call), "1")
        assert said(response.text) == [f"Thank you. You are confirmed for this shift. If you can no longer come, "
                                        f"text CANCEL {' '.join(callout.code)}. Goodbye."]
    else:
        assert sms(db.engine, first, f"YES {callout.code}").startswith("Confirmed")
    assert states(db.engine, callout.id) == {"confirmed": 1, "asked": 1, "waiting": 2}
    with unit_of_work(db.engine) as s:
        assert s.get(CallOut, callout.id).status == "quorum_met"
        [(staff_id, source)] = s.execute(select(Assignment.staff_id, Assignment.source)
                                         .where(Assignment.withdrawn_at.is_(None))).all()
        assert source == "callout"
        assert staff_id == s.scalar(select(CallOutRecipient.staff_id).where(CallOutRecipient.mobile == first))
        # The rest of the asking is withdrawn: the texts never dispatched here, and the second call.
        assert s.get(OutboundMessage, second_call).status == "cancelled"
        assert not s.scalar(select(func.count()).where(OutboundMessage.status == "pending"))
    assert [status for _, number, status in calls(db.engine, callout.id) if number == first] == ["delivered"]


def test_pressing_2_declines(db, client, world, frozen_clock):
    callout = phoning(db, world, frozen_clock)
    place_calls(db.engine)
    ref, number, _ = calls(db.engine, callout.id)[0]
    sid = call_sid(db.engine, ref)
    response = gather(client, ref, sid, "2")
    assert said(response.text) == ["Thank you, noted: you are not available for this shift. Goodbye."]
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(CallOutRecipient.state).where(CallOutRecipient.mobile == number)) == "declined"
        assert s.scalar(select(func.count()).select_from(Assignment)) == 0
        row = s.scalar(select(InboundMessage))
        assert (row.channel, row.provider_sid, row.body, row.intent, row.sender, row.outcome) == (
            "voice", key_press_sid(sid), "2", "no", number, "no -> declined")


def test_a_replayed_callback_is_answered_the_same_and_changes_nothing(db, client, world, frozen_clock):
    callout = phoning(db, world, frozen_clock)
    place_calls(db.engine)
    ref = calls(db.engine, callout.id)[0][0]
    sid = call_sid(db.engine, ref)
    first = gather(client, ref, sid, "1")
    before = snapshot(db.engine)
    for digits in ("1", "2"):  # Twilio's retry, or a second key on the same call: the call has its answer
        again = gather(client, ref, sid, digits)
        assert again.status_code == 200 and said(again.text) == said(first.text)
    assert snapshot(db.engine) == before
    assert states(db.engine, callout.id)["confirmed"] == 1


def test_a_key_after_the_callout_is_full_is_told_no_longer_needed(db, client, world, frozen_clock):
    callout = phoning(db, world, frozen_clock)
    place_calls(db.engine)
    (first_call, first, _), (second_call, _, _) = calls(db.engine, callout.id)
    assert sms(db.engine, first, f"YES {callout.code}").startswith("Confirmed")
    response = gather(client, second_call, call_sid(db.engine, second_call), "1")
    [words] = said(response.text)
    assert words.startswith("Thank you, you are no longer needed") and words.endswith("Goodbye.")
    assert states(db.engine, callout.id) == {"confirmed": 1, "standby": 1, "waiting": 2}
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(Assignment)) == 1


@pytest.mark.parametrize("path", ["/twilio/voice/gather?ref={ref}&attempt=1", "/twilio/voice/callout?ref={ref}",
                                  "/twilio/voice/status?ref={ref}"])
@pytest.mark.parametrize("how", ["forged", "unsigned", "wrong token", "wrong url", "tampered digit", "tampered ref"])
def test_a_callback_not_signed_by_twilio_is_refused_and_changes_nothing(db, client, world, frozen_clock, path,
                                                                         how):
    callout = phoning(db, world, frozen_clock)
    place_calls(db.engine)
    ref = calls(db.engine, callout.id)[0][0]
    path = path.format(ref=ref)
    params = on_call(call_sid(db.engine, ref), Digits="1", CallStatus="completed")
    if how == "forged":
        headers = {**FORM, "X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}
    elif how == "unsigned":
        headers = FORM
    elif how == "wrong token":
        headers = signed(path, params, token="someone-elses-token")
    elif how == "wrong url":
        headers = signed(path, params, url="https://attacker.example.net" + path)
    elif how == "tampered digit":
        headers = signed(path, {**params, "Digits": "2"})
    else:
        headers = signed(path.replace(f"ref={ref}", f"ref={ref + 1}"), params)
    before = snapshot(db.engine)
    response = client.post(path, content=urlencode(params), headers=headers)
    assert response.status_code == 403
    assert snapshot(db.engine) == before


# --- Status callbacks, the board, the console ---------------------------------------------------


def test_a_call_nobody_answered_shows_on_the_board_beside_the_text(db, client, world, frozen_clock):
    callout = phoning(db, world, frozen_clock)
    place_calls(db.engine)
    with unit_of_work(db.engine) as s:  # as Twilio has it: placed, not answered yet
        row = s.get(OutboundMessage, calls(db.engine, callout.id)[0][0])
        row.status, sid, ref = "accepted", row.provider_sid, row.id
    path = f"/twilio/voice/status?ref={ref}"
    assert post_signed(client, path, on_call(sid, CallStatus="no-answer")).status_code == 204
    assert post_signed(client, path, on_call(sid, CallStatus="ringing")).status_code == 204  # late, out of order
    with unit_of_work(db.engine) as s:
        board = callout_board(s, HUB, callout.id)
    first = next(p for p in board.recipients if p.message_id == ref)
    assert (first.message_status, first.error, first.sent_by) == ("undelivered", "nobody answered",
                                                                   ("SMS", "Phone call"))
    assert all(p.sent_by == () for p in board.recipients if p.wave is None)


def test_keys_pressed_on_the_console_take_the_webhooks_path(db, world, frozen_clock, make_actor):
    callout = phoning(db, world, frozen_clock)
    hub = make_actor("hub_manager")
    (waiting, _, _), _ = calls(db.engine, callout.id)
    with pytest.raises(InputError, match="not been placed yet"), unit_of_work(db.engine) as s:
        press_key_on_console(s, hub, waiting, "1")
    place_calls(db.engine)
    with pytest.raises(InputError, match="Press 1 to accept or 2 to decline"), unit_of_work(db.engine) as s:
        press_key_on_console(s, hub, waiting, "3")
    with unit_of_work(db.engine) as s:
        heard = press_key_on_console(s, hub, waiting, "1")
    assert heard.startswith("Thank you. You are confirmed")
    with unit_of_work(db.engine) as s:
        assert press_key_on_console(s, hub, waiting, "2") == heard  # the call has its answer
        assert s.scalar(select(InboundMessage.provider_sid)) == key_press_sid(s.get(OutboundMessage, waiting).provider_sid)
    assert states(db.engine, callout.id)["confirmed"] == 1


def test_the_console_keys_are_refused_where_calls_are_real(db, world, frozen_clock, make_actor, voice_env):
    callout = phoning(db, world, frozen_clock)
    place_calls(db.engine)
    with pytest.raises(InputError, match="real phones"), unit_of_work(db.engine) as s:
        press_key_on_console(s, make_actor("hub_manager"), calls(db.engine, callout.id)[0][0], "1")
    assert states(db.engine, callout.id)["asked"] == 2
