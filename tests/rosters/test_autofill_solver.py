"""rosters.autofill: property-based, every proposal keeps every hard rule when re-checked one
placement at a time with constraints.violations and places.place_violations; and the order
of objectives (coverage, then fairness, then travel)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rosters import autofill
from rosters.autofill import OpenRequirement, Person, propose
from rosters.constraints import Booked, ShiftSlot, StaffFacts, Window, violations
from rosters.places import binding_facts, holdings, place_violations
from rosters.travel import travel_km

T0 = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)  # a Monday; the clocks change on the 29th
ROLES = ("support worker", "family liaison")
SKILLS = ("trauma-informed", "bereavement")
LANGUAGES = ("Arabic", "Polish")


def hours(h: float) -> datetime:
    return T0 + timedelta(hours=h)


@st.composite
def people_strategy(draw) -> list[Person]:
    people = []
    for index in range(draw(st.integers(1, 12))):
        skills = draw(st.frozensets(st.sampled_from(SKILLS)))
        languages = draw(st.frozensets(st.sampled_from(LANGUAGES)))
        availability = ()
        if draw(st.booleans()):
            start = draw(st.integers(0, 150))
            availability = (Window(hours(start), hours(start + draw(st.integers(6, 120)))),)
        unavailability = ()
        if draw(st.integers(0, 3)) == 0:
            start = draw(st.integers(0, 150))
            unavailability = (Window(hours(start), hours(start + draw(st.integers(1, 30)))),)
        booked = ()
        if draw(st.booleans()):
            start = draw(st.integers(-20, 150))
            booked = (Booked(f"old{index}", hours(start), hours(start + draw(st.integers(4, 12)))),)
        facts = StaffFacts(
            staff_id=index, role=draw(st.sampled_from(ROLES)), skills=skills, languages=languages,
            dbs_level=draw(st.sampled_from([None, "standard", "enhanced", "enhanced"])),
            dbs_expiry=draw(st.sampled_from([None, date(2026, 3, 25), date(2027, 1, 1)])),
            active=draw(st.integers(0, 9)) > 0,
            max_hours_per_week=draw(st.sampled_from([None, 8, 16, 20, 37.5])),
            availability=availability, unavailability=unavailability,
        )
        people.append(Person(facts, booked, holdings(skills, languages),
                             draw(st.sampled_from(["M1 1AA", "OL1 1AA", "LS1 1AA", ""]))))
    return people


@st.composite
def requirements_strategy(draw) -> list[OpenRequirement]:
    found = []
    for index in range(draw(st.integers(1, 10))):
        start = draw(st.integers(0, 160))
        slot = ShiftSlot(f"r{index}", hours(start), hours(start + draw(st.integers(4, 12))),
                         draw(st.sampled_from(ROLES)), needs_enhanced_dbs=draw(st.booleans()))
        places = draw(st.integers(1, 3))
        lacking = {}
        if draw(st.booleans()):
            lacking[("skill", draw(st.sampled_from(SKILLS)))] = draw(st.integers(1, places))
        if draw(st.booleans()):
            lacking[("language", draw(st.sampled_from(LANGUAGES)))] = draw(st.integers(1, places))
        found.append(OpenRequirement(slot, places, lacking, "M4 3AE"))
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requirements=requirements_strategy(), people=people_strategy(), rest_hours=st.sampled_from([8, 11, 12]))
def test_every_proposed_placement_keeps_every_hard_rule(requirements, people, rest_hours):
    rest = timedelta(hours=rest_hours)
    result = propose(requirements, people, travel=travel_km, min_rest=rest, time_limit_s=2, workers=1)
    by_id = {r.slot.shift_id: r for r in requirements}
    person_by_id = {p.facts.staff_id: p for p in people}
    booked = {p.facts.staff_id: list(p.booked) for p in people}
    on = defaultdict(list)
    for placement in result.placements:
        req, person = by_id[placement.requirement_id], person_by_id[placement.staff_id]
        facts = binding_facts(person.facts, req.slot)
        assert violations(facts, req.slot, booked[placement.staff_id], min_rest=rest) == ()
        # The open places and what they still lack behave as a requirement of their own.
        assert place_violations(req.open_places, req.lacking, on[req.slot.shift_id], person.holdings) == ()
        on[req.slot.shift_id].append(person.holdings)
        booked[placement.staff_id].append(Booked(req.slot.shift_id, req.slot.start, req.slot.end))
    assert len(result.placements) <= result.open_places


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requirements=requirements_strategy(), people=people_strategy())
def test_shortlisting_candidates_never_admits_a_broken_rule(requirements, people):
    # Shortlists of one person a place, so the cut-down model is what gets solved.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(autofill, "SHORTLIST_PER_PLACE", 1)
        patch.setattr(autofill, "SHORTLIST_SPARE", 0)
        result = propose(requirements, people, travel=travel_km, time_limit_s=2, workers=1)
    by_id = {r.slot.shift_id: r for r in requirements}
    person_by_id = {p.facts.staff_id: p for p in people}
    booked = {p.facts.staff_id: list(p.booked) for p in people}
    for placement in result.placements:
        req, person = by_id[placement.requirement_id], person_by_id[placement.staff_id]
        assert violations(binding_facts(person.facts, req.slot), req.slot, booked[placement.staff_id]) == ()
        booked[placement.staff_id].append(Booked(req.slot.shift_id, req.slot.start, req.slot.end))
    per_requirement = defaultdict(int)
    for placement in result.placements:
        per_requirement[placement.requirement_id] += 1
    assert all(n <= by_id[rid].open_places for rid, n in per_requirement.items())


def _person(staff_id, postcode="M1 1AA", **facts) -> Person:
    values = {"role": "support worker", "dbs_level": "enhanced", "skills": frozenset(), "languages": frozenset()}
    values.update(facts)
    f = StaffFacts(staff_id=staff_id, **values)
    return Person(f, (), holdings(f.skills, f.languages), postcode)


def _requirement(rid, start_h, places=1, lacking=None, length=8) -> OpenRequirement:
    return OpenRequirement(ShiftSlot(rid, hours(start_h), hours(start_h + length), "support worker"), places,
                           lacking or {}, "M4 3AE")


def test_coverage_comes_before_travel():
    # Two shifts 10 h apart: nobody may work both (11 h rest). The near person can cover only
    # one, so the far person must take the other even though it is a long way.
    requirements = [_requirement("a", 0), _requirement("b", 18)]
    people = [_person("near", "M4 1AA"), _person("far", "AB10 1AA")]
    result = propose(requirements, people, travel=travel_km, time_limit_s=5)
    assert len(result.placements) == 2 and result.status == "optimal"


def test_fairness_spreads_hours_before_travel():
    # Three separate days: one near person could do all three, but hours are spread first.
    requirements = [_requirement(f"d{i}", 24 * i) for i in range(3)]
    people = [_person("near", "M4 1AA"), _person("mid", "OL1 1AA"), _person("far", "LS1 1AA")]
    result = propose(requirements, people, travel=travel_km, time_limit_s=5)
    assert sorted(p.staff_id for p in result.placements) == ["far", "mid", "near"]


def test_travel_decides_between_equally_fair_proposals():
    result = propose([_requirement("a", 0)], [_person("far", "LS1 1AA"), _person("near", "M4 1AA")],
                     travel=travel_km, time_limit_s=5)
    assert [(p.staff_id, p.travel_km) for p in result.placements] == [("near", 0.0)]


def test_the_last_place_goes_to_the_person_with_the_missing_skill():
    requirements = [_requirement("a", 0, places=2, lacking={("skill", "bereavement"): 1})]
    people = [_person("p1", "M4 1AA"), _person("p2", "M4 1AA"), _person("b", "LS1 1AA", skills=frozenset({"bereavement"}))]
    result = propose(requirements, people, travel=travel_km, time_limit_s=5)
    chosen = {p.staff_id for p in result.placements}
    assert len(chosen) == 2 and "b" in chosen


def test_nothing_to_fill_and_nobody_eligible_are_said_plainly():
    assert propose([], [_person("p")]).status == "nothing to fill"
    assert propose([_requirement("a", 0)], [_person("p", dbs_level=None)]).status == "no eligible people"
