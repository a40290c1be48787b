"""Hostile input at the public webhooks, property-based (bounded so CI stays quick): forged
signatures store nothing, any signed form is handled without a crash and stored at most once
per MessageSid (a key pressed on a call: once per CallSid), a replay changes nothing, and anything
but a form post is refused."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.audit.model import AuditEvent
from core.db import unit_of_work
from notifications.callout_service import advance_callouts, start_callout
from notifications.mobilisation_service import request_staff
from notifications.model import (
    CallOut,
    CallOutRecipient,
    InboundMessage,
    MobilisationRequest,
    OptOut,
    OutboundMessage,
    OutboundStatusEvent,
)
from notifications.outbox_service import queue_sms
from notifications.webhooks import MAX_BODY_BYTES, ROUTES
from rosters.model import Assignment, StaffMember
from tests.callout_traffic import HUB, calls, place_calls
from tests.twilio_requests import FORM, signed

BOUNDED = settings(max_examples=25, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Any text a form can carry (lone surrogates cannot be sent as UTF-8 at all).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
LONG_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1500, max_size=5000)
REPLIES = st.sampled_from(["YES", "no", "4", "STOP", "START", "HELP", "cancel K7QX", "yes K7QX", "0", "👍", ""])
SIDS = st.one_of(st.from_regex(r"SM[a-f0-9]{32}", fullmatch=True), st.sampled_from(["SM" + "1" * 32, "SM" + "2" * 32]),
                 ANY_TEXT)
FIELDS = st.dictionaries(ANY_TEXT.filter(lambda k: k not in ("MessageSid", "From", "Body", "MessageStatus")),
                         ANY_TEXT, max_size=5)
PATHS = ["/twilio/sms", "/twilio/status", "/twilio/voice/callout?ref=1", "/twilio/voice/gather?ref=1&attempt=1",
         "/twilio/voice/status?ref=1"]


def client() -> TestClient:
    return TestClient(Starlette(routes=ROUTES), raise_server_exceptions=True)


def snapshot(engine) -> tuple:
    """Everything a webhook could change, to compare before and after."""
    with unit_of_work(engine) as s:
        return (
            s.execute(select(InboundMessage.id, InboundMessage.provider_sid, InboundMessage.body,
                             InboundMessage.reply_text, InboundMessage.outcome).order_by(InboundMessage.id)).all(),
            s.execute(select(OptOut.channel, OptOut.address, OptOut.opted_out).order_by(OptOut.channel, OptOut.address)).all(),
            s.execute(select(StaffMember.id, StaffMember.sms_opted_out).order_by(StaffMember.id)).all(),
            s.execute(select(CallOutRecipient.id, CallOutRecipient.state).order_by(CallOutRecipient.id)).all(),
            s.execute(select(Assignment.id, Assignment.withdrawn_at).order_by(Assignment.id)).all(),
            s.execute(select(MobilisationRequest.id, MobilisationRequest.offered)).all(),
            s.execute(select(OutboundMessage.id, OutboundMessage.status, OutboundMessage.provider_sid,
                             OutboundMessage.error_code).order_by(OutboundMessage.id)).all(),
            s.scalar(select(func.count()).select_from(OutboundStatusEvent)),
            s.scalar(select(func.count()).select_from(AuditEvent)),
        )


def scene(db, world) -> list[str]:
    """A call-out under way and an open mobilisation request; the senders worth trying."""
    w = world(headcount=1, staff=3)
    with unit_of_work(db.engine) as s:
        start_callout(s, HUB, w.requirement_id, quorum=1)
        request_staff(s, HUB, w.incident_id, w.agency_id)
        queue_sms(s, to=w.mobile(2), body="a notice", purpose="notice", incident_id=w.incident_id)
    return [w.mobile(0), w.mobile(1), w.coordinator_mobile, "+447400999888", "07400 100001", "not a number", ""]


def accepted_message(db, world) -> OutboundMessage:
    """The scene's first message, as Twilio has taken it (SID SMfff…)."""
    scene(db, world)
    with unit_of_work(db.engine) as s:
        target = s.scalar(select(OutboundMessage).order_by(OutboundMessage.id).limit(1))
        target.status, target.provider_sid = "accepted", "SM" + "f" * 32
        s.flush()
        s.expunge(target)
        return target


