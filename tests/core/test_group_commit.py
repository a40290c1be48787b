"""core.group_commit: the jobs waiting are kept in one transaction, each request answered with its own
result only once that transaction is committed; a job that fails fails only its own request."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from core.clock import now
from core.db import get_engine, make_engine, reading, unit_of_work
from core.group_commit import GroupCommit
from core.public.model import RateLimitCount


def _kept(db) -> dict[str, int]:
    with reading(db.engine) as session:
        return dict(session.execute(select(RateLimitCount.key_hash, RateLimitCount.hits)).all())


def test_the_jobs_waiting_are_committed_together_and_each_answered_after_the_commit(db):
    batches: list[list[str]] = []
    first_running, go_on = threading.Event(), threading.Event()

    def run(session, jobs):
        batches.append(list(jobs))
        for job in jobs:
            session.add(RateLimitCount(key_hash=job, window_number=1, hits=len(job), expires_at=now() + timedelta(1)))
        if len(batches) == 1:  # hold the first batch until the others are waiting
            first_running.set()
            assert go_on.wait(10)
        return [f"kept {job}" for job in jobs]

    writer = GroupCommit(run, "test writer")

    async def submit(job: str) -> tuple[str, set[str]]:
        result = await writer.submit(get_engine(), job)
        return result, set(_kept(db))  # what another session sees once answered

    async def main():
        first = asyncio.create_task(submit("a"))
        while not first_running.is_set():
            await asyncio.sleep(0.01)
        others = [asyncio.create_task(submit(job)) for job in "bcdef"]
        await asyncio.sleep(0.05)  # all five queued behind the first batch
        go_on.set()
        return await first, await asyncio.gather(*others)

    (first, first_seen), others = asyncio.run(main())
    assert batches == [["a"], list("bcdef")]
    assert first == "kept a" and "a" in first_seen
    for job, (result, seen) in zip("bcdef", others, strict=True):
        assert result == f"kept {job}" and job in seen  # committed before its request heard
    assert _kept(db) == {job: 1 for job in "abcdef"}


def test_a_job_that_fails_fails_its_own_request_only_and_keeps_nothing(db):
    batches: list[list[str]] = []
    first_running, go_on = threading.Event(), threading.Event()

    def run(session, jobs):
        batches.append(list(jobs))
        for job in jobs:
            session.add(RateLimitCount(key_hash=job, window_number=1, hits=1, expires_at=now() + timedelta(1)))
            session.flush()
            if job == "bad":
                raise ValueError("no good")
        if len(batches) == 1:
            first_running.set()
            assert go_on.wait(10)
        return list(jobs)

    writer = GroupCommit(run, "test writer")

    async def main():
        first = asyncio.create_task(writer.submit(get_engine(), "first"))
        while not first_running.is_set():
            await asyncio.sleep(0.01)
        others = [asyncio.create_task(writer.submit(get_engine(), job)) for job in ("ok1", "bad", "ok2")]
        await asyncio.sleep(0.05)
        go_on.set()
        return await first, await asyncio.gather(*others, return_exceptions=True)

    first, (ok1, bad, ok2) = asyncio.run(main())
    assert (first, ok1, ok2) == ("first", "ok1", "ok2")
    assert isinstance(bad, ValueError) and str(bad) == "no good"
    assert batches[1:] == [["ok1", "bad", "ok2"], ["ok1"], ["bad"], ["ok2"]]  # the batch failed: each alone
    assert _kept(db) == {"first": 1, "ok1": 1, "ok2": 1}  # each once: the failed batch was rolled back


def test_a_result_per_job_or_every_request_hears_of_the_mistake(db):
    writer = GroupCommit(lambda session, jobs: [], "test writer")

    async def main():
        return await writer.submit(get_engine(), "x")

    with pytest.raises(RuntimeError, match="0 results for 1 jobs"):
        asyncio.run(main())


def test_when_the_database_cannot_be_reached_every_job_of_the_batch_hears_at_once():
    """A database gone (refused here; a restart, a network lost) fails the whole batch together: one
    try and one check that the database answers, not a connection attempt for each job in turn."""
    unreachable = make_engine("postgresql+psycopg://nobody:secret@127.0.0.1:1/standup")  # nothing listens
    tries: list[int] = []
    first_waiting, go_on = threading.Event(), threading.Event()

    def counted(engine):
        tries.append(1)
        if len(tries) == 1:  # hold the first batch (one job) until the others are waiting
            first_waiting.set()
            assert go_on.wait(10)
        return unit_of_work(engine)

    writer = GroupCommit(lambda session, jobs: [session.execute(text("SELECT 1")) and job for job in jobs],
                         "test writer", unit=counted)

    async def main():
        first = asyncio.create_task(writer.submit(unreachable, "first"))
        while not first_waiting.is_set():
            await asyncio.sleep(0.01)
        others = [asyncio.create_task(writer.submit(unreachable, job)) for job in ("a", "b", "c", "d")]
        await asyncio.sleep(0.05)
        go_on.set()
        return await asyncio.gather(first, *others, return_exceptions=True)

    try:
        answers = asyncio.run(main())
    finally:
        unreachable.dispose()
    assert all(isinstance(answer, OperationalError) and "127.0.0.1" in str(answer) for answer in answers)
    assert len(tries) == 2  # the lone first batch, then the other four together: none of them again alone
