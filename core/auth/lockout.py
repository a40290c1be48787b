"""When failed logins lock an account, and when an idle session ends."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


def locked_until_after_failure(failures_before: int, now: datetime) -> tuple[int, datetime | None]:
    """The failure count and lock expiry after one more failed attempt."""
    failures = failures_before + 1
    if failures >= MAX_FAILURES:
        return 0, now + LOCK_FOR
    return failures, None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def session_idle_expired(last_seen: datetime | None, now: datetime, idle_minutes: int) -> bool:
    return last_seen is not None and now - last_seen > timedelta(minutes=idle_minutes)
