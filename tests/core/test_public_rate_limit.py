"""The public pages' rate limiter: kept in the database (every web server counts alike), per client
address, never storing the address; and the form that uses it answers 429 past its limit."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from sqlalchemy import select
from starlette.requests import Request
from starlette.testclient import TestClient

from core.db import unit_of_work
from core.public import form_token
from core.public.model import RateLimitCount
from core.public.rate_limit import client_address, purge_spent_counts, rate_limited
from tests import public_test_pages
from tests.public_test_pages import LIMIT


def _send(client: TestClient):
    token = form_token.issue("/support/try")
    return client.post("/support/try", data={form_token.FIELD: token, "name": "Ann", "dob-day": "1"})


def test_more_posts_than_the_limit_in_a_minute_from_one_address_get_429(db, frozen_clock):
    public_test_pages.kept.clear()
    one = TestClient(public_test_pages.app(), client=("203.0.113.7", 5000), follow_redirects=False)
    other = TestClient(public_test_pages.app(), client=("198.51.100.2", 5000), follow_redirects=False)
    assert [_send(one).status_code for _ in range(LIMIT)] == [303] * LIMIT
    refused = _send(one)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
    assert refused.headers["referrer-policy"] == "no-referrer"
    assert len(public_test_pages.kept) == LIMIT  # the refused post kept nothing
    assert _send(other).status_code == 303  # another address has its own count
    frozen_clock.advance(timedelta(seconds=30))
    assert _send(one).status_code == 429  # still within the minute (and still trying counts)
    frozen_clock.advance(timedelta(minutes=3))
    assert _send(one).status_code == 303
    # No address is stored, only keyed hashes of them.
    with unit_of_work(db.engine) as session:
        stored = " ".join(f"{r.key_hash} {r.window_number}" for r in session.scalars(select(RateLimitCount)))
    assert "203.0.113.7" not in stored and "198.51.100.2" not in stored and stored


def test_the_window_slides_a_burst_across_its_edge_is_still_counted(db, frozen_clock):
    frozen_clock.set(frozen_clock.at.replace(minute=10, second=55, microsecond=0))  # 5 s before a minute's edge
    with unit_of_work(db.engine) as session:
        assert [rate_limited(session, "edge", 3, 60) for _ in range(3)] == [False] * 3
    frozen_clock.advance(timedelta(seconds=10))  # a new fixed window, but only 10 s later
    with unit_of_work(db.engine) as session:
        assert rate_limited(session, "edge", 3, 60)
        assert not rate_limited(session, "another key", 3, 60)


def test_counts_no_decision_reads_are_purged(db, frozen_clock):
    with unit_of_work(db.engine) as session:
        rate_limited(session, "old", 3, 60)
    frozen_clock.advance(timedelta(minutes=1))
    with unit_of_work(db.engine) as session:
        rate_limited(session, "recent", 3, 60)
    frozen_clock.advance(timedelta(seconds=70))
    purge_spent_counts()
    with unit_of_work(db.engine) as session:
        left = session.scalars(select(RateLimitCount.window_number)).all()
    assert len(left) == 1  # "recent" is still the previous window of the current minute


def _request_from(host: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [], "client": (host, 1)})


def test_an_ipv6_client_is_counted_by_its_64_network():
    assert client_address(_request_from("2001:db8:1:2:aaaa::1")) == client_address(_request_from("2001:db8:1:2::ffff"))
    assert client_address(_request_from("2001:db8:1:3::1")) != client_address(_request_from("2001:db8:1:2::1"))
    assert client_address(_request_from("::ffff:203.0.113.9")) == "203.0.113.9"
    assert ipaddress.ip_address(client_address(_request_from("203.0.113.9")))
