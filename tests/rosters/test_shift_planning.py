"""Shift patterns and requirements, availability and staff corrections, the coverage board's
numbers and the printable roster."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from rosters.assignment_service import RuleBroken, assign, withdraw
from rosters.coverage_queries import coverage_board, roster_csv, roster_pdf, shift_coverage
from rosters.model import ShiftRequirement, StaffMember
from rosters.patterns import evenly_spaced_starts, expand
from rosters.requirement_service import list_requirements, plan_shifts, plan_surge, remove_requirement
from rosters.staff_service import availability_of, list_staff, record_availability, update_staff
from tests.factories import agency, at, incident_with_hub, requirement, staff

SYSTEM = Actor.system("test")


# ---------------------------------------------------------------------------------------
# Patterns (pure)


def test_three_shifts_a_day_are_evenly_spaced():
    assert evenly_spaced_starts(time(7, 0), 3) == (time(7), time(15), time(23))
    assert evenly_spaced_starts(time(8, 30), 2) == (time(8, 30), time(20, 30))


def test_fourteen_days_of_three_eight_hour_shifts_is_42_shifts_back_to_back():
    shifts = expand(date(2026, 12, 1), 14, evenly_spaced_starts(time(7, 0), 3), 8)
    assert len(shifts) == 42
    assert all(a.ends_at == b.starts_at for a, b in zip(shifts, shifts[1:], strict=False))


def test_start_times_stay_on_the_london_clock_across_the_clock_change():
    # The clocks go back at 02:00 BST on Sunday 25 October 2026.
    shifts = expand(date(2026, 10, 24), 2, [time(7, 0)], 8, briefing_minutes=15)
    assert [s.starts_at for s in shifts] == [datetime(2026, 10, 24, 6, 0, tzinfo=UTC),
                                             datetime(2026, 10, 25, 7, 0, tzinfo=UTC)]
    assert shifts[0].briefing_at == datetime(2026, 10, 24, 5, 45, tzinfo=UTC)


@pytest.mark.parametrize(("days", "starts", "hours", "message"), [
    (0, [time(7)], 8, "1 to 90 days"),
    (1, [], 8, "at least one start time"),
    (1, [time(7), time(7)], 8, "same time"),
    (1, [time(7)], 0, "more than 0"),
    (1, [time(7)], 25, "at most 24"),
])
def test_impossible_patterns_say_what_is_wrong(days, starts, hours, message):
    with pytest.raises(ValueError, match=message):
        expand(date(2026, 12, 1), days, starts, hours)


# ---------------------------------------------------------------------------------------
# Requirements


@pytest.fixture
def scene(db, frozen_clock, make_actor):
    incident_id, hub_id = incident_with_hub(db)
    return incident_id, hub_id, agency(db), make_actor("hub_manager")


def _plan(db, actor, incident_id, hub_id, **changes):
    values = dict(role="Support  Worker", headcount=6, first_day=date(2026, 11, 24), days=14,
                  start_times=evenly_spaced_starts(time(7), 3), hours=8,
                  needs={("skill", "trauma informed"): 2, ("language", "arabic"): 1}, needs_enhanced_dbs=True,
                  briefing_minutes=15, debrief_minutes=15)
    values.update(changes)
    with unit_of_work(db.engine) as s:
        return [r.id for r in plan_shifts(s, actor, incident_id, hub_id, **values)]


def test_a_pattern_is_planned_in_one_action_with_its_needs_normalised(db, scene):
    incident_id, hub_id, _agency_id, hub = scene
    assert len(_plan(db, hub, incident_id, hub_id)) == 42
    with unit_of_work(db.engine) as s:
        planned = list_requirements(s, hub, incident_id)
        first = planned[0]
        assert (first.role, first.headcount, first.needs_enhanced_dbs) == ("support worker", 6, True)
        assert {(n.kind, n.name, n.count) for n in first.needs} == {("skill", "trauma-informed", 2),
                                                                     ("language", "Arabic", 1)}
        assert first.briefing_at == first.starts_at - timedelta(minutes=15)
        assert len({r.pattern for r in planned}) == 1


def test_planning_the_same_pattern_twice_adds_nothing(db, scene):
    incident_id, hub_id, _agency_id, hub = scene
    _plan(db, hub, incident_id, hub_id)
    with pytest.raises(InputError, match="already planned"):
        _plan(db, hub, incident_id, hub_id)
    with unit_of_work(db.engine) as s:
        assert s.query(ShiftRequirement).count() == 42


@pytest.mark.parametrize(("changes", "message"), [
    ({"needs": {("skill", "juggling"): 1}}, "Unknown skill 'juggling'"),
    ({"needs": {("skill", "bereavement"): 7}}, "from 1 to the headcount"),
    ({"headcount": 0}, "headcount must be"),
    ({"role": "  "}, "needs a role"),
    ({"days": 200}, "pattern is not possible"),
])
def test_bad_requirements_are_refused_and_nothing_is_planned(db, scene, changes, message):
    incident_id, hub_id, _agency_id, hub = scene
    with pytest.raises(InputError, match=message):
        _plan(db, hub, incident_id, hub_id, **changes)
    with unit_of_work(db.engine) as s:
        assert s.query(ShiftRequirement).count() == 0


def test_a_hub_of_another_incident_and_a_coordinator_are_refused(db, scene, make_actor):
    incident_id, _hub_id, _agency_id, hub = scene
    other_incident, other_hub = incident_with_hub(db)
    with pytest.raises(InputError, match="does not belong"):
        _plan(db, hub, incident_id, other_hub)
    with pytest.raises(PermissionDenied):
        _plan(db, make_actor("agency_coordinator"), other_incident, other_hub)


def test_a_surge_is_one_requirement_from_now_on_the_coverage_board_as_a_gap(db, scene, frozen_clock, make_actor):
    incident_id, hub_id, _agency_id, hub = scene
    with unit_of_work(db.engine) as s:
        shift = plan_surge(s, hub, incident_id, hub_id, role="Support Worker", headcount=3, hours=4.5)
        assert (shift.starts_at, shift.ends_at) == (frozen_clock(), frozen_clock() + timedelta(hours=4.5))
        assert shift.pattern.startswith("surge-") and shift.role == "support worker"
    with unit_of_work(db.engine) as s:
        [row] = coverage_board(s, hub, incident_id)
        assert (row.requirement_id, row.filled, row.needed, row.is_gap, row.soon) == (shift.id, 0, 3, True, True)
    coordinator = make_actor("agency_coordinator")
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        plan_surge(s, coordinator, incident_id, hub_id, role="support worker", headcount=1, hours=4)


def test_a_shift_someone_was_on_is_kept(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    kept = requirement(db, incident_id, hub_id, at(24))
    empty = requirement(db, incident_id, hub_id, at(48))
    with unit_of_work(db.engine) as s:
        assign(s, hub, kept, staff(db, agency_id))
    with unit_of_work(db.engine) as s:
        assert remove_requirement(s, hub, empty) == empty
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="kept for the record"):
        remove_requirement(s, hub, kept)


# ---------------------------------------------------------------------------------------
# Availability and staff


def test_availability_is_recorded_checked_and_then_binds_assignment(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    person = staff(db, agency_id)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="end after"):
        record_availability(s, hub, person, at(10), at(5), available=True)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="90 days"):
        record_availability(s, hub, person, at(0), at(24 * 91), available=True)
    with unit_of_work(db.engine) as s:
        record_availability(s, hub, person, at(0), at(20), available=True, note="mornings")
    with unit_of_work(db.engine) as s:
        assert [w.note for w in availability_of(s, hub, person)] == ["mornings"]
    with unit_of_work(db.engine) as s, pytest.raises(RuleBroken) as refused:
        assign(s, hub, requirement(db, incident_id, hub_id, at(24)), person)
    assert [v.rule for v in refused.value.violations] == ["availability"]
    with unit_of_work(db.engine) as s:  # next week nothing is recorded: open
        assign(s, hub, requirement(db, incident_id, hub_id, at(24 * 8)), person)


def test_coordinators_change_only_their_own_staff(db, scene, make_actor):
    _incident_id, _hub_id, agency_id, _hub = scene
    coordinator = make_actor("agency_coordinator", agency="Victim Support")
    mine = staff(db, agency_id)
    theirs = staff(db, agency(db, "British Red Cross"))
    with unit_of_work(db.engine) as s:
        assert [p.id for p in list_staff(s, coordinator)] == [mine]
        update_staff(s, coordinator, mine, active=False, mobile="07400 555666", max_hours_per_week=20)
    with unit_of_work(db.engine) as s:
        changed = s.get(StaffMember, mine)
        assert (changed.active, changed.mobile, changed.max_hours_per_week) == (False, "+447400555666", 20.0)
    for forbidden in (
        lambda s: update_staff(s, coordinator, theirs, active=False),
        lambda s: record_availability(s, coordinator, theirs, at(0), at(5), available=False),
        lambda s: availability_of(s, coordinator, theirs),
    ):
        with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied):
            forbidden(s)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="landline"):
        update_staff(s, coordinator, mine, mobile="0161 234 5678")


def test_a_coordinator_records_how_a_call_out_reaches_someone_and_a_choice_not_offered_is_refused(db, scene,
                                                                                                     make_actor):
    _incident_id, _hub_id, agency_id, _hub = scene
    coordinator = make_actor("agency_coordinator", agency="Victim Support")
    mine = staff(db, agency_id)
    with unit_of_work(db.engine) as s:
        assert s.get(StaffMember, mine).contact_by == "sms_then_call"  # the default
        update_staff(s, coordinator, mine, contact_by="sms_only")
    with unit_of_work(db.engine) as s:
        assert s.get(StaffMember, mine).contact_by == "sms_only"
        assert s.scalar(select(AuditEvent.detail).where(AuditEvent.entity == "staff", AuditEvent.action == "update")
                        .order_by(AuditEvent.id.desc()).limit(1)) == "changed contact_by"
    with unit_of_work(db.engine) as s, pytest.raises(InputError) as refused:
        update_staff(s, coordinator, mine, contact_by="email")
    assert str(refused.value) == ("How a call-out reaches them must be one of: SMS then call, SMS only (no calls), "
                                  "Call first.")
    with unit_of_work(db.engine) as s:
        assert s.get(StaffMember, mine).contact_by == "sms_only"


# ---------------------------------------------------------------------------------------
# Coverage and the printable roster


def test_coverage_counts_filled_of_needed_and_missing_skills(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(30), headcount=3, needs={("language", "Arabic"): 1})
    with unit_of_work(db.engine) as s:
        assign(s, hub, req, staff(db, agency_id))
    with unit_of_work(db.engine) as s:
        [row] = coverage_board(s, hub, incident_id)
    assert (row.filled, row.needed, row.unmet_needs, row.is_gap, row.soon) == (1, 3, ("1 × Arabic speaker",),
                                                                               True, False)


def test_coverage_counts_each_need_by_the_people_live_on_that_shift_who_hold_it(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    mixed = requirement(db, incident_id, hub_id, at(30), headcount=4,
                        needs={("skill", "trauma-informed"): 2, ("language", "Arabic"): 1})
    other = requirement(db, incident_id, hub_id, at(60), headcount=4, needs={("language", "Polish"): 1})
    skilled, polish = staff(db, agency_id, skills=["trauma-informed"]), staff(db, agency_id, languages=["Polish"])
    both, also_both = (staff(db, agency_id, skills=["trauma-informed"], languages=["Arabic"]) for _ in range(2))
    with unit_of_work(db.engine) as s:
        for requirement_id, person in ((mixed, skilled), (mixed, polish), (other, also_both)):
            assign(s, hub, requirement_id, person)
        gone = assign(s, hub, mixed, both).id
    with unit_of_work(db.engine) as s:
        withdraw(s, hub, gone, "unwell")
    with unit_of_work(db.engine) as s:
        rows = {r.requirement_id: r for r in shift_coverage(s, incident_id)}
    # Neither the withdrawn person nor the one on the other shift counts here, nor a language
    # another shift needs.
    assert (rows[mixed].filled, rows[mixed].unmet_needs, rows[mixed].places_short) == (
        2, ("1 × trauma-informed", "1 × Arabic speaker"), 2)
    assert (rows[other].filled, rows[other].unmet_needs, rows[other].places_short) == (1, ("1 × Polish speaker",), 3)


def test_the_printable_roster_lists_people_and_gaps_and_neutralises_formulas(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(30), headcount=2)
    with unit_of_work(db.engine) as s:
        assign(s, hub, req, staff(db, agency_id, first_name="=HYPERLINK(\"x\")", last_name="Evil"))
    with unit_of_work(db.engine) as s:
        text = roster_csv(s, hub, incident_id)
        pdf = roster_pdf(s, hub, incident_id)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["status"] for r in rows] == ["assigned", "gap"]
    assert rows[0]["name"].startswith("'=HYPERLINK") and rows[0]["mobile"].startswith("'+44")
    assert rows[1]["name"] == "OPEN: 1 place" and rows[0]["start"] == "15:00"
    assert pdf.startswith(b"%PDF")


def test_a_coordinators_printable_roster_names_only_their_own_people(db, scene, make_actor):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(30), headcount=2)
    ours, theirs = staff(db, agency_id, last_name="Ours"), staff(db, agency(db, "British Red Cross"), last_name="Theirs")
    with unit_of_work(db.engine) as s:
        assign(s, hub, req, ours)
        assign(s, hub, req, theirs)
    coordinator = make_actor("agency_coordinator", agency="Victim Support")
    with unit_of_work(db.engine) as s:
        text = roster_csv(s, coordinator, incident_id)
    assert "Ours" in text and "Theirs" not in text
