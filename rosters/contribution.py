"""What a partner agency agreed to give an incident against what it gave: the after-action
review's staffing figures (DOMAIN.md, Oversight).

Asked: the agreed people a day over each day of the agreed period up to today (London dates; a
period not begun yet asks nothing yet). Given: the agency's people on the incident's shifts that
have ended, not withdrawn: shifts worked, their hours, and person-days (one person on one London
day, however many shifts), which is what "people a day" counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from core.clock import london
from core.errors import InputError
from core.typed_text import one_line

MAX_PEOPLE_A_DAY = 500


@dataclass(frozen=True)
class Agreement:
    staff_per_day: int
    starts_on: date | None
    ends_on: date | None = None  # None: until the incident stands down
    roles: str = ""  # e.g. "support workers, two team leaders"


def checked_agreement(agreement: Agreement) -> Agreement:
    """The agreement, its roles trimmed; refused with the reason when it cannot be right."""
    people = agreement.staff_per_day
    if isinstance(people, bool) or not isinstance(people, int) or not 1 <= people <= MAX_PEOPLE_A_DAY:
        raise InputError(f"Say how many people a day the agency agreed to give: 1 to {MAX_PEOPLE_A_DAY}.")
    if agreement.starts_on is None:
        raise InputError("Give the first day the agency agreed to give staff.")
    if agreement.ends_on is not None and agreement.ends_on < agreement.starts_on:
        raise InputError(f"The agreement ends ({agreement.ends_on:%d/%m/%Y}) before it starts "
                         f"({agreement.starts_on:%d/%m/%Y}).")
    return Agreement(people, agreement.starts_on, agreement.ends_on,
                     one_line(" ".join(agreement.roles.split()), "The roles", 200))


def person_days_asked(agreement: Agreement, today: date) -> int:
    last = today if agreement.ends_on is None else min(agreement.ends_on, today)
    if last < agreement.starts_on:
        return 0
    return agreement.staff_per_day * ((last - agreement.starts_on).days + 1)


@dataclass(frozen=True)
class Given:
    shifts: int
    hours: float
    person_days: int


def given(worked: Iterable[tuple[int, datetime, datetime]]) -> Given:
    """From (staff id, start, end) of each shift worked."""
    shifts, seconds, days = 0, 0.0, set()
    for staff_id, start, end in worked:
        shifts += 1
        seconds += (end - start).total_seconds()
        days.add((staff_id, london(start).date()))
    return Given(shifts, round(seconds / 3600, 2), len(days))
