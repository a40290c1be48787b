"""The rounds of wellbeing checks: round 1 about a month after the incident, then at the months the
incident's outreach settings list (3, 6, 9, 12, 24, 30 and 36 by default), counted from when the
incident started."""

from __future__ import annotations

from datetime import datetime

from pathways.schedule import add_months


def checked_round(months: tuple[int, ...], round_number: int) -> int:
    """The round, or ValueError saying which there are."""
    if isinstance(round_number, bool) or not isinstance(round_number, int) or not 1 <= round_number <= len(months):
        listing = ", ".join(f"{n} ({m} month{'s' * (m != 1)})" for n, m in enumerate(months, start=1))
        raise ValueError(f"there is no round {round_number!r}; the rounds are {listing}")
    return round_number


def round_opens_at(started_at: datetime, months: tuple[int, ...], round_number: int) -> datetime:
    return add_months(started_at, months[checked_round(months, round_number) - 1])


def current_round(started_at: datetime, months: tuple[int, ...], at: datetime) -> int:
    """The latest round whose time has come; round 1 while none has."""
    opened = [n for n in range(1, len(months) + 1) if round_opens_at(started_at, months, n) <= at]
    return opened[-1] if opened else 1


def next_round_after(started_at: datetime, months: tuple[int, ...], round_number: int) -> datetime | None:
    """When the round after this one opens; None after the last."""
    return round_opens_at(started_at, months, round_number + 1) if round_number < len(months) else None