def test_a_forged_signature_on_any_form_is_refused_and_changes_nothing(db, twilio_env, world):
    senders = scene(db, world)
    http = client()
    before = snapshot(db.engine)

    @BOUNDED
    @given(path=st.sampled_from(PATHS), sid=SIDS, sender=st.sampled_from(senders),
           body=st.one_of(REPLIES, ANY_TEXT), extra=FIELDS,
           signature=st.one_of(st.just(""), st.text("ABCDEFabcdef0123456789+/=", max_size=40)))
    def forged(path, sid, sender, body, extra, signature):
        form = {**extra, "MessageSid": sid, "CallSid": sid, "From": sender, "Body": body, "Digits": body,
                "MessageStatus": "delivered", "CallStatus": "completed"}
        response = http.post(path, content=urlencode(form), headers={**FORM, "X-Twilio-Signature": signature})
        assert response.status_code == 403

    forged()
    assert snapshot(db.engine) == before


def test_any_signed_inbound_form_is_answered_without_a_crash_and_stored_once_per_sid(db, twilio_env, world):
    senders = scene(db, world)
    http = client()

    @BOUNDED
    @given(sid=SIDS, sender=st.one_of(st.sampled_from(senders), ANY_TEXT),
           body=st.one_of(REPLIES, ANY_TEXT, LONG_TEXT), extra=FIELDS)
    @example(sid="\x00", sender="+447400100000", body="YES", extra={})
    def signed_form(sid, sender, body, extra):
        form = {**extra, "MessageSid": sid, "From": sender, "Body": body}
        encoded = urlencode(form)
        response = http.post("/twilio/sms", content=encoded, headers=signed("/twilio/sms", form))
        if len(encoded.encode()) > MAX_BODY_BYTES:
            assert response.status_code == 413
        elif sid.isascii() and sid.isalnum() and 2 <= len(sid) <= 64:
            assert response.status_code == 200 and response.text.startswith("<?xml")
        else:
            assert response.status_code == 400  # no MessageSid we could be idempotent on
        with unit_of_work(db.engine) as s:
            if "\x00" not in sid:  # PostgreSQL cannot even compare text holding NUL; it was refused above
                assert s.scalar(select(func.count()).where(InboundMessage.provider_sid == sid)) <= 1
            assert not s.scalar(select(func.count()).select_from(InboundMessage).group_by(
                InboundMessage.provider_sid).having(func.count() > 1))

    signed_form()


def test_a_replayed_inbound_message_is_answered_the_same_and_changes_nothing(db, twilio_env, world):
    senders = scene(db, world)
    http = client()
    counter = iter(range(10**6))

    @BOUNDED
    @given(sender=st.sampled_from(senders), body=st.one_of(REPLIES, ANY_TEXT), extra=FIELDS)
    def replayed(sender, body, extra):
        form = {**extra, "MessageSid": f"SMreplay{next(counter):024d}", "From": sender, "Body": body}
        first = http.post("/twilio/sms", content=urlencode(form), headers=signed("/twilio/sms", form))
        before = snapshot(db.engine)
        again = http.post("/twilio/sms", content=urlencode(form), headers=signed("/twilio/sms", form))
        assert first.status_code == again.status_code == 200 and first.text == again.text
        assert snapshot(db.engine) == before

    replayed()


def test_any_signed_status_callback_is_answered_204_and_never_moves_a_message_back(db, twilio_env, world):
    target = accepted_message(db, world)
    http = client()
    order = ["pending", "sending", "unknown", "accepted", "sent"]

    @BOUNDED
    @given(sid=st.one_of(st.just("SM" + "f" * 32), SIDS),
           status=st.one_of(st.sampled_from(["queued", "sent", "delivered", "undelivered", "failed", "read",
                                             "SENT", " delivered "]), ANY_TEXT),
           error=st.one_of(st.just(""), st.from_regex(r"[0-9]{1,30}", fullmatch=True), ANY_TEXT),
           ref=st.one_of(st.none(), st.from_regex(r"[0-9]{1,30}", fullmatch=True), ANY_TEXT), extra=FIELDS)
    @example(sid="\x00", status="queued", error="", ref=None, extra={})  # once crashed PostgreSQL
    def callback(sid, status, error, ref, extra):
        with unit_of_work(db.engine) as s:
            was = s.get(OutboundMessage, target.id).status
        form = {**extra, "MessageSid": sid, "MessageStatus": status, "ErrorCode": error}
        path = "/twilio/status" + (f"?{urlencode({'ref': ref})}" if ref is not None else "")
        response = http.post(path, content=urlencode(form), headers=signed(path, form))
        assert response.status_code == 204
        with unit_of_work(db.engine) as s:
            now_status = s.get(OutboundMessage, target.id).status
        if was in order and now_status in order:
            assert order.index(now_status) >= order.index(was)
        elif was not in order:
            assert now_status == was  # a final status is never replaced

    callback()


