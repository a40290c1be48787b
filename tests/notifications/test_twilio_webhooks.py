"""The Twilio webhooks with signatures made by the SDK's own RequestValidator: valid, forged,
replayed, wrong URL, wrong content type, oversized, odd bodies, status order."""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

import pytest
from sqlalchemy import event, func, select, text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.auth.roles import Actor
from core.db import one_statement, unit_of_work
from core.errors import InputError
from notifications.callout_service import start_callout
from notifications.console_service import mark_dealt_with
from notifications.inbound_service import Delivered, accept_inbound
from notifications.model import InboundMessage, OptOut, OutboundMessage, OutboundStatusEvent
from notifications.outbox_service import queue_sms
from notifications.replies import help_text
from notifications.webhooks import MAX_BODY_BYTES, ROUTES
from rosters.model import StaffMember
from tests.callout_traffic import HUB, asked_mobiles
from tests.twilio_requests import FORM, handle_stored, inbound, post_sms, replies_to, signed


@pytest.fixture
def client(db, twilio_env):
    return TestClient(Starlette(routes=ROUTES))


def count(db, model) -> int:
    with unit_of_work(db.engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_signed_message_from_a_responder_is_answered_at_once_and_replied_to_by_the_worker(db, client, world):
    w = world(headcount=1, staff=2)
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=1)
    mobile = asked_mobiles(db.engine, callout.id)[0]
    response = post_sms(client, inbound(f"Yes {callout.code}", sender=mobile))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert response.text == '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
    assert replies_to(db.engine, mobile) == []  # stored, not yet handled
    assert handle_stored() == 1
    # The outbox marks every text of an exercise incident, replies included.
    assert [r.startswith("EXERCISE Confirmed") for r in replies_to(db.engine, mobile)] == [True]


