"""Dates in imported lists: a two-digit year is 20YY for roster dates (never last century), and for a
date of birth the latest year that does not pass the day given."""

from datetime import date

import pytest

from core.sheet_values import parse_date

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("text", "expected"), [
    ("01/03/85", date(1985, 3, 1)), ("23/11/26", date(2026, 11, 23)), ("24/11/26", date(1926, 11, 24)),
    ("1 Mar 10", date(2010, 3, 1)), ("01/03/1985", date(1985, 3, 1)), ("1985-03-01", date(1985, 3, 1)),
])
def test_a_two_digit_year_of_birth_is_the_latest_that_is_not_after_today(text, expected):
    assert parse_date(text, not_after=TODAY) == expected


def test_without_a_limit_a_two_digit_year_is_this_century():
    assert parse_date("01/03/85") == date(2085, 3, 1)


def test_a_day_that_does_not_exist_in_either_century_is_refused():
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("29/02/01", not_after=TODAY)
