"""A request's blocking work (reading the database, rendering a page) in a worker thread, at most
core.db.POOL_KEPT at once in each event loop: `await in_thread(work, *args)`.

Why not Starlette's run_in_threadpool: its 40 threads outnumber the connections a pool keeps. Under
the wellbeing check's 50 clients at once on PostgreSQL, the threads past the pool opened a
connection and closed it again for most requests (the server forks a backend for each), and 40
threads shared the interpreter lock, so every request in flight finished late. With as many
threads as kept connections, the others wait their turn on the event loop, first come first served.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from anyio import CapacityLimiter, to_thread
from anyio.lowlevel import RunVar

from core.db import POOL_KEPT

P = ParamSpec("P")
T = TypeVar("T")

_THREADS: RunVar[CapacityLimiter] = RunVar("standup_request_threads")  # one limiter per event loop


async def in_thread(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    try:
        threads = _THREADS.get()
    except LookupError:
        threads = CapacityLimiter(POOL_KEPT)
        _THREADS.set(threads)
    return await to_thread.run_sync(functools.partial(work, *args, **kwargs), limiter=threads)
