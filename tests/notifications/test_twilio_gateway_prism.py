"""The TwilioSms and TwilioVoice through the real twilio SDK against Prism serving Twilio's own
OpenAPI description with --errors: a request that breaks Twilio's schema comes back 422 and fails.
A call placed there is then answered with Twilio's callbacks simulated, signed."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.db import unit_of_work
from core.settings import get_settings, load_settings, reset_settings
from notifications.callout_service import advance_callouts, start_callout
from notifications.channels import Outgoing, SendError
from notifications.channels.sms import TwilioSms
from notifications.channels.twilio_client import RebasedHttpClient
from notifications.channels.voice import TwilioVoice
from notifications.dispatcher import dispatch
from notifications.model import CallOut, OutboundMessage
from notifications.pacing import TokenBucket
from notifications.webhooks import ROUTES
from rosters.model import Assignment
from tests.callout_traffic import HUB, asked_mobiles, sms, states
from tests.infrastructure import ROOT, skip_or_fail
from tests.twilio_requests import FROM_NUMBER, PUBLIC, on_call, post_signed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def prism(tmp_path_factory):
    binary = Path(os.environ.get("STANDUP_PRISM_BIN") or ROOT / ".tools/node_modules/.bin/prism")
    spec = Path(os.environ.get("STANDUP_TWILIO_SPEC") or ROOT.parent / "shared/twilio/twilio_api_v2010.json")
    if not binary.exists() or not spec.exists():
        skip_or_fail("STANDUP_REQUIRE_PRISM", f"Prism ({binary}) or Twilio's spec ({spec}) missing: "
                     "npm install --prefix .tools @stoplight/prism-cli@5")
    port = _free_port()
    log = open(tmp_path_factory.mktemp("prism") / "prism.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([str(binary), "mock", "-h", "127.0.0.1", "-p", str(port), "--errors", str(spec)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, f"prism exited: {Path(log.name).read_text()[-2000:]}"
            try:
                httpx.get(base, timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "prism did not start within 90 s"
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
        log.close()


def _settings(base: str, **extra: str):
    return load_settings({
        "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "token",
        "TWILIO_API_BASE_URL": base, "PUBLIC_BASE_URL": "https://standup.example.org", **extra,
    })


class RecordingHttpClient(RebasedHttpClient):
    """The gateway's own HTTP client, keeping each request's form as the SDK sent it."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, timeout=10)
        self.forms: list[dict] = []

    def request(self, method, url, *args, **kwargs):
        self.forms.append(dict(kwargs.get("data") or {}))
        return super().request(method, url, *args, **kwargs)


@pytest.mark.parametrize("sender", [{"TWILIO_MESSAGING_SERVICE_SID": "MG" + "1" * 32},
                                    {"TWILIO_FROM_NUMBER": "+447400000001"}])
def test_the_sdk_request_matches_twilios_schema_and_returns_a_message(prism, sender):
    settings = _settings(prism, **sender)
    client = RecordingHttpClient(prism)
    gateway = TwilioSms(settings, http_client=client)
    try:
        accepted = gateway.send(Outgoing("sms", "+447400123456", "Stand Up call-out K7QX: reply YES K7QX", 42, validity_seconds=900))
    except SendError as error:  # a 422 from Prism: our request broke Twilio's schema
        pytest.fail(f"Twilio's schema refused the request: {error.http_status} {error}")
    assert accepted.sid and accepted.status
    [form] = client.forms
    assert form["ValidityPeriod"] == 900  # Prism checked it against Twilio's schema above
    assert form["StatusCallback"] == "https://standup.example.org/twilio/status?ref=42"
    assert form.get("MessagingServiceSid") == settings.twilio_messaging_service_sid or form["From"] == "+447400000001"


def test_prism_really_checks_the_schema(prism):
    # Without To the request breaks Twilio's schema: Prism answers 422 and the gateway reports a
    # permanent (not retryable) error. This is what makes the test above mean something.
    gateway = TwilioSms(_settings(prism, TWILIO_MESSAGING_SERVICE_SID="MG" + "1" * 32))
    with pytest.raises(SendError) as caught:
        gateway.send(Outgoing("sms", None, "no recipient", 43, validity_seconds=900))  # type: ignore[arg-type]
    assert caught.value.http_status == 422 and not caught.value.retryable


