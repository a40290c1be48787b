"""Group commit: units of work waiting together share one transaction; each caller hears only after
the commit, and a unit that fails fails alone."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest
from sqlalchemy import event, func, select

from core import group_commit
from core.db import unit_of_work
from notifications.inbound_service import inbound_row
from notifications.model import InboundMessage


def _store(sid: str):
    """A unit that writes one row and says so (a plain unit: run as it is)."""
    def store(session) -> bool:
        inbound_row(session.get_bind().dialect.name, sid=sid, from_="+447700900123", to="+447400000000",
                    body="YES")(session)
        return True
    return store


def _stored(db) -> set[str]:
    with unit_of_work(db.engine) as s:
        return set(s.scalars(select(InboundMessage.provider_sid)))


@pytest.fixture
def commits(db):
    seen: list[int] = []
    listener = lambda _conn: seen.append(1)  # noqa: E731
    event.listen(db.engine, "commit", listener)
    yield seen
    event.remove(db.engine, "commit", listener)


def _held_writer(db) -> threading.Event:
    """A unit that keeps the writer busy until the event is set, so the next ones queue up behind it."""
    release = threading.Event()
    group_commit.submit(lambda _session: release.wait(10), db.engine)
    return release


def test_units_waiting_together_commit_once_and_each_caller_hears_after_its_commit(db, commits):
    release = _held_writer(db)
    futures = [group_commit.submit(_store(f"SM{n:032d}"), db.engine) for n in range(20)]
    release.set()
    assert [f.result(10) for f in futures] == [True] * 20
    # One commit for the twenty (the held unit wrote nothing; a second only if the writer took the
    # first unit before the rest were queued). One request at a time would be twenty.
    assert 1 <= len(commits) <= 2
    assert _stored(db) == {f"SM{n:032d}" for n in range(20)}


def test_a_unit_that_fails_fails_alone_and_the_others_are_kept(db):
    def broken(session):
        _store("SM" + "9" * 32)(session)
        raise ValueError("this unit is wrong")

    release = _held_writer(db)
    futures = [group_commit.submit(_store(f"SM{n:032d}"), db.engine) for n in range(3)]
    failing = group_commit.submit(broken, db.engine)
    futures += [group_commit.submit(_store(f"SM{n:032d}"), db.engine) for n in range(3, 6)]
    release.set()
    assert [f.result(10) for f in futures] == [True] * 6
    with pytest.raises(ValueError, match="this unit is wrong"):
        failing.result(10)
    assert _stored(db) == {f"SM{n:032d}" for n in range(6)}  # the failing unit's own row rolled back


def test_a_request_handler_awaits_its_commit_without_a_thread_of_its_own(db):
    async def many() -> list[bool]:
        return await asyncio.gather(*(group_commit.committed(_store(f"SM{n:032d}"), db.engine) for n in range(10)))

    assert asyncio.run(many()) == [True] * 10
    assert len(_stored(db)) == 10


def test_rows_alike_go_in_one_statement_and_a_replayed_row_changes_nothing(db):
    statements: list[str] = []
    listener = lambda _c, _cur, statement, *_: statements.append(statement)  # noqa: E731
    rows = [inbound_row(db.engine.dialect.name, sid=f"SM{n % 15:032d}", from_="+447700900123",  # 5 replays
                        to="+447400000000", body="YES") for n in range(20)]
    release = _held_writer(db)
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        futures = [group_commit.submit(row, db.engine) for row in rows]
        release.set()
        assert [f.result(10) for f in futures] == [None] * 20
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert 1 <= len(inserts) <= 2  # one for all twenty (two if the writer took the first alone)
    assert _stored(db) == {f"SM{n:032d}" for n in range(15)}


def test_an_idle_writer_ends_and_the_next_unit_starts_another(db, monkeypatch):
    monkeypatch.setattr(group_commit, "IDLE_SECONDS", 0.05)
    assert group_commit.submit(_store("SM" + "1" * 32), db.engine).result(10) is True
    for _ in range(100):
        if (os.getpid(), db.engine) not in group_commit._writers:
            break
        threading.Event().wait(0.05)
    else:
        pytest.fail("the idle writer did not end")
    assert group_commit.submit(_store("SM" + "2" * 32), db.engine).result(10) is True
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(InboundMessage)) == 2
