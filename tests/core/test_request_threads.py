"""A request's thread work (core.request_threads.in_thread) runs at most core.db.POOL_KEPT at once per
event loop, so the public pages under many clients at once use no more connections than the pool
keeps (Starlette's own thread pool ran 40 and made the pool open and close connections past it)."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from sqlalchemy import event

from core.db import POOL_KEPT
from core.request_threads import in_thread
from outreach.public import check_page
from standup.webhook_app import app
from tests import factories


class _AtOnce:
    """How many of something were in progress at once, at most."""

    def __init__(self) -> None:
        self._lock, self.now, self.most = threading.Lock(), 0, 0

    def began(self, *_) -> None:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def ended(self, *_) -> None:
        with self._lock:
            self.now -= 1


def test_at_most_pool_kept_run_at_once_and_each_caller_gets_its_own_result():
    at_once = _AtOnce()

    def work(n: int) -> int:
        at_once.began()
        time.sleep(0.02)
        at_once.ended()
        return n * n

    async def many() -> list[int]:
        return await asyncio.gather(*(in_thread(work, n) for n in range(3 * POOL_KEPT)))

    assert asyncio.run(many()) == [n * n for n in range(3 * POOL_KEPT)]
    assert at_once.most == POOL_KEPT


def test_an_error_reaches_its_caller_and_each_event_loop_has_its_own_threads():
    def refuse() -> None:
        raise ValueError("no")

    for _ in range(2):  # a second loop (a second test, a restarted server) is not bound to the first's
        with pytest.raises(ValueError, match="no"):
            asyncio.run(in_thread(refuse))
        assert asyncio.run(in_thread(sum, [1, 2])) == 3


def test_many_clients_opening_check_pages_at_once_hold_no_more_connections_than_the_pool_keeps(db, monkeypatch):
    incident_id = factories.incident(db, "Operation Larch", is_exercise=False)
    token = factories.invitation_link(db, incident_id)
    url = f"http://testserver/support/check/{token}"
    looked_up = check_page.invitation_by_token

    def slowly(session, token):  # each request holds its connection a while, as under load
        state = looked_up(session, token)
        time.sleep(0.03)
        return state

    monkeypatch.setattr(check_page, "invitation_by_token", slowly)
    connections = _AtOnce()
    event.listen(db.engine.pool, "checkout", connections.began)
    event.listen(db.engine.pool, "checkin", connections.ended)

    async def clients() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
            assert (await client.get(url)).status_code == 200  # the first opening is noted: then only reads
            connections.most = 0
            return await asyncio.gather(*(client.get(url) for _ in range(3 * POOL_KEPT)))

    answers = asyncio.run(clients())
    assert [a.status_code for a in answers] == [200] * (3 * POOL_KEPT)
    assert 1 < connections.most <= POOL_KEPT
