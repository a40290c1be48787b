"""The outbox dispatcher: the real TwilioSms over a fake twilio HttpClient (429 then 201,
permanent errors), pacing, opt-outs, a worker killed mid-send, two workers on PostgreSQL."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from twilio.http import HttpClient
from twilio.http.response import Response

from core.db import unit_of_work
from core.settings import get_settings
from notifications.channels import Accepted, Outgoing
from notifications.channels.sms import TwilioSms
from notifications.dispatcher import dispatch
from notifications.model import OptOut, OutboundMessage, OutboundStatusEvent
from notifications.outbox_service import queue_sms
from notifications.pacing import TokenBucket
from tests.infrastructure import ROOT


class FakeTwilio(HttpClient):
    """Answers Messages.create with the queued responses in turn, then 201s; records every request."""

    def __init__(self, *answers: tuple[int, dict]) -> None:
        super().__init__(logger=None, is_async=False)
        self.answers = list(answers)
        self.requests: list[dict] = []

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        self.requests.append({"method": method, "uri": uri, "data": dict(data or {})})
        status, body = self.answers.pop(0) if self.answers else (201, {})
        if status == 201:
            body = {"sid": f"SM{len(self.requests):032x}", "status": "queued", "to": data["To"], **body}
        return Response(status, json.dumps(body))


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


def fast_bucket() -> TokenBucket:
    return TokenBucket(1e9)


def queue(engine, n: int, *, to: str = "+447400100{:03d}", due=None) -> list[int]:
    with unit_of_work(engine) as s:
        return [queue_sms(s, to=to.format(i), body=f"message {i}", purpose="notice", incident_id=None, due_at=due).id
                for i in range(n)]


def message(engine, message_id: int) -> OutboundMessage:
    with unit_of_work(engine) as s:
        return s.get(OutboundMessage, message_id)


def test_twilio_429_is_retried_after_a_backoff_then_sent(db, twilio_env, frozen_clock):
    fake = FakeTwilio((429, {"code": 20429, "message": "Too Many Requests", "status": 429}))
    gateway = TwilioSms(get_settings(), http_client=fake)
    (mid,) = queue(db.engine, 1)
    report = dispatch(db.engine, "sms", gateway, fast_bucket(), rng=random.Random(1))
    row = message(db.engine, mid)
    assert (report.retried, row.status, row.error_code, row.attempts) == (1, "pending", 20429, 1)
    assert row.due_at > frozen_clock()  # backing off, not hammering
    assert dispatch(db.engine, "sms", gateway, fast_bucket()).sent == 0  # not due yet
    frozen_clock.advance(timedelta(minutes=1))
    assert dispatch(db.engine, "sms", gateway, fast_bucket()).sent == 1
    row = message(db.engine, mid)
    assert row.status == "accepted" and row.provider_sid == f"SM{2:032x}"
    sent = fake.requests[-1]["data"]
    assert sent["MessagingServiceSid"].startswith("MG") and sent["To"] == "+447400100000"
    assert sent["StatusCallback"] == f"https://standup.example.org/twilio/status?ref={mid}"


def test_a_call_out_asks_twilio_to_drop_it_after_its_validity_period_and_a_notice_does_not(db, twilio_env,
                                                                                           frozen_clock):
    from notifications.callout_rules import CALLOUT_VALIDITY_SECONDS

    fake = FakeTwilio()
    with unit_of_work(db.engine) as s:
        callout = queue_sms(s, to="+447400100001", body="call-out", purpose="callout", incident_id=None,
                            validity_seconds=CALLOUT_VALIDITY_SECONDS).id
        notice = queue_sms(s, to="+447400100002", body="notice", purpose="notice", incident_id=None).id
    dispatch(db.engine, "sms", TwilioSms(get_settings(), http_client=fake), fast_bucket())
    sent = {r["data"]["To"]: r["data"] for r in fake.requests}
    assert sent["+447400100001"]["ValidityPeriod"] == CALLOUT_VALIDITY_SECONDS == 900
    assert "ValidityPeriod" not in sent["+447400100002"]
    assert message(db.engine, callout).status == message(db.engine, notice).status == "accepted"


def test_5xx_is_retried_and_a_permanent_error_is_recorded_without_holding_up_others(db, twilio_env, frozen_clock):
    fake = FakeTwilio((503, {"message": "Service Unavailable", "status": 503}),
                      (400, {"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}))
    gateway = TwilioSms(get_settings(), http_client=fake)
    first, second, third = queue(db.engine, 3)
    report = dispatch(db.engine, "sms", gateway, fast_bucket())
    assert (report.retried, report.failed, report.sent) == (1, 1, 1)
    assert message(db.engine, first).status == "pending"
    failed = message(db.engine, second)
    assert (failed.status, failed.error_code) == ("failed", 21211) and "not a valid" in failed.error_text
    assert message(db.engine, third).status == "accepted"


def test_retries_give_up_after_the_last_attempt_with_the_code(db, twilio_env, frozen_clock):
    fake = FakeTwilio(*[(429, {"code": 20429, "message": "Too Many Requests", "status": 429})] * 10)
    gateway = TwilioSms(get_settings(), http_client=fake)
    (mid,) = queue(db.engine, 1)
    for _ in range(10):
        dispatch(db.engine, "sms", gateway, fast_bucket())
        frozen_clock.advance(timedelta(minutes=10))
    row = message(db.engine, mid)
    assert (row.status, row.error_code, row.attempts) == ("failed", 20429, 6)


def test_an_opted_out_number_is_never_sent_to(db, frozen_clock):
    (mid,) = queue(db.engine, 1)
    with unit_of_work(db.engine) as s:  # STOP arrived after the message was queued
        s.add(OptOut(channel="sms", address="+447400100000", opted_out=True))
    sent: list[Outgoing] = []

    class Recording:
        name = "recording"

        def send(self, sms):
            sent.append(sms)
            return Accepted("SMx", "queued")

    dispatch(db.engine, "sms", Recording(), fast_bucket())
    assert sent == [] and message(db.engine, mid).status == "blocked"


def test_the_bucket_paces_segments_at_the_configured_rate():
    clock = FakeClock()
    bucket = TokenBucket(10, clock=clock, sleep=clock.sleep)
    for _ in range(100):
        bucket.take(1)
    # 10 go at once from the full bucket, the other 90 at 10 a second.
    assert clock.t == pytest.approx(9.0)
    bucket.take(3)  # a three-segment message costs three
    assert clock.t == pytest.approx(9.3)


KILLABLE_WORKER = """
import sys, time
from pathlib import Path
import standup.models  # every table, as the real worker has them
from core.db import get_engine
from notifications.dispatcher import dispatch
from notifications.channels import Accepted
from notifications.pacing import TokenBucket

