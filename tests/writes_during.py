"""A long task (an import) in another process, as the server and the worker are, while this one
keeps writing as the inbound-SMS webhook does, each write timed: how long a write waited behind
the task. (A thread would share this process's interpreter lock and time that, not the database.)"""

from __future__ import annotations

import itertools
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass

import standup.models  # noqa: F401  every table known in the task's process too, as in the server's
from core.db import unit_of_work
from notifications.inbound_service import handle_inbound

_sids = itertools.count(1)


def inbound_text() -> None:
    """What the signed inbound-SMS webhook does with a text: one unit of work on its own connection."""
    with unit_of_work() as session:
        handle_inbound(session, sid=f"SMwait{next(_sids):026d}", from_="+447700900123", to="+447400000000",
                       body="hello")


@dataclass(frozen=True)
class Timed:
    """What the task returned, and when it ran (time.time(), comparable across processes)."""

    result: object
    started: float
    ended: float


def timed_call(task: Callable, *args) -> Timed:
    started = time.time()
    result = task(*args)
    return Timed(result, started, time.time())


@dataclass(frozen=True)
class Waits:
    task: Timed
    during: list[float]  # seconds each write took, of those made while the task ran


def writes_during(task: Callable, *args, write: Callable[[], None] = inbound_text, pause_s: float = 0.05) -> Waits:
    """Run task(*args) in a new process (a module-level function, its result picklable) and `write`
    here, again and again, until it ends."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pending = pool.apply_async(timed_call, (task, *args))
        writes: list[tuple[float, float]] = []
        while not pending.ready():
            started = time.time()
            write()
            writes.append((started, time.time()))
            time.sleep(pause_s)
        ran = pending.get()
    return Waits(ran, [end - start for start, end in writes if end > ran.started and start < ran.ended])
