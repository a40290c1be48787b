"""A rate limiter kept in the database, so every web server counts the same attempts and a
restart forgets nothing: `rate_limited(session, key, limit, per_seconds)`.

Counts are per fixed window of `per_seconds`, and a decision weighs the previous window by how
much of it still falls inside the last `per_seconds` (a sliding window, approximated): a burst
across a window's edge is counted, one increment is a single atomic upsert on either database
(no read-then-write race between servers), and each key holds at most two rows. Every attempt
counts, refused ones too: a client that keeps trying stays refused.

The key is stored as an HMAC under a key derived from STANDUP_SECRET_KEY: a hash alone of an IPv4
address can be reversed by trying all four billion.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from starlette.requests import Request

from core.clock import now
from core.crypto import signing_keys
from core.db import unit_of_work
from core.public.model import RateLimitCount


def client_address(request: Request) -> str:
    """Who is asking, as far as a rate limit can tell: the client's IPv4 address, or the /64 network
    of an IPv6 one (a single connection gets a whole /64 and can move around it at will). Behind a
    reverse proxy this is the proxy unless the server is told to trust its forwarded headers."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _key_hash(key: str, per_seconds: int) -> str:
    return hmac.new(signing_keys("rate limit")[0], f"{key}\n{per_seconds}".encode(), hashlib.sha256).hexdigest()


def rate_limited(session: Session, key: str, limit: int, per_seconds: int) -> bool:
    """Count one attempt under `key` (e.g. "self-referral " + client_address(request)); True when
    there have now been more than `limit` in the last `per_seconds`, and the attempt is to be refused."""
    if limit < 1 or per_seconds < 1:
        raise ValueError("a rate limit needs a limit and a period of at least 1")
    at = now().timestamp()
    window = int(at // per_seconds)
    key_hash = _key_hash(key, per_seconds)
    expires_at = datetime.fromtimestamp((window + 2) * per_seconds, UTC)
    upsert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert(RateLimitCount)
    hits = session.scalar(
        upsert.values(key_hash=key_hash, window_number=window, hits=1, expires_at=expires_at)
        .on_conflict_do_update(index_elements=["key_hash", "window_number"],
                               set_={"hits": RateLimitCount.hits + 1})
        .returning(RateLimitCount.hits))
    previous = session.scalar(select(RateLimitCount.hits).where(
        RateLimitCount.key_hash == key_hash, RateLimitCount.window_number == window - 1)) or 0
    still_inside = 1 - (at - window * per_seconds) / per_seconds
    return hits + previous * still_inside > limit


def purge_spent_counts() -> None:
    """The worker's sweep: delete the counts no decision reads any more."""
    with unit_of_work() as session:
        session.execute(delete(RateLimitCount).where(RateLimitCount.expires_at < now()))