@pytest.mark.parametrize("how", ["forged", "unsigned", "wrong token", "wrong url", "tampered body"])
def test_a_request_not_signed_by_twilio_for_this_url_is_refused_and_stores_nothing(db, client, how):
    params = inbound("STOP")
    if how == "forged":
        headers = {**FORM, "X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}
    elif how == "unsigned":
        headers = FORM
    elif how == "wrong token":
        headers = signed("/twilio/sms", params, token="someone-elses-token")
    elif how == "wrong url":
        headers = signed("/twilio/sms", params, url="https://attacker.example.net/twilio/sms")
    else:
        headers = signed("/twilio/sms", params)
        params = {**params, "Body": "START"}
    response = client.post("/twilio/sms", content=urlencode(params), headers=headers)
    assert response.status_code == 403
    assert count(db, InboundMessage) == 0 and count(db, OptOut) == 0


def test_a_replayed_message_is_answered_the_same_and_changes_nothing(db, client, world):
    w = world(headcount=1, staff=2)
    params = inbound("HELP", sender=w.mobile(0))
    first = post_sms(client, params)
    handle_stored()
    again = post_sms(client, params)
    assert handle_stored() == 0
    assert first.status_code == again.status_code == 200
    assert first.text == again.text and replies_to(db.engine, w.mobile(0)) == [help_text()]
    assert count(db, InboundMessage) == 1


def test_wrong_content_type_and_oversized_bodies_are_refused_before_storing(db, client):
    params = inbound("YES")
    as_json = client.post("/twilio/sms", json=params, headers={"X-Twilio-Signature": "x"})
    assert as_json.status_code == 415
    huge = inbound("x" * (MAX_BODY_BYTES + 10))
    too_big = client.post("/twilio/sms", content=urlencode(huge), headers=signed("/twilio/sms", huge))
    assert too_big.status_code == 413
    assert count(db, InboundMessage) == 0


@pytest.mark.parametrize("body", ["y" * 2000, "👍🙏🏽 yes!!", "", "   ", "\x00\u200b", "<Response>&amp;</Response>"])
def test_odd_bodies_from_a_known_responder_get_a_short_answer_not_a_crash(db, client, world, body):
    w = world(headcount=1, staff=1)
    response = post_sms(client, inbound(body, sender=w.mobile(0)))
    assert response.status_code == 200
    handle_stored()
    assert [r.startswith("Sorry, we could not read that") for r in replies_to(db.engine, w.mobile(0))] == [True]
    with unit_of_work(db.engine) as s:
        row = s.scalar(select(InboundMessage))
        assert row.needs_attention and row.body == body.replace("\x00", "\ufffd")  # PostgreSQL text holds no NUL


def test_an_unknown_sender_is_logged_and_told_nothing(db, client):
    response = post_sms(client, inbound("YES K7QX", sender="+447400999888"))
    assert response.status_code == 200 and "<Message>" not in response.text
    handle_stored()
    assert replies_to(db.engine, "+447400999888") == []
    with unit_of_work(db.engine) as s:
        row = s.scalar(select(InboundMessage))
        assert row.sender_kind == "unknown" and row.needs_attention and row.reply_text == ""
    hub = Actor.system("test")
    with unit_of_work(db.engine) as s:
        mark_dealt_with(s, hub, row.id)
    with pytest.raises(InputError, match="already marked"), unit_of_work(db.engine) as s:
        mark_dealt_with(s, hub, row.id)


def test_stop_and_start_keep_the_opt_out_list_and_the_staff_flag(db, client, world):
    w = world(headcount=1, staff=1)
    mobile = w.mobile(0)
    with unit_of_work(db.engine) as s:
        waiting = queue_sms(s, to=mobile, body="A notice", purpose="notice", incident_id=w.incident_id)
    assert post_sms(client, inbound("Stop", sid="SM" + "1" * 32, sender=mobile)).status_code == 200
    handle_stored()
    with unit_of_work(db.engine) as s:
        assert s.get(OptOut, ("sms", mobile)).opted_out
        assert s.scalar(select(StaffMember.sms_opted_out).where(StaffMember.mobile == mobile))
        assert s.get(OutboundMessage, waiting.id).status == "blocked"
        refused = queue_sms(s, to=mobile, body="Another", purpose="notice", incident_id=w.incident_id)
        assert refused.status == "blocked" and refused.error_code == 21610
    post_sms(client, inbound("START", sid="SM" + "2" * 32, sender=mobile))
    handle_stored()
    with unit_of_work(db.engine) as s:
        assert not s.get(OptOut, ("sms", mobile)).opted_out
        assert not s.scalar(select(StaffMember.sms_opted_out).where(StaffMember.mobile == mobile))


def _status(client, sid: str, status: str, ref: int | None = None, error: str = ""):
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32}
    if error:
        params["ErrorCode"] = error
    path = "/twilio/status" + (f"?ref={ref}" if ref else "")
    return client.post(path, content=urlencode(params), headers=signed(path, params))


def test_status_callbacks_move_forward_only_and_reconcile_a_lost_send(db, client):
    with unit_of_work(db.engine) as s:
        message = queue_sms(s, to="+447400100001", body="hello", purpose="notice", incident_id=None)
        message.status, message.provider_sid = "accepted", "SM" + "c" * 32
        lost = queue_sms(s, to="+447400100002", body="hello", purpose="notice", incident_id=None)
        lost.status = "unknown"  # its dispatcher died after Twilio took it
    assert _status(client, "SM" + "c" * 32, "delivered").status_code == 204
    assert _status(client, "SM" + "c" * 32, "sent").status_code == 204  # late and out of order
    assert _status(client, "SM" + "c" * 32, "delivered").status_code == 204  # replayed
    assert _status(client, "SM" + "d" * 32, "undelivered", ref=lost.id, error="30003").status_code == 204
    with unit_of_work(db.engine) as s:
        assert s.get(OutboundMessage, message.id).status == "delivered"
        events = s.scalars(select(OutboundStatusEvent.status).where(OutboundStatusEvent.message_id == message.id))
        assert list(events) == ["pending", "delivered"]
        reconciled = s.get(OutboundMessage, lost.id)
        assert (reconciled.status, reconciled.error_code, reconciled.provider_sid) == ("undelivered", 30003,
                                                                                      "SM" + "d" * 32)


