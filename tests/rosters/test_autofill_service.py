"""Auto-fill through the service: a proposal assigns nothing; accepting re-checks each
placement, and one that has since become impossible is reported with its reason."""

from __future__ import annotations

import pytest

from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from rosters.filling import accept_fill, propose_fill
from rosters.model import Assignment
from rosters.staffing import assign
from tests.rosters.roster_builders import agency, at, incident_with_hub, requirement, staff


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
