"""Victims' Code deadlines: the referral to support services, and telling a victim of a milestone.

Every expected date below was worked out by hand from the 2025-2027 calendars and the
published UK bank holidays (gov.uk), not copied from the function's output:

- England and Wales 2026: 1 Jan, Good Fri 3 Apr, Easter Mon 6 Apr, 4 May, 25 May,
  31 Aug, 25 Dec, Mon 28 Dec (Boxing Day substitute); 2027: Fri 1 Jan.
- Scotland 2026: 1 and 2 Jan, 3 Apr (no Easter Monday), 4 May, 25 May, 15 Jun (one-off),
  3 Aug, St Andrew's Mon 30 Nov, 25 and 28 Dec; 2027: Fri 1 Jan, Mon 4 Jan (substitute
  for Sat 2 Jan).
- Northern Ireland 2026: as England plus St Patrick's Tue 17 Mar and Mon 13 Jul
  (Battle of the Boyne, 12 Jul is a Sunday).
- Clocks go forward on Sun 29 Mar 2026 and back on Sun 25 Oct 2026.
"""

from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways import victims_code
from pathways.victims_code import inform_due, is_working_day, referral_due

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NATIONS = ("england", "wales", "scotland", "northern_ireland")
SUBDIVISION = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}


def end_of_london_day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=LONDON)


def london(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def assert_due(actual: datetime, expected_date: date) -> None:
    assert isinstance(actual.tzinfo, ZoneInfo) and actual.tzinfo.key == "Europe/London"
    assert actual.date() == expected_date
    assert actual.time() == time(23, 59, 59, 999999)


# --- ordinary weeks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("registered", "working_days", "expected"),
    [
        # Mon 9 Mar 2026: Tue 10 is day 1, Wed 11 day 2.
        (london(2026, 3, 9), 2, date(2026, 3, 11)),
        (london(2026, 3, 9), 1, date(2026, 3, 10)),
        # Thu 12 Mar: Fri 13 day 1, weekend skipped, Mon 16 day 2.
        (london(2026, 3, 12), 2, date(2026, 3, 16)),
        # Fri 13 Mar: Mon 16 day 1, Tue 17 day 2.
        (london(2026, 3, 13), 2, date(2026, 3, 17)),
        # Registered on Saturday or Sunday: the count still starts after day 0.
        (london(2026, 3, 14), 2, date(2026, 3, 17)),
        (london(2026, 3, 15), 2, date(2026, 3, 17)),
        # Mon 9 Mar with 10 working days: two full weeks, Mon 23 Mar.
        (london(2026, 3, 9), 10, date(2026, 3, 23)),
    ],
)
def test_weekends_are_not_working_days(registered, working_days, expected):
    assert_due(referral_due(registered, nation="england", working_days=working_days), expected)


def test_defaults_are_england_and_two_working_days():
    # Thu 12 Mar 2026 -> Fri 13, Mon 16. Not a holiday week in any nation but NI (Tue 17).
    assert referral_due(london(2026, 3, 12)) == end_of_london_day(2026, 3, 16)


def test_deadline_is_the_last_microsecond_of_the_london_day():
    due = referral_due(london(2026, 3, 9, 0, 0))
    assert due == end_of_london_day(2026, 3, 11)
    # March 11 is GMT, so the instant is the same wall time in UTC.
    assert due.astimezone(UTC) == datetime(2026, 3, 11, 23, 59, 59, 999999, tzinfo=UTC)
    assert due + timedelta(microseconds=1) == datetime(2026, 3, 12, 0, 0, tzinfo=LONDON)


# --- day 0 is the London date -----------------------------------------------------------


@pytest.mark.parametrize(
    ("registered", "expected"),
    [
        # Fri 3 Jul 2026 23:30 UTC is Sat 4 Jul 00:30 BST: day 0 Saturday -> Mon 6, Tue 7.
        (datetime(2026, 7, 3, 23, 30, tzinfo=UTC), date(2026, 7, 7)),
        # Thu 2 Jul 23:30 UTC is Fri 3 Jul 00:30 BST: day 0 Friday -> Mon 6, Tue 7.
        # (Counting from the UTC date, Thursday, would wrongly give Mon 6.)
        (datetime(2026, 7, 2, 23, 30, tzinfo=UTC), date(2026, 7, 7)),
        # One second earlier in London time it is still Thursday: Fri 3, Mon 6.
        (datetime(2026, 7, 2, 22, 59, 59, tzinfo=UTC), date(2026, 7, 6)),
        (datetime(2026, 7, 2, 23, 0, tzinfo=UTC), date(2026, 7, 7)),
        # Mon 6 Jul 19:30 in New York (UTC-4) is Tue 7 Jul 00:30 BST: Wed 8, Thu 9.
        (datetime(2026, 7, 6, 19, 30, tzinfo=NEW_YORK), date(2026, 7, 9)),
        # A fixed-offset timezone works too: Thu 2 Jul 23:30 +00:00 == Fri 00:30 BST.
        (datetime(2026, 7, 2, 23, 30, tzinfo=timezone(timedelta(0))), date(2026, 7, 7)),
        # In winter London is on UTC: Thu 15 Jan 23:30 UTC is still Thursday -> Fri 16, Mon 19.
        (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), date(2026, 1, 19)),
    ],
)
def test_day_zero_is_the_europe_london_date(registered, expected):
    assert_due(referral_due(registered, nation="england"), expected)