log = Path(sys.argv[1])

class HangsOnTheThird:
    name = "hangs"
    count = 0
    def send(self, sms):
        self.count += 1
        with log.open("a") as f:
            f.write(f"{sms.reference}\\n")
        if self.count == 3:
            Path(str(log) + ".hanging").write_text("x")
            time.sleep(600)
        return Accepted(f"SMkill{sms.reference:028d}", "queued")

dispatch(get_engine(), "sms", HangsOnTheThird(), TokenBucket(1e9))
"""


def test_a_worker_killed_mid_send_never_causes_a_duplicate(db, frozen_clock, tmp_path: Path):
    real_now = datetime.now(UTC)
    ids = queue(db.engine, 6, due=real_now - timedelta(minutes=1))
    log = tmp_path / "sent.log"
    worker = subprocess.Popen([sys.executable, "-c", KILLABLE_WORKER, str(log)], cwd=ROOT,
                              env={**os.environ, "DATABASE_URL": db.url})
    try:
        deadline = time.monotonic() + 60
        while not Path(str(log) + ".hanging").exists():
            assert worker.poll() is None and time.monotonic() < deadline, "the worker never reached its third send"
            time.sleep(0.05)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    first_life = [int(line) for line in log.read_text().split()]
    assert first_life == ids[:3]
    assert message(db.engine, ids[2]).status == "sending"  # in flight when killed

    # A restarted worker after the claim lease: the in-flight row becomes "unknown", the rest go once.
    frozen_clock.set(real_now + timedelta(minutes=3))
    second_life: list[int] = []

    class Recording:
        name = "recording"

        def send(self, sms):
            second_life.append(sms.reference)
            return Accepted(f"SMnew{sms.reference:029d}", "queued")

    report = dispatch(db.engine, "sms", Recording(), fast_bucket())
    assert report.expired_claims == 1
    assert second_life == ids[3:]
    assert not set(first_life) & set(second_life)
    assert message(db.engine, ids[2]).status == "unknown"
    assert [message(db.engine, i).status for i in ids[:2]] == ["accepted", "accepted"]


def test_two_workers_on_postgresql_never_send_one_message_twice(db, frozen_clock):
    if db.kind != "postgresql":
        pytest.skip("SQLite runs every unit of work as BEGIN IMMEDIATE, one writer at a time: the "
                    "SKIP LOCKED race exists only on PostgreSQL")
    ids = queue(db.engine, 300)
    sent: list[int] = []
    lock = threading.Lock()

    class Recording:
        name = "recording"

        def send(self, sms):
            time.sleep(0.001)  # let the two workers interleave
            with lock:
                sent.append(sms.reference)
            return Accepted(f"SMpg{sms.reference:030d}", "queued")

    reports = []
    workers = [threading.Thread(target=lambda: reports.append(dispatch(db.engine, "sms", Recording(), fast_bucket())))
               for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert sorted(sent) == ids  # every message once, none twice
    assert all(r.sent > 0 for r in reports)  # both really worked
    with unit_of_work(db.engine) as s:
        sending_events = s.scalars(select(OutboundStatusEvent.message_id).where(OutboundStatusEvent.status == "sending"))
        assert sorted(sending_events) == ids
