"""Victims' Code deadlines: when the police referral to support services is due, and by when a
victim must be told of a decision or a date in the investigation and prosecution.

Right 4 of the Code of Practice for Victims of Crime (England and Wales, 2021): police
refer a victim to support services within 2 working days (configurable). Rights 6, 8, 9 and 11:
victims are told of key decisions (arrest, charge, release, no further action), court dates and
outcomes within 5 working days, 1 working day for those entitled to enhanced rights (both
configurable). Right 12: a complaint is answered within 20 working days (the force's
standard; configurable). Working days exclude weekends and the bank holidays of the person's UK nation.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")

# Our nation names -> ISO 3166-2:GB subdivisions known to the `holidays` package.
_SUBDIVISION_OF_NATION = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern_ireland": "NIR",
}


def referral_due(registered_at: datetime, *, nation: str = "england", working_days: int = 2) -> datetime:
    """End of the last working day on which the support-services referral is in time.

    Day 0 is the Europe/London date of `registered_at` (which must be timezone-aware);
    the deadline is 23:59:59.999999 Europe/London on the `working_days`-th working day
    after it.
    """
    if not isinstance(registered_at, datetime) or registered_at.utcoffset() is None:
        raise ValueError(f"registered_at must be a timezone-aware datetime, got {registered_at!r}")
    _check_nation(nation)
    _check_working_days(working_days)

    # The London calendar date, not the UTC one: 23:30 UTC in summer is already tomorrow here.
    return _end_of_working_day_after(registered_at.astimezone(LONDON).date(), nation, working_days)


def inform_due(day_zero: date, *, nation: str = "england", working_days: int = 5) -> datetime:
    """End of the last working day on which a victim may be told of a milestone (a decision, a date
    set) in time: 23:59:59.999999 Europe/London on the `working_days`-th working day after
    `day_zero`, the London date the police decided or set it."""
    if not isinstance(day_zero, date) or isinstance(day_zero, datetime):
        raise ValueError(f"day_zero must be a date, got {day_zero!r}")
    _check_nation(nation)
    _check_working_days(working_days)
    return _end_of_working_day_after(day_zero, nation, working_days)


def answer_due(received_at: datetime, *, nation: str = "england", working_days: int = 20) -> datetime:
    """End of the last working day on which a complaint (right 12) is answered in time, counted from
    the Europe/London date it was received (`received_at` timezone-aware)."""
    if not isinstance(received_at, datetime) or received_at.utcoffset() is None:
        raise ValueError(f"received_at must be a timezone-aware datetime, got {received_at!r}")
    _check_nation(nation)
    _check_working_days(working_days)
    return _end_of_working_day_after(received_at.astimezone(LONDON).date(), nation, working_days)


def _end_of_working_day_after(day: date, nation: str, working_days: int) -> datetime:
    counted = 0
    while counted < working_days:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            counted += 1
    return datetime.combine(day, time.max, tzinfo=LONDON)


def is_working_day(day: date, nation: str) -> bool:
    """Monday to Friday and not a bank holiday in that UK nation."""
    # A datetime is a date too, but would never equal a holiday date: refuse it.
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValueError(f"day must be a date, got {day!r}")
    _check_nation(nation)
    return day.weekday() < 5 and day not in _bank_holidays(nation, day.year)


def _check_working_days(working_days: int) -> None:
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 1:
        raise ValueError(f"working_days must be a whole number, 1 or more, got {working_days!r}")


def _check_nation(nation: str) -> None:
    if not isinstance(nation, str) or nation not in _SUBDIVISION_OF_NATION:
        raise ValueError(f"unknown nation {nation!r}; allowed: {', '.join(_SUBDIVISION_OF_NATION)}")


@cache
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    # Building a holidays calendar is costly, so each nation's year is built once. We keep
    # a frozen set rather than the package's object because that object fills in years
    # lazily on lookup, which is not safe when Streamlit serves sessions on several threads.
    calendar = holidays.country_holidays("GB", subdiv=_SUBDIVISION_OF_NATION[nation], years=year)
    return frozenset(calendar)
