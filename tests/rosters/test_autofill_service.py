"""Auto-fill through the service: a proposal assigns nothing; accepting re-checks each
placement, and one that has since become impossible is reported with its reason."""

from __future__ import annotations

from datetime import date

import pytest

from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from rosters.assignment_service import assign
from rosters.autofill_service import ProposedPlacement, accept_fill, propose_fill, swap_options
from rosters.model import Assignment, StaffMember
from tests.factories import agency, at, incident_with_hub, requirement, staff


@pytest.fixture
def scene(db, frozen_clock, make_actor):
    incident_id, hub_id = incident_with_hub(db)
    return incident_id, hub_id, agency(db), make_actor("hub_manager")


def test_a_placement_that_became_impossible_is_reported_and_the_rest_go_in(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    first = requirement(db, incident_id, hub_id, at(24))
    second = requirement(db, incident_id, hub_id, at(48))
    amy = staff(db, agency_id, first_name="Amy")
    with unit_of_work(db.engine) as s:
        proposal = propose_fill(s, hub, incident_id, hub_id=hub_id, time_limit_s=5)
    assert sorted((p.requirement_id, p.staff_id) for p in proposal.placements) == [(first, amy), (second, amy)]
    assert proposal.status == "optimal"
    with unit_of_work(db.engine) as s:
        assert s.query(Assignment).count() == 0  # a proposal assigns nothing
    # Meanwhile Amy is put on a shift overlapping the first one.
    meanwhile = requirement(db, incident_id, hub_id, at(26))
    with unit_of_work(db.engine) as s:
        assign(s, hub, meanwhile, amy)
    with unit_of_work(db.engine) as s:
        outcome = accept_fill(s, hub, [(p.requirement_id, p.staff_id) for p in proposal.placements])
    assert outcome.assigned == ((second, amy),)
    [(requirement_id, staff_id, why)] = outcome.refused
    assert (requirement_id, staff_id) == (first, amy) and "already on a shift" in why
    with unit_of_work(db.engine) as s:
        assert sorted(a.requirement_id for a in s.query(Assignment)) == sorted([meanwhile, second])


def test_accepting_a_clashing_placement_reports_the_rule(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    first = requirement(db, incident_id, hub_id, at(24))
    clash = requirement(db, incident_id, hub_id, at(26))
    person = staff(db, agency_id)
    with unit_of_work(db.engine) as s:
        outcome = accept_fill(s, hub, [(first, person), (clash, person)])
    assert outcome.assigned == ((first, person),)
    [(requirement_id, staff_id, why)] = outcome.refused
    assert (requirement_id, staff_id) == (clash, person) and "already on a shift" in why
    with unit_of_work(db.engine) as s:
        assert [a.source for a in s.query(Assignment)] == ["autofill"]


def test_only_a_hub_manager_proposes_and_a_silly_time_limit_is_refused(db, scene, make_actor):
    incident_id, _hub_id, _agency_id, hub = scene
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied):
        propose_fill(s, make_actor("agency_coordinator"), incident_id)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="time limit"):
        propose_fill(s, hub, incident_id, time_limit_s=0)


def _placement(requirement_id: int, staff_id: int) -> ProposedPlacement:
    return ProposedPlacement(requirement_id, staff_id, "", "", "support worker", "Victoria Hub", at(0), at(1), 0.0)