# --- clock changes ----------------------------------------------------------------------


def test_spring_forward_weekend():
    # Fri 27 Mar 2026 (GMT); clocks go forward Sun 29; Mon 30 day 1, Tue 31 day 2 (BST).
    due = referral_due(datetime(2026, 3, 27, 12, 0, tzinfo=UTC), nation="england")
    assert due == end_of_london_day(2026, 3, 31)
    assert due.utcoffset() == timedelta(hours=1)
    assert due.astimezone(UTC) == datetime(2026, 3, 31, 22, 59, 59, 999999, tzinfo=UTC)


def test_fall_back_weekend():
    # Fri 23 Oct 2026 (BST); clocks go back Sun 25; Mon 26 day 1, Tue 27 day 2 (GMT).
    due = referral_due(london(2026, 10, 23, 16, 0), nation="england")
    assert due == end_of_london_day(2026, 10, 27)
    assert due.utcoffset() == timedelta(0)
    assert due.astimezone(UTC) == datetime(2026, 10, 27, 23, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    "registered",
    [
        # 01:30 happens twice on Sun 25 Oct 2026: first in BST (00:30 UTC), then GMT (01:30 UTC).
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
        # Sat 24 Oct 23:30 UTC is already Sunday 00:30 BST.
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
    ],
)
def test_registered_during_the_repeated_hour(registered):
    # Day 0 Sunday 25 Oct -> Mon 26 day 1, Tue 27 day 2.
    assert_due(referral_due(registered, nation="england"), date(2026, 10, 27))


def test_registered_in_the_skipped_hour_of_spring():
    # 01:30 does not exist in London on 29 Mar 2026; the date is still Sunday 29 Mar.
    registered = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
    assert_due(referral_due(registered, nation="england"), date(2026, 3, 31))


# --- bank holidays, per nation ----------------------------------------------------------


@pytest.mark.parametrize("nation", NATIONS)
def test_christmas_2026_in_every_nation(nation):
    # Wed 23 Dec 2026: Thu 24 day 1; Fri 25 Christmas; weekend; Mon 28 Boxing Day
    # substitute; Tue 29 day 2.
    assert_due(referral_due(london(2026, 12, 23), nation=nation), date(2026, 12, 29))


@pytest.mark.parametrize(
    ("nation", "working_days", "expected"),
    [
        # Wed 23 Dec 2026 onwards: working days 24, 29, 30, 31 Dec everywhere; Fri 1 Jan
        # holiday everywhere; Mon 4 Jan works except in Scotland (2 Jan substitute).
        ("england", 4, date(2026, 12, 31)),
        ("scotland", 4, date(2026, 12, 31)),
        ("england", 5, date(2027, 1, 4)),
        ("wales", 5, date(2027, 1, 4)),
        ("northern_ireland", 5, date(2027, 1, 4)),
        ("scotland", 5, date(2027, 1, 5)),
    ],
)
def test_christmas_into_new_year_2027(nation, working_days, expected):
    assert_due(referral_due(london(2026, 12, 23), nation=nation, working_days=working_days), expected)


@pytest.mark.parametrize(
    ("nation", "working_days", "expected"),
    [
        # Thu 31 Dec 2026: Fri 1 Jan holiday, weekend, Mon 4 day 1, Tue 5 day 2 ...
        ("england", 1, date(2027, 1, 4)),
        ("england", 2, date(2027, 1, 5)),
        ("wales", 2, date(2027, 1, 5)),
        ("northern_ireland", 2, date(2027, 1, 5)),
        # ... but in Scotland Mon 4 Jan is the 2 January substitute: Tue 5 day 1, Wed 6 day 2.
        ("scotland", 1, date(2027, 1, 5)),
        ("scotland", 2, date(2027, 1, 6)),
    ],
)
def test_new_year_2027(nation, working_days, expected):
    assert_due(referral_due(london(2026, 12, 31), nation=nation, working_days=working_days), expected)


