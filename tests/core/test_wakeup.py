"""Waking the worker: a wake-up asked for in a unit of work reaches a listener on the same database
once it commits (PostgreSQL NOTIFY; SQLite a datagram beside the database file), never when it
rolls back; the worker's wake-up thread runs the sweep that answers to the topic it hears."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, text

from core.db import one_statement, unit_of_work
from core.plugin_shapes import Sweep
from core.wakeup import WakeListener, socket_address, wake
from standup.worker import answer_wake_ups


@pytest.fixture
def listener(db):
    heard = WakeListener(db.engine)
    yield heard
    heard.close()


def heard_within(listener: WakeListener, seconds: float) -> set[str]:
    deadline, topics = time.monotonic() + seconds, set()
    while time.monotonic() < deadline and not topics:
        topics = listener.wait(timeout=deadline - time.monotonic())
    return topics


def test_a_wake_up_is_heard_once_the_unit_of_work_commits(db, listener):
    with unit_of_work(db.engine) as s:
        wake(s, "inbound_sms")
        wake(s, "safety_alert")
        assert listener.wait(timeout=0.2) == set()  # not before the commit
    assert heard_within(listener, 5) | listener.wait(timeout=0.2) == {"inbound_sms", "safety_alert"}


def test_wake_ups_close_together_are_all_heard_and_a_unit_of_one_statement_wakes_once_kept(db, listener):
    """A unit of one statement (core.db.one_statement) wakes once it is kept, never when it fails; on
    PostgreSQL a second wake-up within the 20 ms after a NOTIFY waits for the next one, not lost."""
    with one_statement(db.engine) as statement:
        wake(statement, "inbound_sms")
        statement.execute(text("SELECT 1"))
        assert listener.wait(timeout=0.2) == set()  # not before the block ends
    time.sleep(0.005)
    with unit_of_work(db.engine) as s:
        wake(s, "safety_alert")
    heard: set[str] = set()
    deadline = time.monotonic() + 5
    while heard != {"inbound_sms", "safety_alert"} and time.monotonic() < deadline:
        heard |= listener.wait(timeout=deadline - time.monotonic())
    assert heard == {"inbound_sms", "safety_alert"}
    with pytest.raises(RuntimeError), one_statement(db.engine) as statement:
        wake(statement, "inbound_sms")
        raise RuntimeError("refused")
    assert listener.wait(timeout=0.5) == set()


def test_a_unit_of_work_rolled_back_wakes_nobody(db, listener):
    with pytest.raises(RuntimeError), unit_of_work(db.engine) as s:
        wake(s, "inbound_sms")
        raise RuntimeError("refused")
    with unit_of_work(db.engine):
        pass  # a later commit on the same session factory carries nothing left over
    assert listener.wait(timeout=0.5) == set()


def test_a_topic_is_a_short_plain_name(db):
    with pytest.raises(ValueError), unit_of_work(db.engine) as s:
        wake(s, "x'; DROP TABLE incident; --")


def test_the_worker_runs_the_sweep_whose_topic_it_hears_and_no_other(db, listener):
    ran = {"inbound": threading.Event(), "alerts": threading.Event()}
    sweeps = (Sweep("inbound", 3600, ran["inbound"].set, wake_topic="inbound_sms"),
              Sweep("alerts", 3600, ran["alerts"].set, wake_topic="safety_alert"),
              Sweep("heartbeat", 3600, lambda: pytest.fail("a sweep with no topic was woken")))
    stop = threading.Event()
    thread = threading.Thread(target=answer_wake_ups, args=(listener, sweeps, stop), daemon=True)
    thread.start()
    try:
        with unit_of_work(db.engine) as s:
            wake(s, "inbound_sms")
        assert ran["inbound"].wait(5)
        assert not ran["alerts"].is_set()
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_an_sqlite_worker_listens_beside_the_database_file_or_under_a_short_name(tmp_path):
    near = create_engine(f"sqlite:///{tmp_path / 'standup.db'}")
    assert socket_address(near) == str((tmp_path / "standup.db").resolve()) + ".wake"
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    far = create_engine(f"sqlite:///{deep / 'standup.db'}")
    address = socket_address(far)
    assert len(address) <= 100 and address == socket_address(create_engine(f"sqlite:///{deep / 'standup.db'}"))
    assert socket_address(create_engine("sqlite://")) is None