def test_a_proposed_person_can_be_swapped_only_for_someone_every_rule_allows(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    shift = requirement(db, incident_id, hub_id, at(24), headcount=2, needs={("language", "Arabic"): 1})
    clashing = requirement(db, incident_id, hub_id, at(26))
    amira = staff(db, agency_id, first_name="Amira", languages=["Arabic"])
    ben = staff(db, agency_id, first_name="Ben")
    cat = staff(db, agency_id, first_name="Cat", languages=["Arabic"])  # proposed on the clashing shift
    staff(db, agency_id, first_name="Dan", languages=["Arabic"], dbs_expiry=date(2026, 1, 1))  # DBS lapsed
    staff(db, agency_id, first_name="Eve")  # no Arabic: the place being swapped is the Arabic one
    fay = staff(db, agency_id, first_name="Fay", languages=["Arabic"])
    proposal = [_placement(shift, amira), _placement(shift, ben), _placement(clashing, cat)]
    with unit_of_work(db.engine) as s:
        options = swap_options(s, hub, proposal, 0)
    assert [(o.requirement_id, o.staff_id) for o in options] == [(shift, fay)]
    assert options[0].staff_name.startswith("Fay") and options[0].agency_name == "Victim Support"
    # Swapping Ben (not the Arabic speaker) leaves Amira for the need: anyone free may take his place.
    with unit_of_work(db.engine) as s:
        names = sorted(o.staff_name.split()[0] for o in swap_options(s, hub, proposal, 1))
    assert names == ["Eve", "Fay"]
    with unit_of_work(db.engine) as s:
        outcome = accept_fill(s, hub, [(options[0].requirement_id, options[0].staff_id), (shift, ben)])
    assert sorted(outcome.assigned) == sorted([(shift, fay), (shift, ben)]) and not outcome.refused


def test_a_swapped_in_person_is_checked_again_when_the_proposal_is_accepted(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    shift = requirement(db, incident_id, hub_id, at(24))
    amy, bea = staff(db, agency_id, first_name="Amy"), staff(db, agency_id, first_name="Bea")
    with unit_of_work(db.engine) as s:
        [option] = swap_options(s, hub, [_placement(shift, amy)], 0)
    assert option.staff_id == bea
    with unit_of_work(db.engine) as s:  # Bea's DBS turns out to have lapsed before the manager accepts
        s.get(StaffMember, bea).dbs_expiry = date(2026, 1, 1)
    with unit_of_work(db.engine) as s:
        outcome = accept_fill(s, hub, [(option.requirement_id, option.staff_id)])
    [(_, _, why)] = outcome.refused
    assert not outcome.assigned and "DBS valid until" in why


def test_swapping_is_for_those_who_plan_shifts_and_only_within_the_proposal(db, scene, make_actor):
    incident_id, hub_id, agency_id, hub = scene
    shift = requirement(db, incident_id, hub_id, at(24))
    amy = staff(db, agency_id)
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied):
        swap_options(s, make_actor("agency_coordinator"), [_placement(shift, amy)], 0)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="not in the proposal"):
        swap_options(s, hub, [_placement(shift, amy)], 3)


def test_the_proposal_says_why_each_person_of_the_role_was_not_used(db, scene):
    """Seven people imported without a DBS level were passed over in silence; now each is listed
    with the rule that stopped them, and someone eligible but not needed is told apart."""
    incident_id, hub_id, agency_id, hub = scene
    requirement(db, incident_id, hub_id, at(24))
    used = staff(db, agency_id, first_name="Amy")
    spare = staff(db, agency_id, first_name="Bea")
    no_dbs = staff(db, agency_id, first_name="Cal", dbs_level=None, dbs_expiry=None)
    lapsed = staff(db, agency_id, first_name="Dee", dbs_expiry=date(2023, 3, 15))
    staff(db, agency_id, first_name="Eve", role="coordinator", dbs_level=None)  # another role: not asked about
    with unit_of_work(db.engine) as s:
        proposal = propose_fill(s, hub, incident_id, hub_id=hub_id, time_limit_s=5)
    placed = {p.staff_id for p in proposal.placements}
    assert len(placed) == 1 and placed <= {used, spare}
    why = {n.staff_id: n.why for n in proposal.not_used}
    assert set(why) == {used, spare} - placed | {no_dbs, lapsed}
    assert why[no_dbs] == "no DBS check recorded"
    assert why[lapsed] == "DBS valid until 15 Mar 2023; the shift runs to 24 Nov 2026"
    assert why[({used, spare} - placed).pop()].startswith("not needed: the open places went to others")
    assert {n.staff_id: n.what for n in proposal.not_used if n.staff_id in (no_dbs, lapsed)} == {
        no_dbs: "no DBS check recorded", lapsed: "DBS expired"}
    assert [n.staff_id for n in proposal.not_used][-1] not in (no_dbs, lapsed)  # those stopped by a rule first
