"""When screenings fall due, and when a due one is overdue.

The first screen is due one month after the incident, or one month after registration if
the person was registered later; rescreens follow at the pathway's months (3, 6, 9 and 12 by
default) from the same anchor. A due screen not done within a week is overdue.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta

from core.clock import london

OVERDUE_AFTER = timedelta(days=7)
REMINDER_TEXT = (
    "Hello from the support team. You have a check-in due with us. "
    "Please call your support worker or reply to arrange a time that suits you."
)  # no health detail, no name of the incident or the service


def add_months(moment: datetime, months: int) -> datetime:
    """The same London day and clock time `months` later, or that month's last day (31 Jan + 1 month
    = 28/29 Feb), in UTC. Counted on London's calendar: 10:00 in January is 10:00 in July, though
    one is GMT and the other BST (counted in UTC it would show an hour late, and near midnight on
    the wrong day)."""
    local = london(moment)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    # Through UTC, so a wall time the clocks skip (01:30 on the spring change) gets its real offset.
    return local.replace(year=year, month=month, day=day).astimezone(UTC)


def anchor(incident_started_at: datetime, registered_at: datetime) -> datetime:
    return max(incident_started_at, registered_at)


def due_dates(incident_started_at: datetime, registered_at: datetime,
              months: tuple[int, ...]) -> list[tuple[int, datetime]]:
    """(month, due time) for each screen on the pathway's schedule, earliest first."""
    start = anchor(incident_started_at, registered_at)
    return [(m, add_months(start, m)) for m in sorted(set(months))]


def is_overdue(due_at: datetime, at: datetime) -> bool:
    return at > due_at + OVERDUE_AFTER


def parse_months(text: str) -> tuple[int, ...]:
    """ "1, 3, 6" -> (1, 3, 6); ValueError naming the bad part."""
    months = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 60:
            raise ValueError(f"{part!r} is not a month from 1 to 60 (write e.g. 1, 3, 6, 9, 12)")
        months.append(int(part))
    if not months:
        raise ValueError("give at least one screening month, e.g. 1, 3, 6, 9, 12")
    return tuple(sorted(set(months)))
