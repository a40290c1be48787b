from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rosters.constraints import (
    RULES,
    Booked,
    ShiftSlot,
    StaffFacts,
    Window,
    eligible,
    london_week,
    violations,
)

LONDON = ZoneInfo("Europe/London")


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """March 2026 unless told; London is on GMT (= UTC) until 29 March."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def staff(**changes) -> StaffFacts:
    facts = {
        "staff_id": 1,
        "role": "support worker",
        "skills": frozenset({"psychological first aid"}),
        "languages": frozenset({"Arabic"}),
        "dbs_level": "enhanced",
        "dbs_expiry": date(2027, 1, 1),
    }
    return StaffFacts(**(facts | changes))


WEDNESDAY_8AM = utc(4, 8)


def slot(start: datetime = WEDNESDAY_8AM, end: datetime | None = None, **changes) -> ShiftSlot:
    facts = {"shift_id": "S", "start": start, "end": end or start + timedelta(hours=8), "role": "support worker"}
    return ShiftSlot(**(facts | changes))


def booked(start: datetime, hours: float = 8, shift_id: str = "B") -> Booked:
    return Booked(shift_id, start, start + timedelta(hours=hours))


def rules(*args, **kwargs) -> list[str]:
    found = violations(*args, **kwargs)
    assert eligible(*args, **kwargs) is (not found)
    return [v.rule for v in found]


def test_a_person_who_meets_every_rule_is_eligible():
    assert violations(staff(), slot()) == ()
    assert eligible(staff(), slot()) is True


def test_inactive_staff_cannot_be_assigned():
    (v,) = violations(staff(active=False), slot())
    assert v.rule == "inactive" and "inactive" in v.reason


def test_role_must_match_unless_the_slot_takes_any_role():
    assert rules(staff(role="coordinator"), slot()) == ["role"]
    assert violations(staff(role="coordinator"), slot())[0].reason == "role is coordinator; this shift needs support worker"
    assert rules(staff(role="coordinator"), slot(role=None)) == []


# --- rest between shifts ------------------------------------------------------------------------


def test_rest_of_exactly_11_hours_after_a_shift_passes():
    earlier = Booked("B", utc(3, 11), utc(3, 19))
    assert rules(staff(), slot(utc(4, 6)), [earlier]) == []


def test_rest_of_10h59_after_a_shift_fails_with_london_times():
    earlier = Booked("B", utc(3, 11), utc(3, 19))
    (v,) = violations(staff(), slot(utc(4, 5, 59)), [earlier])
    assert v.rule == "rest"
    assert v.reason == (
        "finished a shift at 19:00 on 3 Mar, 11 h rest needed before 06:00 on 4 Mar; this shift starts at 05:59 on 4 Mar"
    )
    assert eligible(staff(), slot(utc(4, 5, 59)), [earlier]) is False


def test_rest_before_a_later_booked_shift_counts_too():
    shift = slot(utc(3, 15), utc(3, 23))
    assert rules(staff(), shift, [booked(utc(4, 10))]) == []
    (v,) = violations(staff(), shift, [booked(utc(4, 9, 59))])
    assert v.rule == "rest"
    assert "starts a shift at 09:59 on 4 Mar" in v.reason and "ends at 23:00 on 3 Mar" in v.reason


def test_minimum_rest_is_configurable():
    earlier = booked(utc(3, 11))  # ends 19:00
    assert rules(staff(), slot(utc(4, 3)), [earlier], min_rest=timedelta(hours=8)) == []
    assert rules(staff(), slot(utc(4, 2, 59)), [earlier], min_rest=timedelta(hours=8)) == ["rest"]
    assert "8 h 30 min rest needed" in violations(staff(), slot(utc(4, 2)), [earlier], min_rest=timedelta(hours=8.5))[0].reason


def test_rest_is_elapsed_time_across_the_clock_change():
    # Clocks go forward at 01:00 UTC on 29 March 2026: midnight GMT to 12:00 BST is 11 real hours.
    earlier = Booked("B", datetime(2026, 3, 28, 16, tzinfo=LONDON), datetime(2026, 3, 29, 0, tzinfo=LONDON))
    on_time = slot(datetime(2026, 3, 29, 12, tzinfo=LONDON))
    too_soon = slot(datetime(2026, 3, 29, 11, 59, tzinfo=LONDON))
    assert rules(staff(), on_time, [earlier]) == []
    assert rules(staff(), too_soon, [earlier]) == ["rest"]
    assert "before 12:00 on 29 Mar" in violations(staff(), too_soon, [earlier])[0].reason


# --- overlap ---------------------------------------------------------------------------------------


def test_overlapping_shifts_are_refused():
    (v,) = violations(staff(), slot(utc(4, 15)), [booked(utc(4, 8))])
    assert v.rule == "overlap"
    assert v.reason == "already on a shift from 08:00 on 4 Mar to 16:00 on 4 Mar"


def test_back_to_back_shifts_do_not_overlap_but_need_rest():
    assert rules(staff(), slot(utc(4, 16)), [booked(utc(4, 8))]) == ["rest"]
    assert rules(staff(), slot(utc(4, 16)), [booked(utc(4, 8))], min_rest=timedelta(0)) == []


def test_a_shift_inside_another_overlaps():
    assert rules(staff(), slot(utc(4, 10), utc(4, 12)), [booked(utc(4, 8))]) == ["overlap"]


def test_the_slots_own_booking_is_not_a_clash():
    assert rules(staff(), slot(utc(4, 8)), [booked(utc(4, 8), shift_id="S")]) == []


# --- DBS -------------------------------------------------------------------------------------------


def test_no_dbs_recorded_fails():
    assert rules(staff(dbs_level=None, dbs_expiry=None), slot()) == ["dbs_missing"]
    assert rules(staff(dbs_level=None), slot(needs_enhanced_dbs=True)) == ["dbs_missing"]


def test_dbs_expiring_on_the_shift_date_passes():
    assert rules(staff(dbs_expiry=date(2026, 3, 4)), slot(utc(4, 8))) == []


def test_dbs_expiring_the_day_before_the_shift_fails():
    (v,) = violations(staff(dbs_expiry=date(2026, 3, 3)), slot(utc(4, 8)))
    assert v.rule == "dbs_expired"
    assert v.reason == "DBS valid until 3 Mar 2026; the shift runs to 4 Mar 2026"


def test_dbs_must_last_until_the_last_date_of_a_night_shift():
    night = slot(utc(4, 22), utc(5, 6))
    assert rules(staff(dbs_expiry=date(2026, 3, 4)), night) == ["dbs_expired"]
    assert rules(staff(dbs_expiry=date(2026, 3, 5)), night) == []


def test_a_shift_ending_at_midnight_does_not_need_the_next_day():
    assert rules(staff(dbs_expiry=date(2026, 3, 4)), slot(utc(4, 16), utc(5, 0))) == []


def test_dbs_dates_are_london_dates():
    # 23:00-00:30 BST on 1-2 June is 22:00-23:30 UTC on 1 June: the shift runs into 2 June.
    summer_night = slot(datetime(2026, 6, 1, 22, tzinfo=UTC), datetime(2026, 6, 1, 23, 30, tzinfo=UTC))
    assert rules(staff(dbs_expiry=date(2026, 6, 1)), summer_night) == ["dbs_expired"]
    assert rules(staff(dbs_expiry=date(2026, 6, 2)), summer_night) == []


def test_a_dbs_level_with_no_expiry_recorded_is_valid():
    assert rules(staff(dbs_expiry=None), slot()) == []


def test_enhanced_dbs_when_the_slot_needs_it():
    assert rules(staff(dbs_level="enhanced"), slot(needs_enhanced_dbs=True)) == []
    (v,) = violations(staff(dbs_level="standard"), slot(needs_enhanced_dbs=True))
    assert (v.rule, v.reason) == ("dbs_level", "DBS is standard; this shift needs enhanced")
    assert rules(staff(dbs_level="basic"), slot()) == []


# --- skills and languages ------------------------------------------------------------------------------


def test_required_skill_must_be_held():
    assert rules(staff(), slot(required_skill="psychological first aid")) == []
    (v,) = violations(staff(), slot(required_skill="bereavement"))
    assert (v.rule, v.reason) == ("skill", "does not have bereavement")


def test_required_language_must_be_spoken():
    assert rules(staff(), slot(required_language="Arabic")) == []
    (v,) = violations(staff(), slot(required_language="Polish"))
    assert (v.rule, v.reason) == ("language", "does not speak Polish")


# --- availability ------------------------------------------------------------------------------------


def test_no_availability_recorded_means_available():
    assert rules(staff(availability=()), slot()) == []


def test_a_shift_exactly_filling_a_window_passes():
    assert rules(staff(availability=(Window(utc(4, 8), utc(4, 16)),)), slot(utc(4, 8))) == []


def test_a_shift_running_past_the_window_fails():
    (v,) = violations(staff(availability=(Window(utc(4, 8), utc(4, 15, 59)),)), slot(utc(4, 8)))
    assert v.rule == "availability"
    assert "from 08:00 on 4 Mar to 16:00 on 4 Mar" in v.reason


def test_back_to_back_windows_cover_a_night_shift():
    evening, morning = Window(utc(4, 18), utc(5, 0)), Window(utc(5, 0), utc(5, 9))
    assert rules(staff(availability=(morning, evening)), slot(utc(4, 22), utc(5, 6))) == []


def test_a_gap_between_windows_fails():
    evening, morning = Window(utc(4, 18), utc(4, 23)), Window(utc(5, 0), utc(5, 9))
    assert rules(staff(availability=(evening, morning)), slot(utc(4, 22), utc(5, 6))) == ["availability"]


def test_windows_elsewhere_do_not_help():
    other_days = (Window(utc(1, 0), utc(2, 0)), Window(utc(6, 0), utc(7, 0)))
    assert rules(staff(availability=other_days), slot(utc(4, 8))) == ["availability"]


def test_an_unavailable_window_touching_the_shift_fails_only_if_it_overlaps():
    assert rules(staff(unavailability=(Window(utc(4, 0), utc(4, 8)),)), slot(utc(4, 8))) == []
    (v,) = violations(staff(unavailability=(Window(utc(4, 0), utc(4, 8, 1)),)), slot(utc(4, 8)))
    assert (v.rule, v.reason) == ("unavailable", "unavailable from 00:00 on 4 Mar to 08:01 on 4 Mar")


# --- weekly hours --------------------------------------------------------------------------------------

# Monday 2 March to Sunday 8 March 2026.


def test_weekly_hours_exactly_at_the_maximum_pass():
    week = [booked(utc(2, 8)), booked(utc(3, 8), 8.5), booked(utc(5, 8), 7.5), booked(utc(6, 8))]  # 32 h
    assert rules(staff(max_hours_per_week=40), slot(utc(8, 8)), week) == []


def test_weekly_hours_over_the_maximum_fail():
    week = [booked(utc(2, 8)), booked(utc(3, 8), 8.5), booked(utc(5, 8), 7.5), booked(utc(6, 8))]
    (v,) = violations(staff(max_hours_per_week=40), slot(utc(8, 8), utc(8, 16, 1)), week)
    assert v.rule == "weekly_hours"
    assert v.reason == "would work 40.02 h in the week beginning 2 Mar 2026, over the 40 h maximum"


def test_fractional_maximums_are_exact():
    assert rules(staff(max_hours_per_week=37.5), slot(utc(8, 8), utc(8, 15, 30)), [booked(utc(2, 8), 30)]) == []
    assert rules(staff(max_hours_per_week=37.5), slot(utc(8, 8), utc(8, 15, 31)), [booked(utc(2, 8), 30)]) == [
        "weekly_hours"
    ]


def test_shifts_in_other_weeks_do_not_count():
    last_sunday, next_monday = booked(utc(1, 8), 30), booked(utc(9, 0), 30)
    assert rules(staff(max_hours_per_week=10), slot(utc(4, 8)), [last_sunday, next_monday]) == []
    assert rules(staff(max_hours_per_week=10), slot(utc(8, 8)), [booked(utc(2, 0), 3)]) == ["weekly_hours"]


def test_a_shift_belongs_to_the_london_week_it_starts_in():
    # Sunday 21 June 23:30 UTC is Monday 22 June 00:30 BST: next week in London.
    sunday_night_utc = booked(datetime(2026, 6, 21, 23, 30, tzinfo=UTC), 30)
    assert rules(staff(max_hours_per_week=10), slot(datetime(2026, 6, 19, 8, tzinfo=UTC)), [sunday_night_utc]) == []
    assert rules(staff(max_hours_per_week=10), slot(datetime(2026, 6, 24, 8, tzinfo=UTC)), [sunday_night_utc]) == [
        "weekly_hours"
    ]


def test_a_single_shift_longer_than_the_maximum_fails():
    assert rules(staff(max_hours_per_week=6), slot()) == ["weekly_hours"]


def test_no_maximum_means_no_weekly_limit():
    week = [booked(utc(2, 8), 12), booked(utc(3, 8), 12), booked(utc(5, 8), 12), booked(utc(6, 8), 12)]
    assert rules(staff(max_hours_per_week=None), slot(utc(8, 8)), week) == []


def test_london_week_is_monday_to_monday_in_london():
    assert london_week(utc(4, 12)) == (utc(2, 0), utc(9, 0))
    # The week of the clock change is 167 hours long.
    start, end = london_week(datetime(2026, 3, 29, 12, tzinfo=UTC))
    assert (start, end) == (utc(23, 0), utc(29, 23))
    assert end - start == timedelta(hours=167)


# --- all together ----------------------------------------------------------------------------------------


def test_every_broken_rule_is_reported_in_rule_order():
    person = staff(
        role="coordinator", active=False, dbs_expiry=date(2026, 3, 1), dbs_level="basic", skills=frozenset(),
        languages=frozenset(), max_hours_per_week=4, availability=(Window(utc(1, 0), utc(2, 0)),),
        unavailability=(Window(utc(4, 0), utc(5, 0)),),
    )
    shift = slot(utc(4, 8), needs_enhanced_dbs=True, required_skill="interpreter", required_language="Polish")
    found = [v.rule for v in violations(person, shift, [booked(utc(3, 22), 1), booked(utc(4, 10), 1)])]
    assert found == [
        "inactive", "role", "dbs_expired", "dbs_level", "skill", "language", "unavailable", "availability",
        "overlap", "rest", "weekly_hours",
    ]
    assert [rule for rule in RULES if rule in found] == found
    assert all(v.reason for v in violations(person, shift, []))


def test_times_must_be_aware_and_in_order():
    with pytest.raises(ValueError, match="timezone-aware"):
        slot(datetime(2026, 3, 4, 8))
    with pytest.raises(ValueError, match="end after it starts"):
        slot(utc(4, 8), utc(4, 8))
    with pytest.raises(ValueError, match="end after it starts"):
        Window(utc(4, 9), utc(4, 8))
    with pytest.raises(ValueError, match="timezone-aware"):
        Booked("B", utc(4, 8), datetime(2026, 3, 4, 9))


def test_times_are_held_in_utc():
    shift = slot(datetime(2026, 6, 1, 9, tzinfo=LONDON))
    assert shift.start == datetime(2026, 6, 1, 8, tzinfo=UTC) and shift.start.tzinfo is UTC


hours = st.integers(min_value=0, max_value=24 * 14 - 1)


@st.composite
def scenarios(draw):
    base = utc(2, 0)

    def span(max_length: int = 14) -> tuple[datetime, datetime]:
        start = base + timedelta(hours=draw(hours))
        return start, start + timedelta(hours=draw(st.integers(min_value=1, max_value=max_length)))

    person = staff(
        active=draw(st.booleans()),
        role=draw(st.sampled_from(["support worker", "coordinator"])),
        dbs_level=draw(st.sampled_from([None, "basic", "enhanced"])),
        dbs_expiry=draw(st.sampled_from([None, date(2026, 3, 5), date(2026, 3, 10)])),
        max_hours_per_week=draw(st.sampled_from([None, 8.0, 20.0, 48.0])),
        availability=tuple(Window(*span(48)) for _ in range(draw(st.integers(0, 2)))),
        unavailability=tuple(Window(*span()) for _ in range(draw(st.integers(0, 2)))),
    )
    shift = slot(*span(), required_skill=draw(st.sampled_from([None, "psychological first aid", "interpreter"])),
                 needs_enhanced_dbs=draw(st.booleans()))
    bookings = [Booked(f"B{n}", *span()) for n in range(draw(st.integers(0, 4)))]
    return person, shift, bookings


@settings(max_examples=300)
@given(scenarios())
def test_eligible_agrees_with_violations(scenario):
    person, shift, bookings = scenario
    found = violations(person, shift, bookings)
    assert eligible(person, shift, bookings) is (not found)
    assert all(v.rule in RULES and v.reason for v in found)


def test_eligible_agrees_with_violations_on_a_busy_fortnight():
    # The auto-filler's case: many bookings to look through, eligible() stopping at the first
    # broken rule. (How fast it is belongs to the benchmarks, not to a test.)
    person = staff(max_hours_per_week=48, availability=(Window(utc(1, 0), utc(20, 0)),))
    bookings = [booked(utc(day, 8)) for day in range(2, 12)]
    evenings = [slot(utc(day, 20), utc(day, 23)) for day in range(2, 12)]
    for shift in evenings:  # four hours after each day shift ends
        found = violations(person, shift, bookings)
        assert eligible(person, shift, bookings) is False and found[0].rule == "rest"
    free_day = slot(utc(13, 8), utc(13, 16))
    assert eligible(person, free_day, bookings) and not violations(person, free_day, bookings)
