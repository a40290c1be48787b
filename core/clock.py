"""The one source of "now", so rules that depend on time can be tested with an injected clock.

Times are stored in UTC and shown in Europe/London.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return _now()


def set_clock(fn: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests); None restores the wall clock."""
    global _now
    _now = fn or (lambda: datetime.now(UTC))


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; SQLite hands back naive values that are UTC by our rule."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def london(value: datetime) -> datetime:
    return as_utc(value).astimezone(LONDON)


def show(value: datetime | None, fmt: str = "%a %d %b %Y %H:%M") -> str:
    """How a time is shown to people: Europe/London, with no seconds."""
    return "" if value is None else london(value).strftime(fmt)


def london_datetime(day: date, at: time) -> datetime:
    """A date and time typed in Europe/London, as an aware datetime."""
    return datetime.combine(day, at, LONDON)


def now_in_london() -> tuple[date, time]:
    local = london(now())
    return local.date(), local.time().replace(second=0, microsecond=0)