def test_an_unsigned_status_callback_is_refused(db, client):
    params = {"MessageSid": "SM" + "c" * 32, "MessageStatus": "delivered"}
    response = client.post("/twilio/status", content=urlencode(params), headers=FORM)
    assert response.status_code == 403


def test_without_an_auth_token_every_webhook_is_refused(db, monkeypatch):
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    from core.settings import reset_settings

    reset_settings()
    params = inbound("YES")
    response = TestClient(Starlette(routes=ROUTES)).post(
        "/twilio/sms", content=urlencode(params), headers=signed("/twilio/sms", params, token=""))
    assert response.status_code == 403


def test_the_same_message_delivered_twice_at_once_is_handled_once(db, world):
    import threading

    from notifications.inbound_service import handle_inbound

    w = world(headcount=1, staff=1)
    barrier = threading.Barrier(2)
    results = []

    def deliver() -> None:
        barrier.wait()
        with unit_of_work(db.engine) as s:
            results.append(handle_inbound(s, sid="SM" + "e" * 32, from_=w.mobile(0), to="+447400000000",
                                          body="HELP"))

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r.replay for r in results) == [False, True]
    assert results[0].reply == results[1].reply == help_text()
    assert count(db, InboundMessage) == 1


def test_webhooks_arriving_together_are_stored_by_one_insert_and_a_replay_changes_nothing(db):
    """What the webhooks' group commit hands `accept_inbound`: every message waiting, one statement,
    and for each whether it was new (a replay, in the batch or of one stored before, wakes nobody)."""
    statements: list[str] = []
    listener = lambda _c, _cur, statement, *_: statements.append(statement)  # noqa: E731
    messages = [Delivered(f"SM{n % 15:032d}", "+447700900123", "+447400000000", "YES") for n in range(20)]  # 5 replays
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with one_statement(db.engine) as statement:
            assert accept_inbound(statement, messages) == [True] * 15 + [False] * 5
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert [s.lstrip().split()[0].upper() for s in statements if not s.lstrip().upper().startswith("BEGIN")] == ["INSERT"]
    with one_statement(db.engine) as statement:  # a later batch: one replay, one new
        assert accept_inbound(statement, [Delivered(f"SM{3:032d}", "+447700900123", "+447400000000", "YES"),
                                          Delivered(f"SM{99:032d}", "+447700900123", "+447400000000", "NO")]) \
            == [False, True]
    with unit_of_work(db.engine) as s:
        stored = s.execute(select(InboundMessage.provider_sid, InboundMessage.pending_body,
                                  InboundMessage.processed_at)).all()
        at_rest = s.scalars(text("SELECT pending_body FROM inbound_message")).all()
    assert sorted(sid for sid, _, _ in stored) == [f"SM{n:032d}" for n in (*range(15), 99)]
    assert {(body, done) for sid, body, done in stored if sid != f"SM{99:032d}"} == {("YES", None)}  # waiting
    assert len(at_rest) == 16 and all(value.startswith("gAAAAA") for value in at_rest)  # Fernet tokens at rest


@pytest.mark.parametrize("configured", ["https://hub.example.org", "https://hub.example.org:443",
                                        "http://10.0.0.5:8501"])
def test_the_webhooks_accept_exactly_the_signatures_the_sdks_validator_accepts(configured):
    from twilio.request_validator import RequestValidator, add_port, remove_port

    from notifications.webhooks import _signed

    token, form = "a-token", {"MessageSid": "SM" + "1" * 32, "Body": "YES £5 ✓", "From": "+447700900123"}
    url = configured + "/twilio/status?ref=42"
    sdk = RequestValidator(token)
    parsed = urlparse(url)
    candidates = [sdk.compute_signature(u, form) for u in (url, remove_port(parsed), add_port(parsed))]
    candidates += [sdk.compute_signature(url, {**form, "Body": "NO"}), RequestValidator("other").compute_signature(url, form),
                   "", "é" * 28, candidates[0][:-1]]
    decided = [(_signed(token, url, form, signature), sdk.validate(url, form, signature)) for signature in candidates]
    assert [ours for ours, _ in decided] == [theirs for _, theirs in decided]
    assert [ours for ours, _ in decided] == [True, True, True, False, False, False, False, False]