@pytest.mark.parametrize(
    ("registered", "nation", "expected"),
    [
        # Wed 31 Dec 2025; Scotland also rests on Fri 2 Jan 2026.
        (london(2025, 12, 31), "england", date(2026, 1, 5)),
        (london(2025, 12, 31), "scotland", date(2026, 1, 6)),
        # Easter 2026 from Thu 2 Apr: Good Friday everywhere, Easter Monday not in Scotland.
        (london(2026, 4, 2), "england", date(2026, 4, 8)),
        (london(2026, 4, 2), "wales", date(2026, 4, 8)),
        (london(2026, 4, 2), "northern_ireland", date(2026, 4, 8)),
        (london(2026, 4, 2), "scotland", date(2026, 4, 7)),
        # St Patrick's Day, Tue 17 Mar 2026, Northern Ireland only (from Mon 16 Mar).
        (london(2026, 3, 16), "northern_ireland", date(2026, 3, 19)),
        (london(2026, 3, 16), "england", date(2026, 3, 18)),
        # Battle of the Boyne: Sun 12 Jul 2026, observed Mon 13 Jul in NI (from Fri 10 Jul).
        (london(2026, 7, 10), "northern_ireland", date(2026, 7, 15)),
        (london(2026, 7, 10), "england", date(2026, 7, 14)),
        # Summer bank holiday: Mon 3 Aug in Scotland, Mon 31 Aug elsewhere.
        (london(2026, 7, 31), "scotland", date(2026, 8, 5)),
        (london(2026, 7, 31), "england", date(2026, 8, 4)),
        (london(2026, 8, 28), "england", date(2026, 9, 2)),
        (london(2026, 8, 28), "wales", date(2026, 9, 2)),
        (london(2026, 8, 28), "scotland", date(2026, 9, 1)),
        # St Andrew's Day, Mon 30 Nov 2026, Scotland only (from Fri 27 Nov).
        (london(2026, 11, 27), "scotland", date(2026, 12, 2)),
        (london(2026, 11, 27), "england", date(2026, 12, 1)),
    ],
)
def test_each_nations_own_bank_holidays(registered, nation, expected):
    assert_due(referral_due(registered, nation=nation), expected)


@pytest.mark.parametrize(
    ("day", "working_in"),
    [
        (date(2026, 12, 24), set(NATIONS)),  # Christmas Eve is not a bank holiday
        (date(2026, 12, 25), set()),
        (date(2026, 12, 26), set()),  # Saturday
        (date(2026, 12, 28), set()),  # Boxing Day substitute
        (date(2026, 12, 29), set(NATIONS)),
        (date(2027, 1, 1), set()),
        (date(2027, 1, 4), {"england", "wales", "northern_ireland"}),
        (date(2026, 1, 2), {"england", "wales", "northern_ireland"}),
        (date(2026, 3, 17), {"england", "wales", "scotland"}),
        (date(2026, 4, 6), {"scotland"}),
        (date(2026, 3, 15), set()),  # Sunday
    ],
)
def test_is_working_day(day, working_in):
    assert {nation for nation in NATIONS if is_working_day(day, nation)} == working_in


def test_holiday_calendars_are_built_once_per_nation_and_year(monkeypatch):
    built = []
    real_country_holidays = holidays.country_holidays

    def counting_country_holidays(*args, **kwargs):
        built.append((kwargs["subdiv"], kwargs["years"]))
        return real_country_holidays(*args, **kwargs)

    victims_code._bank_holidays.cache_clear()
    monkeypatch.setattr(victims_code.holidays, "country_holidays", counting_country_holidays)
    try:
        for _ in range(3):
            referral_due(london(2026, 12, 23), nation="scotland", working_days=5)
            referral_due(london(2026, 12, 23), nation="wales", working_days=5)
    finally:
        # Later tests must not see calendars built through the stand-in.
        victims_code._bank_holidays.cache_clear()
    assert sorted(built) == [("SCT", 2026), ("SCT", 2027), ("WLS", 2026), ("WLS", 2027)]


# --- telling victims of a milestone (rights 6, 8, 9, 11) ------------------------------------


