"""Repeating shift patterns ("three 8-hour shifts a day for 14 days") into concrete shifts.

Shift times are wall-clock times in Europe/London, so a 07:00 start stays 07:00 across the
clock change; each shift lasts its length in real hours (the night the clocks go back, a
23:00-07:00 shift is 8 real hours and ends at 06:00 on the clock).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from core.clock import LONDON

MAX_DAYS = 90
MAX_SHIFTS_PER_DAY = 6
MAX_SHIFT_HOURS = 24


@dataclass(frozen=True)
class PlannedShift:
    starts_at: datetime  # UTC
    ends_at: datetime
    briefing_at: datetime | None
    debrief_at: datetime | None


def evenly_spaced_starts(first: time, shifts_per_day: int) -> tuple[time, ...]:
    """Start times splitting the day evenly from `first`: 07:00 and 3 -> 07:00, 15:00, 23:00."""
    if not 1 <= shifts_per_day <= MAX_SHIFTS_PER_DAY:
        raise ValueError(f"shifts a day must be between 1 and {MAX_SHIFTS_PER_DAY}")
    step = 24 * 60 // shifts_per_day
    base = first.hour * 60 + first.minute
    return tuple(time(((base + i * step) // 60) % 24, (base + i * step) % 60) for i in range(shifts_per_day))


def expand(
    first_day: date,
    days: int,
    start_times: Sequence[time],
    hours: float,
    *,
    briefing_minutes: int = 0,
    debrief_minutes: int = 0,
) -> list[PlannedShift]:
    """Every shift of the pattern, soonest first. ValueError says what is out of range."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"the pattern must run for 1 to {MAX_DAYS} days")
    if not start_times:
        raise ValueError("give at least one start time")
    if len(set(start_times)) != len(start_times):
        raise ValueError("two shifts start at the same time")
    if not 0 < hours <= MAX_SHIFT_HOURS:
        raise ValueError(f"a shift must last more than 0 and at most {MAX_SHIFT_HOURS} hours")
    if not (0 <= briefing_minutes <= 240 and 0 <= debrief_minutes <= 240):
        raise ValueError("briefing and debrief must each be between 0 and 240 minutes")
    length = timedelta(hours=hours)
    shifts = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for start_time in sorted(start_times):
            start = datetime.combine(day, start_time, tzinfo=LONDON).astimezone(UTC)
            end = start + length
            shifts.append(PlannedShift(
                start, end,
                start - timedelta(minutes=briefing_minutes) if briefing_minutes else None,
                end + timedelta(minutes=debrief_minutes) if debrief_minutes else None,
            ))
    return shifts
