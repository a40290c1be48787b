"""Several `standup worker` processes against one PostgreSQL share the outbox: 5,000 messages,
each claimed and sent exactly once, none left behind, and every worker did some of it.

The workers are the real command (`standup worker`, every sweep scheduled) with the console
gateway, which records each send on the outbox row (its SID, its final status) and in the
status history. Each worker connects under its own PostgreSQL application_name; a trigger this
test puts on the status history notes which worker wrote each "sending" (the claim)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from core.clock import now
from core.db import unit_of_work
from notifications.model import OutboundMessage, OutboundStatusEvent
from tests.infrastructure import ROOT

MESSAGES = 5000
WORKERS = 2
DEADLINE_S = 240  # a hang guard, not a speed target (about half a minute on an idle 2-core machine)

WHO_CLAIMED = """
CREATE TABLE test_claim (message_id integer NOT NULL, worker text NOT NULL);
CREATE FUNCTION test_note_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO test_claim VALUES (NEW.message_id, current_setting('application_name'));
  RETURN NEW;
END $$;
CREATE TRIGGER test_note_claim AFTER INSERT ON outbound_status_event
  FOR EACH ROW WHEN (NEW.status = 'sending') EXECUTE FUNCTION test_note_claim();
"""
FORGET_CLAIMS = """
DROP TRIGGER IF EXISTS test_note_claim ON outbound_status_event;
DROP FUNCTION IF EXISTS test_note_claim();
DROP TABLE IF EXISTS test_claim;
"""


@pytest.fixture
def postgresql(db):
    if db.kind != "postgresql":
        pytest.skip("several workers are a PostgreSQL deployment (claims use FOR UPDATE SKIP LOCKED); "
                    "the embedded SQLite default runs one worker")
    with db.engine.begin() as conn:
        conn.execute(text(FORGET_CLAIMS))
        conn.execute(text(WHO_CLAIMED))
    yield db
    with db.engine.begin() as conn:
        conn.execute(text(FORGET_CLAIMS))


def _queue(engine, count: int) -> list[int]:
    due = now() - timedelta(seconds=1)
    rows = [dict(incident_id=None, destination=f"+447400{200000 + n:06d}", body=f"Several workers {n}", segments=1,
                 purpose="notice", status="pending", due_at=due, attempts=0, error_text="", created_at=due,
                 status_at=due) for n in range(count)]
    with unit_of_work(engine) as session:
        return list(session.scalars(insert(OutboundMessage).returning(OutboundMessage.id,
                                                                      sort_by_parameter_order=True), rows))


def _start_worker(name: str, url: str, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    # Each message is two commits (claim, then record), each an fsync on this disk. Commits that
    # do not wait for the disk change no lock and no visibility, which is all this test is about.
    url += f"?application_name={name}&options=-c%20synchronous_commit%3Doff"
    env = {**os.environ, "DATABASE_URL": url, "STANDUP_DATA_DIR": str(tmp_path / "data"), "SMS_BACKEND": "console",
           "SMS_RATE_PER_SECOND": "1000"}  # paced far above what a worker manages here
    with log.open("w") as out:
        worker = subprocess.Popen([str(Path(sys.executable).parent / "standup"), "worker"], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    return worker, log


def _unfinished(engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(OutboundMessage)
                              .where(OutboundMessage.status.in_(("pending", "sending")))) or 0


def _stop(workers) -> None:
    for worker, _ in workers:
        worker.send_signal(signal.SIGTERM)
    for worker, _ in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_standup_worker_processes_share_5000_messages_without_sending_one_twice(postgresql, tmp_path):
    db = postgresql
    ids = _queue(db.engine, MESSAGES)
    names = [f"standup-worker-{n}" for n in range(1, WORKERS + 1)]
    workers = [_start_worker(name, db.url, tmp_path) for name in names]
    try:
        deadline = time.monotonic() + DEADLINE_S
        while (left := _unfinished(db.engine)) > 0:
            for worker, log in workers:
                assert worker.poll() is None, f"a worker stopped:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"{left} of {MESSAGES} messages still unsent after {DEADLINE_S} s"
            time.sleep(0.5)
    finally:
        _stop(workers)

    with unit_of_work(db.engine) as session:
        statuses = Counter(session.scalars(select(OutboundMessage.status)))
        sids = list(session.scalars(select(OutboundMessage.provider_sid)))
        claims = session.execute(text("SELECT message_id, worker FROM test_claim")).all()
        accepted = Counter(session.scalars(select(OutboundStatusEvent.message_id)
                                           .where(OutboundStatusEvent.status == "accepted")))
    assert statuses == {"delivered": MESSAGES}  # none lost, none stuck
    assert None not in sids and len(set(sids)) == MESSAGES  # each row holds the one send it had
    claimed = Counter(message_id for message_id, _ in claims)
    assert sorted(claimed) == ids and set(claimed.values()) == {1}  # each claimed once...
    assert sorted(accepted) == ids and set(accepted.values()) == {1}  # ...and handed over once
    per_worker = Counter(worker for _, worker in claims)
    assert set(per_worker) == set(names), per_worker  # every worker took a share