@pytest.mark.parametrize(
    ("day_zero", "working_days", "nation", "expected"),
    [
        # Charged Thu 2 Apr 2026: Good Friday everywhere; Easter Monday not in Scotland.
        (date(2026, 4, 2), 1, "england", date(2026, 4, 7)),
        (date(2026, 4, 2), 1, "wales", date(2026, 4, 7)),
        (date(2026, 4, 2), 1, "scotland", date(2026, 4, 6)),
        (date(2026, 4, 2), 5, "england", date(2026, 4, 13)),
        (date(2026, 4, 2), 5, "wales", date(2026, 4, 13)),
        (date(2026, 4, 2), 5, "scotland", date(2026, 4, 10)),
        # Fri 28 Aug 2026: the summer bank holiday is Mon 31 Aug in England and Wales only.
        (date(2026, 8, 28), 1, "england", date(2026, 9, 1)),
        (date(2026, 8, 28), 1, "scotland", date(2026, 8, 31)),
        (date(2026, 8, 28), 5, "wales", date(2026, 9, 7)),
        (date(2026, 8, 28), 5, "scotland", date(2026, 9, 4)),
        # A decision on a Saturday: the next Monday is the first working day.
        (date(2026, 3, 14), 1, "england", date(2026, 3, 16)),
    ],
)
def test_inform_due_counts_working_days_from_the_decision(day_zero, working_days, nation, expected):
    assert_due(inform_due(day_zero, nation=nation, working_days=working_days), expected)


def test_inform_due_defaults_to_five_working_days_in_england():
    assert_due(inform_due(date(2026, 3, 9)), date(2026, 3, 16))


@pytest.mark.parametrize("day_zero", [datetime(2026, 3, 9, 12, 0, tzinfo=UTC), "2026-03-09", None])
def test_inform_due_takes_a_plain_date(day_zero):
    with pytest.raises(ValueError, match="day_zero must be a date"):
        inform_due(day_zero)


@pytest.mark.parametrize("working_days", [0, True, 1.0])
def test_inform_due_checks_its_working_days_and_nation(working_days):
    with pytest.raises(ValueError, match="working_days"):
        inform_due(date(2026, 3, 9), working_days=working_days)
    with pytest.raises(ValueError, match="scotland"):
        inform_due(date(2026, 3, 9), nation="alba")


# --- invalid input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "registered",
    [
        datetime(2026, 3, 9, 12, 0),  # naive
        date(2026, 3, 9),
        "2026-03-09T12:00:00+00:00",
        None,
    ],
)
def test_registered_at_must_be_an_aware_datetime(registered):
    with pytest.raises(ValueError, match="aware datetime"):
        referral_due(registered)


@pytest.mark.parametrize("nation", ["England", "uk", "great_britain", "", None, "ENG", ["england"]])
def test_unknown_nation_lists_the_allowed_ones(nation):
    with pytest.raises(ValueError) as raised:
        referral_due(london(2026, 3, 9), nation=nation)
    for allowed in NATIONS:
        assert allowed in str(raised.value)


@pytest.mark.parametrize("working_days", [0, -1, True, 2.0, "2", None])
def test_working_days_must_be_a_positive_int(working_days):
    with pytest.raises(ValueError, match="working_days"):
        referral_due(london(2026, 3, 9), working_days=working_days)


@pytest.mark.parametrize("day", [datetime(2026, 12, 25, 12, 0), "2026-12-25", None])
def test_is_working_day_takes_a_plain_date(day):
    with pytest.raises(ValueError, match="date"):
        is_working_day(day, "england")


def test_is_working_day_checks_the_nation():
    with pytest.raises(ValueError, match="northern_ireland"):
        is_working_day(date(2026, 3, 9), "ulster")


# --- property ---------------------------------------------------------------------------


@cache
def oracle_calendar(nation: str) -> holidays.HolidayBase:
    # Independent of the module's own cache: the package's calendar, used as it documents.
    return holidays.country_holidays("GB", subdiv=SUBDIVISION[nation])


def oracle_is_working_day(day: date, nation: str) -> bool:
    return day.weekday() < 5 and day not in oracle_calendar(nation)


@settings(deadline=None)  # the first calls build holiday calendars
@given(
    registered=st.datetimes(
        min_value=datetime(2020, 1, 1),
        max_value=datetime(2035, 12, 31),
        timezones=st.sampled_from([UTC, LONDON, NEW_YORK, ZoneInfo("Asia/Tokyo")]),
    ),
    nation=st.sampled_from(NATIONS),
    working_days=st.integers(min_value=1, max_value=25),
)
def test_due_date_is_exactly_n_working_days_after_day_zero(registered, nation, working_days):
    due = referral_due(registered, nation=nation, working_days=working_days)
    day_zero = registered.astimezone(LONDON).date()

    assert due.tzinfo.key == "Europe/London"
    assert due.time() == time.max
    assert due.date() > day_zero
    assert oracle_is_working_day(due.date(), nation)
    days_after = (day_zero + timedelta(days=n) for n in range(1, (due.date() - day_zero).days + 1))
    assert sum(oracle_is_working_day(day, nation) for day in days_after) == working_days
