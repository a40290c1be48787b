"""Reading AWAY / BACK texts (notifications.away_rules): a table of the ways people write dates on
a phone, the year each date means, what is refused and why, and the texts sent back."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.away_rules import (
    HOW_TO,
    MAX_DAYS,
    Away,
    Back,
    Unreadable,
    away_text,
    back_text,
    read_away,
    unreadable_text,
)
from notifications.segments import measure

TODAY = date(2026, 12, 3)  # a Thursday


def d(day: int, month: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.mark.parametrize(("body", "first", "last"), [
    ("AWAY 3/12-10/12", d(3, 12), d(10, 12)),
    ("away 3/12 - 10/12", d(3, 12), d(10, 12)),
    ("Away 3/12 to 10/12", d(3, 12), d(10, 12)),
    ("AWAY: 3/12 until 10/12.", d(3, 12), d(10, 12)),
    ("AWAY from 4.12 till 6.12", d(4, 12), d(6, 12)),
    ("AWAY 4/12 til 6/12!", d(4, 12), d(6, 12)),
    ("AWAY 3–10 Dec", d(3, 12), d(10, 12)),  # an en dash, as phones type it
    ("away 3-10 dec", d(3, 12), d(10, 12)),
    ("AWAY 3rd to 10th December", d(3, 12), d(10, 12)),
    ("AWAY 3 dec - 10 december", d(3, 12), d(10, 12)),
    ("AWAY 1st-2nd January", d(1, 1, 2027), d(2, 1, 2027)),
    ("AWAY 3/12/26-10/12/26", d(3, 12), d(10, 12)),
    ("AWAY 12/12/2026 - 2/1/2027", d(12, 12), d(2, 1, 2027)),
    ("AWAY 28/12-3/1", d(28, 12), d(3, 1, 2027)),  # across the new year
    ("AWAY 1/12-10/12", d(1, 12), d(10, 12)),  # already begun: runs from now
    ("AWAY 5/12", d(5, 12), d(5, 12)),
    ("AWAY 3 Jan", d(3, 1, 2027), d(3, 1, 2027)),
    ("AWAY today", TODAY, TODAY),
    ("away TOMORROW", TODAY + timedelta(days=1), TODAY + timedelta(days=1)),
    ("AWAY today-7/12", TODAY, d(7, 12)),
    ("AWAY tomorrow to 7/12", TODAY + timedelta(days=1), d(7, 12)),
    ("AWAY until 10/12", TODAY, d(10, 12)),
    ("away till 10 Dec", TODAY, d(10, 12)),
    ("  ...AWAY 3/12-10/12  ", d(3, 12), d(10, 12)),
    ("AWAY 3/12-1/3", d(3, 12), d(1, 3, 2027)),  # 89 days: allowed
])
def test_the_ways_people_write_their_time_away(body, first, last):
    assert read_away(body, TODAY) == Away(first, last)


@pytest.mark.parametrize("body", ["BACK", "back", "Back!", " back. ", "BACK 👍"])
def test_back_on_its_own_is_back(body):
    assert read_away(body, TODAY) == Back()


@pytest.mark.parametrize("body", [
    "back soon", "I'll be back at 5", "YES K7QX", "no", "awayday", "Going away 3/12-10/12", "", "   ", "4",
    "STOP", "Taking the kids away", "backup",
])
def test_other_texts_are_not_availability_messages(body):
    assert read_away(body, TODAY) is None


@pytest.mark.parametrize(("body", "why"), [
    ("AWAY", "Which dates?"),
    ("AWAY!", "Which dates?"),
    ("Away at the moment sorry", "could not read 'at the moment sorry'"),
    ("AWAY next week", "could not read 'next week'"),
    ("AWAY 3/12-10/12 and 20/12", "could not read '10/12 and 20/12'"),
    ("AWAY 3/12-", "could not read those dates"),
    ("AWAY 3/12-10/12-20/12", "could not read those dates"),
    ("AWAY 31/2", "31/2 is not a date"),
    ("AWAY 29/2", "29/2 is not a date"),  # 2026 and 2027 have no 29 February
    ("AWAY 13/13", "13/13 is not a date"),
    ("AWAY 0/12", "0/12 is not a date"),
    ("AWAY 3 Smarch", "could not read '3 smarch'"),
    ("AWAY 3-today", "Which month?"),
    ("AWAY 1/12", "passed"),  # the nearest 1 December is two days ago, not next year's
    ("AWAY 3 sept", "passed"),
    ("AWAY 1/11-10/11", "passed"),
    ("AWAY 1/12/2025-3/12/2025", "passed"),
    ("AWAY 10/12/2026-3/12/2026", "last day is before the first"),
    ("AWAY 3/12-3/3", f"up to {MAX_DAYS} days"),  # 91 days
    ("AWAY 3 Dec 2027", f"within the next {MAX_DAYS} days"),
    ("AWAY 1/5", "within the next"),
])
def test_dates_we_cannot_take_are_refused_with_the_reason(body, why):
    found = read_away(body, TODAY)
    assert isinstance(found, Unreadable) and why.lower() in found.why.lower()


def test_29_february_in_a_leap_year_is_a_date():
    assert read_away("AWAY 29/2", date(2027, 12, 3)) == Away(date(2028, 2, 29), date(2028, 2, 29))


DATES = st.dates(min_value=date(2026, 6, 1), max_value=date(2027, 9, 1))


@settings(max_examples=300)
@given(first=DATES, length=st.integers(-5, 120),
       written=st.sampled_from(["{a:%d/%m/%Y}-{b:%d/%m/%Y}", "{a.day}/{a.month}/{a:%y} to {b.day}/{b.month}/{b:%y}",
                                "{a.day} {a:%B} {a.year} - {b.day} {b:%b} {b.year}"]))
def test_a_range_with_years_is_taken_exactly_or_refused_with_the_reason(first, length, written):
    last = first + timedelta(days=length)
    found = read_away("AWAY " + written.format(a=first, b=last), TODAY)
    takeable = (TODAY <= last and first <= last and length + 1 <= MAX_DAYS
                and first <= TODAY + timedelta(days=MAX_DAYS))
    assert found == Away(first, last) if takeable else isinstance(found, Unreadable) and found.why


@settings(max_examples=300)
@given(first=DATES, length=st.integers(0, 120),
       written=st.sampled_from(["{a:%d/%m}-{b:%d/%m}", "{a.day}.{a.month} until {b.day}.{b.month}",
                                "{a.day} {a:%b} to {b.day} {b:%B}"]))
def test_a_range_without_years_is_the_days_written_in_the_nearest_years_or_refused(first, length, written):
    last = first + timedelta(days=length)
    found = read_away("AWAY " + written.format(a=first, b=last), TODAY)
    if -182 < (last - TODAY).days < 182:  # the nearest such days are the ones meant
        takeable = TODAY <= last and length + 1 <= MAX_DAYS and first <= TODAY + timedelta(days=MAX_DAYS)
        assert found == Away(first, last) if takeable else isinstance(found, Unreadable) and found.why
    elif isinstance(found, Away):  # read in other years, still the days and months written
        assert (found.first_day.day, found.first_day.month) == (first.day, first.month)
        assert (found.last_day.day, found.last_day.month) == (last.day, last.month)
        assert found.last_day >= TODAY and (found.last_day - found.first_day).days < MAX_DAYS
    else:
        assert isinstance(found, Unreadable) and found.why


def test_the_texts_sent_back_carry_dates_only_and_fit_two_gsm7_segments():
    away = Away(d(3, 12), d(10, 12))
    assert away_text(away, 0).startswith("Noted: away Thu 3 Dec to Thu 10 Dec")
    assert "hub manager" in away_text(away, 2) and "2 shifts" in away_text(away, 2)
    assert "1 shift in" in away_text(away, 1)
    texts = [away_text(away, 0), away_text(away, 12), back_text(0), back_text(1),
             unreadable_text(Unreadable("We could not read 'next week' as a date."))]
    for text in texts:
        info = measure(text)
        assert info.encoding == "GSM-7" and info.segments <= 2, text
    assert unreadable_text(Unreadable("Which dates?")).endswith(HOW_TO)