def test_anything_but_a_form_post_is_refused_and_stores_nothing(db, twilio_env, world):
    senders = scene(db, world)
    http = client()
    before = snapshot(db.engine)
    types = st.one_of(st.sampled_from(["application/json", "text/plain", "text/xml", "multipart/form-data; boundary=x",
                                       "application/x-www-form-urlencodedx", "form", ""]),
                      st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=40))

    @BOUNDED
    @given(path=st.sampled_from(PATHS), content_type=types,
           sender=st.sampled_from(senders), body=REPLIES, raw=st.binary(max_size=200), as_form=st.booleans())
    def wrong_type(path, content_type, sender, body, raw, as_form):
        if content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
            return
        form = {"MessageSid": "SM" + "9" * 32, "From": sender, "Body": body, "MessageStatus": "delivered"}
        content = urlencode(form).encode() if as_form else raw
        headers = {**signed(path, form), "Content-Type": content_type}
        response = http.post(path, content=content, headers=headers)
        assert response.status_code in (415, 403)

    wrong_type()
    assert snapshot(db.engine) == before


def test_error_codes_and_references_that_are_not_small_ascii_numbers_are_ignored(db, twilio_env, world):
    # Found by the property above: a 12-digit ErrorCode overflowed PostgreSQL's integer (500),
    # and "²" passes str.isdigit() but not int().
    target = accepted_message(db, world)
    http = client()
    for error, ref in (("434520243502", "8032"), ("²", "²"), ("30003", "99999999999")):
        form = {"MessageSid": "SM" + "e" * 32 if ref != "8032" else "SM" + "f" * 32, "MessageStatus": "sent",
                "ErrorCode": error}
        path = f"/twilio/status?{urlencode({'ref': ref})}"
        assert http.post(path, content=urlencode(form), headers=signed(path, form)).status_code == 204
    with unit_of_work(db.engine) as s:
        row = s.get(OutboundMessage, target.id)
        assert (row.status, row.error_code) == ("sent", None)


def test_any_signed_key_press_is_answered_without_a_crash_and_each_call_answers_once(db, voice_env, world,
                                                                                    frozen_clock):
    w = world(headcount=1, staff=4)
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=1, reminder_after_minutes=5, call_if_unanswered=True)
    frozen_clock.advance(timedelta(minutes=5))
    with unit_of_work(db.engine) as s:
        advance_callouts(s)
    place_calls(db.engine)
    refs = [str(ref) for ref, _, _ in calls(db.engine, callout.id)]
    http = client()

    @BOUNDED
    @given(ref=st.one_of(st.sampled_from(refs), st.from_regex(r"[0-9]{1,12}", fullmatch=True),
                         st.text("abcXYZ019-_.", max_size=12)),
           attempt=st.sampled_from(["1", "2", "0", "3", "x", ""]),
           sid=st.one_of(st.sampled_from(["CA" + "1" * 32, "CA" + "2" * 32]), SIDS),
           digits=st.one_of(st.sampled_from(["1", "2", "3", "#", "*", "", " 1", "12", "１"]), ANY_TEXT), extra=FIELDS)
    @example(ref=refs[0], attempt="1", sid="CA" + "1" * 32, digits="1", extra={})
    def pressed(ref, attempt, sid, digits, extra):
        path = f"/twilio/voice/gather?{urlencode({'ref': ref, 'attempt': attempt})}"
        form = {**extra, "CallSid": sid, "Digits": digits}
        response = http.post(path, content=urlencode(form), headers=signed(path, form))
        if len(urlencode(form).encode()) > MAX_BODY_BYTES:
            assert response.status_code == 413
        elif re.fullmatch(r"[0-9]{1,9}", ref) and re.fullmatch(r"[A-Za-z0-9]{2,60}", sid):
            assert response.status_code == 200 and response.text.startswith("<?xml")
        else:
            assert response.status_code == 400
        with unit_of_work(db.engine) as s:
            keys = s.execute(select(InboundMessage.provider_sid, InboundMessage.body)
                             .where(InboundMessage.channel == "voice")).all()
            assert len(keys) == len({sid for sid, _ in keys}) and {body for _, body in keys} <= {"1", "2"}
            confirmed = s.scalar(select(func.count()).where(CallOutRecipient.state == "confirmed"))
            assert confirmed <= s.get(CallOut, callout.id).quorum

    pressed()
