"""When screenings fall due (pure schedule rules)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

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


LONDON = ZoneInfo("Europe/London")


def test_months_are_added_on_londons_clock_not_utcs():
    # 10:00 on a January morning (GMT) is due at 10:00 on the July morning (BST), i.e. 09:00 UTC;
    # counted in UTC it showed 11:00, an hour late.
    winter = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
    due = add_months(winter, 6)
    assert due == datetime(2027, 7, 15, 9, 0, tzinfo=UTC)
    assert due.astimezone(LONDON).strftime("%d %b %H:%M") == "15 Jul 10:00"
    # And back: 10:00 BST in July is 10:00 GMT in January.
    assert add_months(datetime(2027, 7, 15, 9, 0, tzinfo=UTC), 6) == datetime(2028, 1, 15, 10, 0, tzinfo=UTC)


def test_a_registration_just_after_midnight_in_summer_keeps_its_london_day():
    # 00:30 BST on 1 October is 23:30 UTC on 30 September: in UTC the month after was 30 October.
    due = add_months(datetime(2026, 9, 30, 23, 30, tzinfo=UTC), 1)
    assert due.astimezone(LONDON).strftime("%d %b %Y %H:%M") == "01 Nov 2026 00:30"
    # Month ends clamp on the London date too: 31 January London is 28 February.
    assert add_months(datetime(2027, 1, 31, 23, 30, tzinfo=UTC), 1).astimezone(LONDON).day == 28


def test_a_due_time_in_the_hour_the_clocks_skip_is_a_real_time():
    due = add_months(datetime(2027, 2, 28, 1, 30, tzinfo=UTC), 1)  # 01:30 on 28 March 2027 never happens
    assert due == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert due.astimezone(LONDON).strftime("%H:%M %Z") == "02:30 BST"


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