def test_the_sdk_places_a_call_that_matches_twilios_schema(prism):
    settings = _settings(prism, VOICE_BACKEND="twilio", TWILIO_FROM_NUMBER=FROM_NUMBER)
    client = RecordingHttpClient(prism)
    voice = TwilioVoice(settings, http_client=client)
    try:
        accepted = voice.send(Outgoing("voice", "+447400123456", "Stand Up call-out K 7 Q X: press 1", 42))
    except SendError as error:  # a 422 from Prism: our request broke Twilio's schema
        pytest.fail(f"Twilio's schema refused the request: {error.http_status} {error}")
    assert accepted.sid.startswith("CA") and accepted.status
    [form] = client.forms
    assert (form["To"], form["From"], form["Method"]) == ("+447400123456", FROM_NUMBER, "POST")
    assert form["Url"] == "https://standup.example.org/twilio/voice/callout?ref=42"
    assert form["StatusCallback"] == "https://standup.example.org/twilio/voice/status?ref=42"


def test_prism_checks_a_calls_schema_too(prism):
    voice = TwilioVoice(_settings(prism, VOICE_BACKEND="twilio", TWILIO_FROM_NUMBER=FROM_NUMBER))
    with pytest.raises(SendError) as caught:
        voice.send(Outgoing("voice", None, "nobody to call", 43))  # type: ignore[arg-type]
    assert caught.value.http_status == 422 and not caught.value.retryable


@pytest.fixture
def calls_through_prism(prism, voice_env, monkeypatch):
    monkeypatch.setenv("TWILIO_API_BASE_URL", prism)
    reset_settings()
    return prism


def test_pressing_1_on_a_call_placed_through_prism_confirms_the_shift(db, world, frozen_clock,
                                                                        calls_through_prism):
    w = world(headcount=1, staff=4)
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=1, reminder_after_minutes=10,
                                call_if_unanswered=True)
    first, second = asked_mobiles(db.engine, callout.id)
    sms(db.engine, second, f"NO {callout.code}")
    frozen_clock.advance(timedelta(minutes=10))
    with unit_of_work(db.engine) as s:
        advance_callouts(s)  # the first has not answered: a call
    sdk = RecordingHttpClient(calls_through_prism)
    report = dispatch(db.engine, "voice", TwilioVoice(get_settings(), http_client=sdk), TokenBucket(10))
    assert report.sent == 1, report.errors
    [placed] = sdk.forms
    assert placed["To"] == first
    with unit_of_work(db.engine) as s:
        sid = s.scalar(select(OutboundMessage.provider_sid).where(OutboundMessage.channel == "voice"))

    # Twilio, once the phone is picked up: fetch the call's TwiML, then post the key pressed.
    twilio = TestClient(Starlette(routes=ROUTES))
    asked = post_signed(twilio, placed["Url"].removeprefix(PUBLIC), on_call(sid, to=first))
    action = ElementTree.fromstring(asked.text).find("Gather").get("action")
    pressed = post_signed(twilio, action.removeprefix(PUBLIC), on_call(sid, to=first, Digits="1"))
    assert pressed.status_code == 200 and "You are confirmed for this shift" in pressed.text
    assert states(db.engine, callout.id) == {"confirmed": 1, "declined": 1, "waiting": 2}
    with unit_of_work(db.engine) as s:
        assert s.get(CallOut, callout.id).status == "quorum_met"
        assert s.scalar(select(Assignment.source).where(Assignment.withdrawn_at.is_(None))) == "callout"
    completed = post_signed(twilio, placed["StatusCallback"].removeprefix(PUBLIC),
                            on_call(sid, to=first, CallStatus="completed"))
    assert completed.status_code == 204
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(OutboundMessage.status).where(OutboundMessage.provider_sid == sid)) == "delivered"
