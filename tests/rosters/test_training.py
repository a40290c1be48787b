"""Staff training (issue 16): dated records with expiry or a refresher interval, the roster's PFA
date among them; a shift may require a course current for its whole length, checked by the same
hard-rule engine as DBS; expiring training listed for coordinators, each their own agency's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from rosters.assignment_service import RuleBroken, assign, candidates_for
from rosters.autofill_service import propose_fill
from rosters.constraints import ShiftSlot, StaffFacts, violations
from rosters.import_service import import_roster
from rosters.model import Assignment, ShiftRequirement, StaffMember, StaffTraining
from rosters.requirement_service import plan_surge
from rosters.role_training_service import (
    courses_by_role,
    release_role_training,
    require_role_training,
    role_training,
)
from rosters.training import (
    TrainingRecord,
    checked_record,
    course_named,
    current_until,
    expiring,
)
from rosters.training_service import expiring_training, record_training, training_of
from tests.factories import agency, at, incident_with_hub, requirement, staff
from tests.stored_rows import assert_control_character_refused, every_row

TRAUMA = "trauma-informed practice"
SYSTEM = Actor.system("test")
TODAY = date(2026, 11, 23)  # the frozen clock's day


# --- The rules, without a database -------------------------------------------------------------

def test_a_course_is_named_as_kept_and_an_unknown_one_is_refused_naming_those_there_are():
    assert course_named("  Trauma  Informed practice ") == TRAUMA
    assert course_named("PFA") == "psychological first aid"
    assert course_named("SAFEGUARDING") == "safeguarding"
    with pytest.raises(InputError, match="no training course 'first aid at work': choose one of psychological "
                                         "first aid, trauma-informed practice, safeguarding"):
        course_named(" first aid at work")


def test_a_record_is_current_for_its_refresher_interval_unless_it_gives_its_own_expiry():
    assert TrainingRecord(TRAUMA, date(2023, 11, 30)).current_until == date(2026, 11, 30)
    assert TrainingRecord(TRAUMA, date(2024, 2, 29)).current_until == date(2027, 2, 28)  # no 29th: the month's last
    assert TrainingRecord(TRAUMA, date(2023, 8, 31)).current_until == date(2026, 8, 31)
    assert TrainingRecord(TRAUMA, date(2023, 11, 30), date(2025, 1, 1)).current_until == date(2025, 1, 1)


def test_a_record_that_cannot_be_right_is_refused_with_the_reason():
    assert checked_record(TrainingRecord("pfa", TODAY), TODAY) == TrainingRecord("psychological first aid", TODAY)
    with pytest.raises(InputError, match="Give the day the course was completed"):
        checked_record(TrainingRecord(TRAUMA, None), TODAY)
    with pytest.raises(InputError, match="completed on 24/11/2026: that is after today"):
        checked_record(TrainingRecord(TRAUMA, TODAY + timedelta(days=1)), TODAY)
    with pytest.raises(InputError, match=r"expires \(01/01/2026\) on or before the day it was completed \(01/01/2026\)"):
        checked_record(TrainingRecord(TRAUMA, date(2026, 1, 1), date(2026, 1, 1)), TODAY)


def test_the_latest_record_of_a_course_counts_and_expiring_lists_the_run_out_and_the_soon():
    records = [TrainingRecord(TRAUMA, date(2022, 1, 10)), TrainingRecord(TRAUMA, date(2023, 12, 1)),
               TrainingRecord("safeguarding", date(2020, 1, 1)), TrainingRecord("psychological first aid", TODAY)]
    assert current_until(records) == {TRAUMA: date(2026, 12, 1), "safeguarding": date(2023, 1, 1),
                                      "psychological first aid": date(2029, 11, 23)}
    assert expiring(records, TODAY) == {TRAUMA: date(2026, 12, 1), "safeguarding": date(2023, 1, 1)}
    assert expiring(records, TODAY, within_days=7) == {"safeguarding": date(2023, 1, 1)}


SHIFT = ShiftSlot("s", at(24), at(32), "support worker", required_training=TRAUMA)  # Tue 24 Nov, 09:00-17:00


def _facts(*training) -> StaffFacts:
    return StaffFacts("p", "support worker", dbs_level="enhanced", training=tuple(training))


def test_the_rule_needs_the_course_current_to_the_shifts_last_day():
    assert violations(_facts((TRAUMA, date(2026, 11, 24))), SHIFT) == ()
    (found,) = violations(_facts((TRAUMA, date(2026, 11, 23))), SHIFT)
    assert (found.rule, found.reason) == (
        "training", "trauma-informed practice training current until 23 Nov 2026; the shift runs to 24 Nov 2026")
    (found,) = violations(_facts(("safeguarding", date(2030, 1, 1))), SHIFT)
    assert (found.rule, found.reason) == ("training", "no trauma-informed practice training recorded; "
                                                      "this shift needs it")
    no_course = ShiftSlot("s", at(24), at(32), "support worker")
    assert violations(_facts(), no_course) == ()


# --- Through the services ----------------------------------------------------------------------

@pytest.fixture
def scene(db, frozen_clock, make_actor):
    incident_id, hub_id = incident_with_hub(db)
    return incident_id, hub_id, agency(db), make_actor("hub_manager")


def _record(db, actor, staff_id, course, done, expires=None) -> int:
    with unit_of_work(db.engine) as s:
        return record_training(s, actor, staff_id, course, done, expires).id


def test_a_shift_requiring_current_trauma_training_refuses_someone_whose_training_expired(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    shift = requirement(db, incident_id, hub_id, at(24), needs_training="trauma informed practice")
    person = staff(db, agency_id)
    _record(db, hub, person, TRAUMA, date(2023, 1, 10), date(2026, 11, 20))
    before = every_row(db.engine)
    with pytest.raises(RuleBroken, match="trauma-informed practice training current until 20 Nov 2026; the shift "
                                         "runs to 24 Nov 2026") as refused, unit_of_work(db.engine) as s:
        assign(s, hub, shift, person)
    assert [v.rule for v in refused.value.violations] == ["training"]
    assert every_row(db.engine) == before
    with unit_of_work(db.engine) as s:
        (candidate,) = candidates_for(s, hub, shift)
        assert not candidate.eligible and [v.rule for v in candidate.violations] == ["training"]
    _record(db, hub, person, TRAUMA, date(2026, 11, 21))  # the refresher
    with unit_of_work(db.engine) as s:
        assign(s, hub, shift, person)
        assert s.query(Assignment).filter_by(requirement_id=shift, staff_id=person).count() == 1


def test_no_record_is_refused_and_the_rosters_pfa_date_is_a_record(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    pfa_shift = requirement(db, incident_id, hub_id, at(24), needs_training="psychological first aid")
    never = staff(db, agency_id)
    old_roster_date = staff(db, agency_id, pfa_trained_on=date(2023, 11, 1))  # three years on: 1 Nov 2026
    recent_roster_date = staff(db, agency_id, pfa_trained_on=date(2025, 3, 3))
    with pytest.raises(RuleBroken, match="no psychological first aid training recorded"), \
            unit_of_work(db.engine) as s:
        assign(s, hub, pfa_shift, never)
    with pytest.raises(RuleBroken, match="current until 1 Nov 2026"), unit_of_work(db.engine) as s:
        assign(s, hub, pfa_shift, old_roster_date)
    with unit_of_work(db.engine) as s:
        assign(s, hub, pfa_shift, recent_roster_date)
        assert training_of(s, hub, recent_roster_date) == [
            TrainingRecord("psychological first aid", date(2025, 3, 3))]


def test_a_shift_or_surge_naming_an_unknown_course_is_refused_and_nothing_is_planned(db, scene):
    incident_id, hub_id, _, hub = scene
    with pytest.raises(InputError, match="no training course 'yoga'"):
        requirement(db, incident_id, hub_id, at(24), needs_training="yoga")
    with pytest.raises(InputError, match="no training course 'yoga'"), unit_of_work(db.engine) as s:
        plan_surge(s, hub, incident_id, hub_id, role="support worker", headcount=2, hours=4, needs_training="yoga")
    with unit_of_work(db.engine) as s:
        assert s.query(ShiftRequirement).count() == 0
        surge = plan_surge(s, hub, incident_id, hub_id, role="support worker", headcount=2, hours=4,
                           needs_training="Safeguarding")
        assert surge.needs_training == "safeguarding"


def test_recording_training_is_audited_refuses_a_double_and_a_record_that_cannot_be_right(db, scene):
    _, _, agency_id, hub = scene
    person = staff(db, agency_id)
    first = _record(db, hub, person, " Trauma informed ", date(2024, 5, 1))
    with pytest.raises(InputError, match=r"trauma-informed practice of 01/05/2024 is already recorded"):
        _record(db, hub, person, TRAUMA, date(2024, 5, 1))
    with pytest.raises(InputError, match="after today"):
        _record(db, hub, person, TRAUMA, date(2026, 12, 1))
    with pytest.raises(InputError, match="There is no staff member 999"):
        _record(db, hub, 999, TRAUMA, date(2024, 5, 1))
    with unit_of_work(db.engine) as s:
        assert [(t.id, t.course, t.recorded_by) for t in s.query(StaffTraining)] == [(first, TRAUMA, hub.username)]
        (event,) = s.query(AuditEvent).filter_by(entity="staff_training").all()
        assert (event.action, event.entity_id, event.detail) == ("create", str(first),
                                                                 f"staff {person} {TRAUMA} 2024-05-01")


def test_coordinators_record_and_see_only_their_own_agencys_training(db, scene, make_actor):
    _, _, agency_id, hub = scene
    other_agency = agency(db, "British Red Cross")
    ours, theirs = staff(db, agency_id), staff(db, other_agency)
    coordinator = make_actor("agency_coordinator")  # of Victim Support, the scene's agency
    _record(db, coordinator, ours, TRAUMA, date(2023, 12, 10))  # runs out 10 Dec 2026
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        record_training(s, coordinator, theirs, TRAUMA, date(2023, 12, 10))
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        training_of(s, coordinator, theirs)
    _record(db, hub, theirs, "safeguarding", date(2020, 6, 1))  # ran out 1 Jun 2023
    with unit_of_work(db.engine) as s:
        assert [(e.staff_id, e.course, e.current_until) for e in expiring_training(s, coordinator)] == [
            (ours, TRAUMA, date(2026, 12, 10))]
        everyone = expiring_training(s, hub)
        assert [(e.staff_id, e.course, e.current_until, e.expired) for e in everyone] == [
            (theirs, "safeguarding", date(2023, 6, 1), True), (ours, TRAUMA, date(2026, 12, 10), False)]
        assert expiring_training(s, hub, within_days=7) == everyone[:1]


def test_expiring_training_leaves_out_current_training_and_inactive_staff(db, scene):
    _, _, agency_id, hub = scene
    current = staff(db, agency_id)
    gone = staff(db, agency_id, active=False)
    _record(db, hub, current, TRAUMA, date(2025, 1, 1))
    _record(db, hub, gone, TRAUMA, date(2020, 1, 1))
    with unit_of_work(db.engine) as s:
        assert expiring_training(s, hub) == []


# --- A role that needs a course ------------------------------------------------------------------

def test_the_rule_needs_the_courses_of_the_shifts_role_as_well_as_its_own():
    role_shift = ShiftSlot("s", at(24), at(32), "support worker", role_training=(TRAUMA,))
    assert violations(_facts((TRAUMA, date(2026, 11, 24))), role_shift) == ()
    (found,) = violations(_facts((TRAUMA, date(2026, 11, 23))), role_shift)
    assert (found.rule, found.reason) == (
        "training", "trauma-informed practice training current until 23 Nov 2026; the shift runs to 24 Nov 2026 "
                    "(the role support worker needs it)")
    both = ShiftSlot("s", at(24), at(32), "support worker", required_training="safeguarding",
                     role_training=(TRAUMA, "safeguarding"))
    assert [v.reason for v in violations(_facts(), both)] == [
        "no safeguarding training recorded; this shift needs it",
        "no trauma-informed practice training recorded; the role support worker needs it"]


def _require_role(db, actor, role, course):
    with unit_of_work(db.engine) as s:
        return require_role_training(s, actor, role, course)


def test_a_role_requiring_current_trauma_training_refuses_someone_whose_training_expired(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    shift = requirement(db, incident_id, hub_id, at(24))  # names no course of its own
    other_role = requirement(db, incident_id, hub_id, at(24), role="family liaison")
    expired, current = staff(db, agency_id), staff(db, agency_id)
    liaison = staff(db, agency_id, role="family liaison")
    _record(db, hub, expired, TRAUMA, date(2023, 1, 10), date(2026, 11, 20))
    _record(db, hub, current, TRAUMA, date(2025, 1, 10))
    _require_role(db, hub, " Support  Worker", "trauma informed")
    before = every_row(db.engine)
    with pytest.raises(RuleBroken, match=r"current until 20 Nov 2026; the shift runs to 24 Nov 2026 \(the role "
                                         "support worker needs it\\)") as refused, unit_of_work(db.engine) as s:
        assign(s, hub, shift, expired)
    assert [v.rule for v in refused.value.violations] == ["training"]
    assert every_row(db.engine) == before
    with unit_of_work(db.engine) as s:
        by_id = {c.staff_id: c for c in candidates_for(s, hub, shift)}
        assert [v.rule for v in by_id[expired].violations] == ["training"] and by_id[current].eligible
        # Auto-fill (and a call-out, which assigns through `assign`) passes them over the same way.
        proposal = propose_fill(s, hub, incident_id, hub_id=hub_id, time_limit_s=5)
        placed = {(p.requirement_id, p.staff_id) for p in proposal.placements}
        assert (shift, expired) not in placed and (shift, current) in placed
        assign(s, hub, other_role, liaison)  # another role needs nothing it does not hold
    with unit_of_work(db.engine) as s:
        assert release_role_training(s, hub, "support worker", TRAUMA).course == TRAUMA
    with unit_of_work(db.engine) as s:
        assign(s, hub, shift, expired)
        assert s.query(Assignment).filter_by(requirement_id=shift, staff_id=expired).count() == 1


def test_setting_a_roles_training_is_for_planners_audited_and_refuses_a_double_or_an_unknown_course(
        db, scene, make_actor):
    _, _, _, hub = scene
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        require_role_training(s, make_actor("agency_coordinator"), "support worker", TRAUMA)
    _require_role(db, hub, "support worker", "PFA")
    with pytest.raises(InputError, match="already needs psychological first aid"):
        _require_role(db, hub, "Support worker", "psychological first aid")
    with pytest.raises(InputError, match="no training course 'yoga'"):
        _require_role(db, hub, "support worker", "yoga")
    with pytest.raises(InputError, match="Name the role"):
        _require_role(db, hub, "  ", TRAUMA)
    with pytest.raises(InputError, match="does not need safeguarding"), unit_of_work(db.engine) as s:
        release_role_training(s, hub, "support worker", "safeguarding")
    with unit_of_work(db.engine) as s:
        assert [(r.role, r.course, r.set_by) for r in role_training(s, hub)] == [
            ("support worker", "psychological first aid", hub.username)]
        assert courses_by_role(s) == {"support worker": ("psychological first aid",)}
        (event,) = s.query(AuditEvent).filter_by(entity="role_training").all()
        assert (event.action, event.entity_id, event.detail) == (
            "create", "support worker", "role support worker needs psychological first aid (0 shifts of the role planned)")
    assert_control_character_refused(db.engine, lambda s: require_role_training(s, hub, "support\x00worker", TRAUMA),
                                     "role")


# --- Training from a roster file ------------------------------------------------------------------

TRAINED_ROSTER = (
    "Staff ID,First name,Surname,Mobile,Role,Skills,DBS,PFA,Trauma informed trained on,"
    "Trauma_Informed_Expires_On,Safeguarding Date\n"
    "VS1,Amira,Khan,07400 123456,Support Worker,,Enhanced,2025-03-01,10/01/2025,2026-11-20,2024-06-01\n"
    "VS2,Ben,Ode,07400 123457,Support Worker,bereavement,Enhanced,,2025-02-02,,\n"
    "VS3,Cal,Roe,07400 123458,Support Worker,,Enhanced,,,2027-01-01,\n"
    "VS4,Dee,Poe,07400 123459,Support Worker,,Enhanced,,2025-02-02,2025-02-01,\n"
    "VS5,Eve,Lee,07400 123460,Support Worker,,Enhanced,,,,yes\n"
    "VS6,Fin,Roy,07400 123461,Support Worker,,Enhanced,,soon,,\n"
)


def _import_roster(db, agency_id, text):
    with unit_of_work(db.engine) as s:
        return import_roster(s, SYSTEM, agency_id, text.encode(), "roster.csv")


def test_a_roster_brings_each_courses_training_as_records_the_rules_then_check(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    report = _import_roster(db, agency_id, TRAINED_ROSTER)
    assert report.summary == "imported 3, updated 0, rejected 3"
    reasons = {r.line: "; ".join(r.reasons) for r in report.rejected}
    assert reasons[4] == ("trauma-informed practice expires on is given without the day it was completed "
                          "(trauma_informed_trained_on)")
    assert reasons[5] == "trauma-informed practice expires on 01/02/2025, on or before the day it was completed"
    assert reasons[7].startswith("trauma-informed practice trained on: ") and len(report.rejected[2].reasons) == 1
    with unit_of_work(db.engine) as s:
        people = {p.staff_ref: p for p in s.query(StaffMember)}
        amira, ben = people["VS1"], people["VS2"]
        assert people["VS5"].skills == ["safeguarding"] and training_of(s, hub, people["VS5"].id) == []  # "yes"
        assert training_of(s, hub, amira.id) == [
            TrainingRecord("psychological first aid", date(2025, 3, 1)),
            TrainingRecord(TRAUMA, date(2025, 1, 10), date(2026, 11, 20)),
            TrainingRecord("safeguarding", date(2024, 6, 1))]
        assert {t.recorded_by for t in s.query(StaffTraining)} == {SYSTEM.username}
        assert amira.skills == ["psychological first aid", "trauma-informed", "safeguarding"]
        assert ben.skills == ["bereavement", "trauma-informed"]
        amira_id, ben_id = amira.id, ben.id
    # The same file again adds nothing; a refresher in a later file adds a record and says so.
    assert _import_roster(db, agency_id, TRAINED_ROSTER).summary == "imported 0, updated 0, rejected 3"
    refreshed = _import_roster(db, agency_id, TRAINED_ROSTER.replace("10/01/2025,2026-11-20", "20/11/2026,"))
    assert [(c.staff_ref, c.fields) for c in refreshed.changes if c.action == "update"] == [
        ("VS1", ("trauma-informed practice training",))]
    with unit_of_work(db.engine) as s:
        assert s.query(StaffTraining).filter_by(staff_id=amira_id, course=TRAUMA).count() == 2
    shift = requirement(db, incident_id, hub_id, at(24), headcount=2, needs_training=TRAUMA)
    with unit_of_work(db.engine) as s:
        assign(s, hub, shift, amira_id)  # the refresher the second file brought
        assign(s, hub, shift, ben_id)
