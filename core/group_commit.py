"""Small writes from many requests at once, committed together (group commit).

A request that only stores a little (an inbound webhook's row, a page of a wellbeing check) spends
more on its transaction than on its statements: taking SQLite's write turn or PostgreSQL's
connection, and the commit's flush to disk. Here one writer thread per process and database takes
every unit of work waiting, runs them in one transaction, commits once, and only then gives each
caller its own result: nobody is answered before their write is on disk, and a burst of N requests
costs one commit instead of N.

Many requests that each insert one row alike (`Rows`: the same statement object, their own values)
are sent as one statement with all their rows (executemany): half the work per row of one
statement each.

A unit of work that fails must fail alone: when the shared transaction raises, it is rolled back
and each of its units is run again in a transaction of its own, so the others still commit and
the failing one raises to its own caller. Units must therefore do nothing outside the database
that a rollback would not undo (a wake-up sent after the commit, core.wakeup, is fine).
"""

from __future__ import annotations

import asyncio
import os
import queue
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import groupby
from typing import Any, TypeVar

from sqlalchemy import Engine, Executable
from sqlalchemy.orm import Session

from core.db import get_engine, unit_of_work

T = TypeVar("T")
Work = Callable[[Session], T]

MOST_TOGETHER = 200  # units in one transaction: a long one would hold SQLite's write turn too long
IDLE_SECONDS = 10.0  # a writer with nothing to do for this long ends; the next unit starts another


@dataclass(frozen=True, eq=False)
class Rows:
    """A unit that inserts one row: with others of the same `statement` (the same object, built
    once) waiting beside it, one execute sends all their rows. `after` runs once for each such
    group (a wake-up on commit)."""

    statement: Executable
    values: Mapping[str, Any]
    after: Callable[[Session], None] | None = None

    def __call__(self, session: Session) -> None:
        _insert(session, [self])


def _insert(session: Session, rows: list[Rows]) -> None:
    # Core, on the session's connection: no ORM bookkeeping for rows this session never loads.
    session.connection().execute(rows[0].statement, [dict(row.values) for row in rows])
    if rows[0].after is not None:
        rows[0].after(session)


def _same_insert(work: Work) -> object:
    """What units must share to go in one execute: their statement and what runs after (else each alone)."""
    return (work.statement, work.after) if isinstance(work, Rows) else work


def _run_all(session: Session, units: list[Work]) -> list[object]:
    results: list[object] = []
    for _, group in groupby(units, key=_same_insert):
        alike = list(group)
        if isinstance(alike[0], Rows):
            _insert(session, alike)
            results += [None] * len(alike)
        else:
            results += [work(session) for work in alike]
    return results


class _Writer:
    """The thread that commits one database's units together, in this process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.waiting: queue.SimpleQueue[tuple[Work, Future]] = queue.SimpleQueue()

    def run(self) -> None:
        while True:
            try:
                batch = [self.waiting.get(timeout=IDLE_SECONDS)]
            except queue.Empty:
                if _retire(self):
                    return
                continue
            while len(batch) < MOST_TOGETHER:
                try:
                    batch.append(self.waiting.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[tuple[Work, Future]]) -> None:
        live = [(work, future) for work, future in batch if future.set_running_or_notify_cancel()]
        try:
            with unit_of_work(self.engine) as session:
                results = _run_all(session, [work for work, _ in live])
        except Exception as shared_failure:
            if len(live) == 1:
                live[0][1].set_exception(shared_failure)
                return
            for work, future in live:  # each alone, so only the failing one fails
                try:
                    with unit_of_work(self.engine) as session:
                        future.set_result(work(session))
                except Exception as failure:
                    future.set_exception(failure)
            return
        for (_, future), result in zip(live, results, strict=True):
            future.set_result(result)


_writers: dict[tuple[int, Engine], _Writer] = {}
_writers_lock = threading.Lock()


def _retire(writer: _Writer) -> bool:
    """End an idle writer unless a unit arrived meanwhile (then it carries on)."""
    with _writers_lock:
        if not writer.waiting.empty():
            return False
        _writers.pop((os.getpid(), writer.engine), None)
        return True


def submit(work: Work[T], engine: Engine | None = None) -> Future[T]:
    """Run `work(session)` in the next shared transaction; the future holds its result once that
    transaction has committed (or its exception)."""
    engine = engine or get_engine()
    future: Future[T] = Future()
    with _writers_lock:
        key = (os.getpid(), engine)  # a forked process (a web server worker) starts its own writer
        writer = _writers.get(key)
        if writer is None:
            writer = _writers[key] = _Writer(engine)
            threading.Thread(target=writer.run, name="group-commit", daemon=True).start()
        writer.waiting.put((work, future))
    return future


async def committed(work: Work[T], engine: Engine | None = None) -> T:
    """`submit` for a request handler: its result, once committed, without holding a thread."""
    return await asyncio.wrap_future(submit(work, engine))
