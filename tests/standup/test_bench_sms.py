"""The SMS and call benchmark helpers at tiny sizes, for their correctness columns only (timings are
never asserted): webhooks stored once per distinct SID, every paced or unpaced message sent once,
every call answered with one assignment; and each column counts a fault when there is one."""

from __future__ import annotations

import notifications.bench as sms_bench
from notifications.bench import bench_call_answers, bench_dispatch_rate, bench_webhooks


def test_every_webhook_is_answered_and_stored_once_and_the_ceiling_stores_nothing(db):
    bare, hook, ceiling = bench_webhooks(db.engine, requests=40)
    assert bare.correctness is None and "40 requests" in bare.note
    assert hook.correctness == 0
    # 50 warm-up and 40, every tenth a replay: 45 + 36; the ceiling's 40 posts added no row.
    assert "81 rows for 81 distinct SIDs" in hook.note
    assert "ceiling" in ceiling.name and ceiling.ok is None and "of bare" in ceiling.figure
    assert ("misses:" in hook.note) == (hook.ok is False)  # a miss says why, against the ceiling


def test_webhooks_refused_for_a_bad_signature_count_as_errors(db, monkeypatch):
    class WrongToken(sms_bench.RequestValidator):
        def __init__(self, _token: str) -> None:
            super().__init__("not-the-servers-token")

    monkeypatch.setattr(sms_bench, "RequestValidator", WrongToken)
    _, hook, _ceiling = bench_webhooks(db.engine, requests=20)
    # Every request refused (403) and nothing stored: 50 warm-up, 20 measured and 20 for the ceiling
    # refused, 63 SIDs missing.
    assert hook.correctness == 20 + 20 + 63 and "0 rows" in hook.note


def test_every_message_is_sent_exactly_once_paced_and_unpaced(db):
    paced, unpaced = bench_dispatch_rate(db.engine, messages=30, rate=1000)
    assert paced.correctness == 0 and unpaced.correctness == 0
    assert "30 one-segment messages" in paced.note


def test_a_message_sent_twice_is_counted(db, monkeypatch):
    real = sms_bench._CountingGateway.send

    def twice_for_the_first(self, sms):
        if not self.sent:
            real(self, sms)
        return real(self, sms)

    monkeypatch.setattr(sms_bench._CountingGateway, "send", twice_for_the_first)
    paced, unpaced = bench_dispatch_rate(db.engine, messages=10, rate=1000)
    assert paced.correctness == 1 and unpaced.correctness == 1


def test_two_server_processes_store_each_webhook_once(db):
    bare, hook, _ceiling = bench_webhooks(db.engine, requests=40, processes=2)
    assert hook.correctness == 0 and "81 rows for 81 distinct SIDs" in hook.note
    assert "uvicorn (2 processes)" in bare.note and hook.ok is None  # reported, the target is on one process


def test_every_call_answered_makes_one_assignment_and_a_replay_changes_nothing(db):
    [row] = bench_call_answers(db.engine, requests=20)
    assert row.correctness == 0
    assert "20 signed callbacks (18 calls, every tenth replayed)" in row.note
    assert "18 assignments, 20 told confirmed" in row.note


def test_call_answers_refused_for_a_bad_signature_count_as_errors(db, monkeypatch):
    class WrongToken(sms_bench.RequestValidator):
        def __init__(self, _token: str) -> None:
            super().__init__("not-the-servers-token")

    monkeypatch.setattr(sms_bench, "RequestValidator", WrongToken)
    [row] = bench_call_answers(db.engine, requests=20)
    # 20 callbacks refused (403), and 18 assignments and 18 key presses missing.
    assert row.correctness == 20 + 18 + 18 and "0 assignments, 0 told confirmed" in row.note
