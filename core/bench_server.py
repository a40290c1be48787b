"""A web server for the benchmarks that time HTTP routes: uvicorn in processes of its own, forked
with this process's settings, on loopback (`serving`); and those settings pointed at a scratch
database for the run (`bench_environment`)."""

from __future__ import annotations

import multiprocessing
import os
import socket
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext

import httpx
import uvicorn
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from core.db import forget_engines
from core.group_commit import GroupCommit
from core.settings import reset_settings


@contextmanager
def bench_environment(engine: Engine, **values: str) -> Iterator[None]:
    """This process's settings (and so a forked server's) on the scratch database, with `values`
    (environment variables) besides; all as they were afterwards."""
    values = {"DATABASE_URL": engine.url.render_as_string(hide_password=False), **values}
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    reset_settings()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reset_settings()
        forget_engines()


def _serve(routes: Sequence[BaseRoute], listening: socket.socket) -> None:
    uvicorn.Server(uvicorn.Config(Starlette(routes=list(routes)), log_level="warning", access_log=False)).run(
        sockets=[listening])


@contextmanager
def serving(routes: Sequence[BaseRoute], processes: int = 1, *, ready_post: str = "/bare") -> Iterator[str]:
    """`routes` under uvicorn in `processes` processes of their own sharing one listening socket,
    so the clients and the server do not share one interpreter lock; the base URL once a POST to
    `ready_post` is answered."""
    # IPPROTO_TCP spelled out: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say they
    # are TCP, and with Nagle on every keep-alive response waits 40 ms for a delayed ACK.
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    listening.listen(1024)
    forget_engines()  # a forked child must not share the parent's database connections
    children = [multiprocessing.get_context("fork").Process(target=_serve, args=(routes, listening), daemon=True)
                for _ in range(processes)]
    for child in children:
        child.start()
    base = f"http://127.0.0.1:{listening.getsockname()[1]}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                httpx.post(f"{base}{ready_post}", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or not all(c.is_alive() for c in children):
                    raise RuntimeError("the bench server did not start") from None
                time.sleep(0.05)
        yield base
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.join(timeout=10)
        listening.close()


def writing_nothing(name: str, result: object) -> GroupCommit:
    """A writer thread as core.group_commit gives a route, that writes nothing and answers each job
    `result`: a route's own work and its hand-off to the writer without the write, the ceiling a
    target of "half the bare route" leaves on this machine."""
    return GroupCommit(lambda _unit, jobs: [result] * len(jobs), name, unit=lambda _engine: nullcontext())
