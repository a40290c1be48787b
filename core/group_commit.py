"""Group commit: many requests' small writes kept in one transaction, committed once.

`GroupCommit(run)` gives each process one writer thread. `await writer.submit(engine, job)` hands it
`job`; the writer takes every job waiting for that engine, calls `run(session, jobs)` (a result per
job, in order) in one unit of work, commits, and only then answers each waiting request with its
result: nobody hears their change was kept before it is committed. Jobs whose whole batch is one
statement run it in `core.db.one_statement` instead of a session (`unit=`).

Why: a public form post's write is a few statements, and the transaction around it costs more
than they do. On PostgreSQL each commit waits for its own WAL flush, where one flush can serve
them all; on SQLite the writers of one process no longer queue for the write lock one by one,
each a thread of its own competing for the interpreter lock with the event loop serving the
requests. A job's work is plain code on the writer's session; it must not block on anything but
the database.

When a batch fails, each of its jobs runs again alone, so one job's error (raised to its own
request) never fails another's; unless the database cannot be reached at all, when every job
hears the batch's error at once. The thread starts on first use in each process.
"""

from __future__ import annotations

import asyncio
import os
import queue
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Generic, TypeVar

from sqlalchemy import Engine

from core.db import DatabaseUnreachable, check_reachable, unit_of_work

Job = TypeVar("Job")
Unit = TypeVar("Unit")
Result = TypeVar("Result")

MOST_IN_ONE_COMMIT = 64  # a bound on how long the first of a batch waits for the others' work


class GroupCommit(Generic[Unit, Job, Result]):
    def __init__(self, run: Callable[[Unit, Sequence[Job]], Sequence[Result]], name: str, *,
                 unit: Callable[[Engine], AbstractContextManager[Unit]] = unit_of_work) -> None:
        self._run, self._name, self._unit = run, name, unit
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # a forked server starts its own thread

    def _reset(self) -> None:
        self._starting = threading.Lock()
        self._waiting: queue.SimpleQueue | None = None

    async def submit(self, engine: Engine, job: Job) -> Result:
        """`job`'s result, once the transaction that kept its work is committed."""
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        self._queue().put((engine, job, loop, answer))
        return await answer

    def _queue(self) -> queue.SimpleQueue:
        if self._waiting is None:
            with self._starting:
                if self._waiting is None:
                    waiting = queue.SimpleQueue()
                    threading.Thread(target=self._write, args=(waiting,), name=self._name, daemon=True).start()
                    self._waiting = waiting
        return self._waiting

    def _write(self, waiting: queue.SimpleQueue) -> None:
        while True:
            batch = [waiting.get()]
            while len(batch) < MOST_IN_ONE_COMMIT:
                try:
                    batch.append(waiting.get_nowait())
                except queue.Empty:
                    break
            by_engine: dict[Engine, list] = {}
            for item in batch:
                by_engine.setdefault(item[0], []).append(item)
            for engine, items in by_engine.items():
                self._commit(engine, items)

    def _commit(self, engine: Engine, items: list) -> None:
        try:
            with self._unit(engine) as unit:
                results = self._run(unit, [job for _, job, _, _ in items])
                if len(results) != len(items):
                    raise RuntimeError(f"{self._name}: {len(results)} results for {len(items)} jobs")
        except Exception as error:
            if len(items) > 1 and _reachable(engine):  # whose? each alone, so only its own request hears of it
                for item in items:
                    self._commit(engine, [item])
                return
            _answer([(item, None, error) for item in items])
            return
        _answer([(item, result, None) for item, result in zip(items, results, strict=True)])


def _reachable(engine: Engine) -> bool:
    """Whether the database answers at all: when it does not (a restart, a network gone), every job of
    a failed batch hears so at once, rather than each waiting its turn for a connection to fail (64
    jobs, each up to the connect timeout of 5 s)."""
    try:
        check_reachable(engine)
    except DatabaseUnreachable:
        return False
    return True


def _answer(outcomes: list[tuple[tuple, object, Exception | None]]) -> None:
    """Each waiting request its result (or error), on its own event loop: one wake-up per loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list] = {}
    for (_, _, loop, answer), result, error in outcomes:
        by_loop.setdefault(loop, []).append((answer, result, error))
    for loop, answers in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle, answers)
        except RuntimeError:  # that loop is closed: nobody is waiting any more
            pass


def _settle(answers: list[tuple[asyncio.Future, object, Exception | None]]) -> None:
    for answer, result, error in answers:
        if answer.done():  # the request went away (cancelled) meanwhile
            continue
        if error is None:
            answer.set_result(result)
        else:
            answer.set_exception(error)
