"""The incident's timeline: every dated event from every history, in one order; and how long ago."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # status, methane, decision, activation, hub, command
    text: str
    by: str


def merged(*streams: list[TimelineItem]) -> list[TimelineItem]:
    """All items, newest first; items at the same moment keep the order they were given in."""
    items = [item for stream in streams for item in stream]
    return sorted(items, key=lambda i: i.at, reverse=True)


def elapsed(since: datetime, at: datetime) -> str:
    """'2 d 3 h 05 min', '3 h 05 min' or '12 min': how long since, for a header read at a glance."""
    span = max(at - since, timedelta(0))
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h {mins:02d} min"
    if hours:
        return f"{hours} h {mins:02d} min"
    return f"{mins} min"
