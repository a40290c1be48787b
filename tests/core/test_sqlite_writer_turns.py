"""SQLite writers in one process take turns on a lock (core.db._WriterTurn) instead of sleeping in
SQLite's busy handler: every way a transaction can end must hand the turn on, or the next writer
would wait out the busy timeout and fail with "database is locked"."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text

import core.db
from core.audit.service import record, verify_chain
from core.auth.roles import Actor, Role
from core.db import make_engine, unit_of_work
from core.migrate import upgrade

AUDITOR = Actor(user_id=None, username="test-auditor", role=Role.AUDITOR)


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A turn that is never handed on fails the next writer after this long, not after 30 s.
    monkeypatch.setattr(core.db, "SQLITE_BUSY_TIMEOUT_S", 2)
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def _in_another_thread(fn) -> None:
    """Run fn in a new thread and re-raise what it raised here."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            fn()
        except BaseException as exc:  # handed to the test thread
            failures.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failures:
        raise failures[0]


def _write_on_another_connection(engine, n: int = 1) -> None:
    """A write from another thread on a connection other than the pooled one: holding the
    pooled connection here keeps any turn it kept out of that writer's reach."""
    with engine.connect():
        _in_another_thread(lambda: _append(engine, n))


def _test_rows(engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(text("SELECT count(*) FROM audit_event WHERE action = 'test'"))


def _append(engine, n: int) -> None:
    with unit_of_work(engine) as session:
        record(session, Actor.system("turns"), "test", "thing", n)


def test_many_threads_appending_to_the_audit_chain_keep_it_whole(engine):
    errors: list[BaseException] = []

    def writer(first: int) -> None:
        try:
            for n in range(first, first + 25):
                _append(engine, n)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i * 100,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _test_rows(engine) == 200
    with unit_of_work(engine) as session:
        assert verify_chain(session, AUDITOR).intact  # no two writers read the same last link


def test_a_unit_of_work_that_fails_hands_the_turn_on(engine):
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        record(session, Actor.system("turns"), "test", "thing", 1)
        raise RuntimeError("the use case refused")
    _write_on_another_connection(engine, 2)
    assert _test_rows(engine) == 1


def test_a_connection_closed_mid_transaction_hands_the_turn_on(engine):
    conn = engine.connect()
    conn.execute(text("SELECT 1"))  # begins: this connection holds the turn
    conn.close()  # returned to the pool without commit or rollback by the caller
    _write_on_another_connection(engine)
    assert _test_rows(engine) == 1


def test_an_invalidated_connection_hands_the_turn_on(engine):
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        conn.invalidate()
    _write_on_another_connection(engine)
    assert _test_rows(engine) == 1


def test_one_connection_may_run_transactions_one_after_another(engine):
    with engine.connect() as conn:
        for n in range(3):
            with conn.begin():
                conn.execute(text("SELECT :n"), {"n": n})
    _write_on_another_connection(engine)
    assert _test_rows(engine) == 1


def test_a_second_writer_in_one_thread_is_refused_not_hung(engine):
    """Nested units of work on SQLite cannot both hold the write lock: the inner one fails after
    the busy timeout, as it did when it waited in SQLite itself."""
    with unit_of_work(engine) as outer:
        outer.execute(text("SELECT 1"))
        with pytest.raises(Exception, match="database is locked"), unit_of_work(engine) as inner:
            inner.execute(text("SELECT 1"))
    _write_on_another_connection(engine)


def test_a_reading_session_neither_waits_for_a_writer_nor_keeps_a_change(engine):
    _append(engine, 1)
    with unit_of_work(engine) as writer:  # a long write holds the lock (a round of invitations queued)
        record(writer, AUDITOR, "test", "thing", 2)
        writer.flush()
        seen: list[int] = []

        def read() -> None:  # in another thread: a unit_of_work there would wait for this one's turn
            with core.db.reading(engine) as session:
                seen.append(session.scalar(text("SELECT count(*) FROM audit_event WHERE action = 'test'")))

        _in_another_thread(read)
        assert seen == [1]  # at once, and what was committed before the writer began
    with core.db.reading(engine) as session:
        session.execute(text("INSERT INTO rate_limit_counts (key_hash, window_number, hits, expires_at) "
                             "VALUES ('k', 1, 1, '2026-01-01 00:00:00')"))
    with unit_of_work(engine) as session:  # a reading session's change is never kept
        assert session.scalar(text("SELECT count(*) FROM rate_limit_counts")) == 0
    assert _test_rows(engine) == 2
