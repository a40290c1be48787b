"""When screenings fall due (pure schedule rules)."""

from datetime import UTC, datetime

import pytest

from pathways.schedule import REMINDER_TEXT, add_months, due_dates, is_overdue, parse_months

INCIDENT = datetime(2026, 5, 22, 22, 31, tzinfo=UTC)


def test_first_screen_a_month_after_the_incident_then_three_six_nine_twelve():
    dues = due_dates(INCIDENT, datetime(2026, 5, 23, 9, tzinfo=UTC), (1, 3, 6, 9, 12))
    # Registered the morning after: the anchor is the registration, the later of the two.
    assert [(m, d.date().isoformat()) for m, d in dues] == [
        (1, "2026-06-23"), (3, "2026-08-23"), (6, "2026-11-23"), (9, "2027-02-23"), (12, "2027-05-23")]


def test_a_person_registered_weeks_later_is_screened_a_month_after_registration():
    dues = due_dates(INCIDENT, datetime(2026, 7, 10, 12, tzinfo=UTC), (1,))
    assert dues == [(1, datetime(2026, 8, 10, 12, tzinfo=UTC))]


def test_month_ends_are_clamped():
    assert add_months(datetime(2027, 1, 31, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2027, 11, 30, tzinfo=UTC), 3) == datetime(2028, 2, 29, tzinfo=UTC)


def test_a_due_screen_is_overdue_after_a_week():
    due = datetime(2026, 6, 23, 9, tzinfo=UTC)
    assert not is_overdue(due, datetime(2026, 6, 30, 9, tzinfo=UTC))
    assert is_overdue(due, datetime(2026, 6, 30, 9, 1, tzinfo=UTC))


def test_months_are_parsed_and_bad_ones_named():
    assert parse_months("1, 3;6,3") == (1, 3, 6)
    with pytest.raises(ValueError, match="'x' is not a month"):
        parse_months("1, x")
    with pytest.raises(ValueError, match="at least one"):
        parse_months(" ")


def test_the_reminder_carries_no_health_detail():
    lowered = REMINDER_TEXT.lower()
    for word in ("screen", "trauma", "mental", "depress", "anxiety", "ptsd", "phq", "incident", "attack"):
        assert word not in lowered
