"""rosters.assignment_service.eligible_for, which a call-out asks: the database leaves out whom a
rule surely stops, the hard rules judge the rest. Checked against candidates_for (every person
judged by the rules alone) on a roster where each person is stopped by one rule, or only just
not stopped: the two must name the same people, in the same order."""

from __future__ import annotations

from datetime import date

import pytest

from core.db import unit_of_work
from rosters.assignment_service import assign, candidates_for, eligible_for, withdraw
from rosters.model import ShiftRequirement, StaffMember
from rosters.role_training_service import require_role_training
from rosters.training import SAFEGUARDING
from rosters.training_service import record_training
from tests.factories import SYSTEM, agency, at, hub, incident_with_hub, requirement, staff, window

SHIFT = at(24)  # Tuesday 09:00 to 17:00, London (GMT)


def _on(db, requirement_id: int, staff_id: int, *, withdrawn: bool = False) -> None:
    with unit_of_work(db.engine) as s:
        placed = assign(s, SYSTEM, requirement_id, staff_id)
        if withdrawn:
            withdraw(s, SYSTEM, placed.id, "swapped")


@pytest.fixture
def roster(db, frozen_clock, make_actor):
    incident_id, hub_id = incident_with_hub(db)
    agency_id = agency(db)
    other_agency = agency(db, "British Red Cross")

    def person(name: str, **changes) -> int:
        return staff(db, changes.pop("agency", agency_id), first_name=name, **changes)

    def other_shift(hours_from_t0: float, **kw) -> int:
        return requirement(db, incident_id, hub_id, at(hours_from_t0), **kw)

    ids = {name: person(name) for name in ("Good", "Rest11", "Withdrawn", "Debrief", "Before", "After", "Weekly",
                                           "Partial")}
    ids |= {
        "Inactive": person("Inactive", active=False), "Coordinator": person("Coordinator", role="coordinator"),
        "NoDbs": person("NoDbs", dbs_level=None), "Expired": person("Expired", dbs_expiry=date(2026, 11, 23)),
        "Basic": person("Basic", dbs_level="basic"), "NoExpiry": person("NoExpiry", dbs_expiry=None),
        "Arabic": person("Arabic", languages=["Arabic"]), "Theirs": person("Theirs", agency=other_agency),
        "Away": person("Away"), "Trained": person("Trained"),
        "Short": person("Short", max_hours_per_week=6),  # a week shorter than the shift, nothing booked
    }
    _on(db, other_shift(24 - 18), ids["Before"])  # ends 10 h before the shift starts
    _on(db, other_shift(24 - 19), ids["Rest11"])  # ends 11 h before: exactly the rest needed
    _on(db, other_shift(24 - 19.5, hours=8.5, debrief_minutes=60), ids["Debrief"])  # its debrief leaves 10 h
    _on(db, other_shift(24 + 8 + 10), ids["After"])  # starts 10 h after it ends
    _on(db, other_shift(24 - 17), ids["Withdrawn"], withdrawn=True)
    _on(db, other_shift(24 + 48), ids["Weekly"])  # Thursday: 16 h that week
    with unit_of_work(db.engine) as s:
        s.get(StaffMember, ids["Weekly"]).max_hours_per_week = 12  # as the next roster file would set it
        record_training(s, SYSTEM, ids["Trained"], SAFEGUARDING, date(2026, 1, 5))
    window(db, ids["Away"], SHIFT.replace(hour=12), SHIFT.replace(hour=13), available=False)
    window(db, ids["Partial"], SHIFT, SHIFT.replace(hour=12))  # free only for the morning
    shifts = {  # at the same time at four hubs
        "plain": requirement(db, incident_id, hub_id, SHIFT, headcount=3),
        "enhanced": requirement(db, incident_id, hub(db, incident_id, "Arena"), SHIFT, needs_enhanced_dbs=True),
        "training": requirement(db, incident_id, hub(db, incident_id, "Library"), SHIFT, needs_training=SAFEGUARDING),
        "arabic": requirement(db, incident_id, hub(db, incident_id, "Station"), SHIFT,
                              needs={("language", "Arabic"): 1}),
    }
    _on(db, shifts["plain"], ids["Good"])  # on it already: not asked again
    return ids, shifts, make_actor("hub_manager"), make_actor("agency_coordinator", agency="British Red Cross")


ELIGIBLE = {  # by the rules, for each shift (the hub manager sees every agency); Good is on "plain" then
    "plain": {"Rest11", "Withdrawn", "Basic", "NoExpiry", "Arabic", "Theirs", "Trained"},
    "enhanced": {"Rest11", "Withdrawn", "NoExpiry", "Arabic", "Theirs", "Trained"},
    "training": {"Trained"},
    "arabic": {"Arabic"},
}


@pytest.mark.parametrize("shift", sorted(ELIGIBLE))
def test_eligible_for_names_exactly_whom_the_rules_accept(db, roster, shift):
    ids, shifts, manager, _ = roster
    names = {v: k for k, v in ids.items()}
    with unit_of_work(db.engine) as s:
        judged = [c.staff_id for c in candidates_for(s, manager, shifts[shift]) if c.eligible]
        found = eligible_for(s, manager, shifts[shift])
    assert [c.staff_id for c in found] == judged
    assert {names[c.staff_id] for c in found} == ELIGIBLE[shift]
    assert all(c.eligible and not c.violations for c in found)


def test_a_coordinator_is_given_only_their_own_agency(db, roster):
    ids, shifts, _, coordinator = roster
    with unit_of_work(db.engine) as s:
        assert [c.staff_id for c in eligible_for(s, coordinator, shifts["plain"])] == [ids["Theirs"]]


def test_every_hard_rule_is_settled_somewhere_or_everyone_is_judged():
    # A new rule in rosters.constraints must be placed by eligible_for; until it is, the rules judge
    # everyone (eligible_for._nothing_to_judge), so a forgotten rule costs speed, never a wrong answer.
    from rosters import assignment_service
    from rosters.constraints import RULES

    settled = assignment_service._SETTLED_IN_THE_DATABASE | assignment_service._SETTLED_BY_NOTHING_TO_JUDGE
    assert settled == set(RULES)
    assert not assignment_service._SETTLED_IN_THE_DATABASE & assignment_service._SETTLED_BY_NOTHING_TO_JUDGE


def test_a_course_the_shifts_role_needs_is_judged_too(db, roster):
    ids, shifts, manager, _ = roster
    names = {v: k for k, v in ids.items()}
    with unit_of_work(db.engine) as s:
        require_role_training(s, SYSTEM, s.get(ShiftRequirement, shifts["plain"]).role, SAFEGUARDING)
    with unit_of_work(db.engine) as s:
        judged = [c.staff_id for c in candidates_for(s, manager, shifts["plain"]) if c.eligible]
        found = eligible_for(s, manager, shifts["plain"])
    assert [c.staff_id for c in found] == judged
    assert {names[c.staff_id] for c in found} == {"Trained"}
