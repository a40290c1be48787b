"""The rosters pages through Streamlit's AppTest: each main page as a hub manager, a
coordinator's narrower view, and refusal for a caseworker."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.auth.roles import PermissionDenied
from core.clock import show
from core.db import unit_of_work
from rosters.assignment_service import assign
from rosters.model import Assignment, ShiftRequirement, StaffMember
from tests.factories import MESSY_ROSTER_CSV, agency, at, incident_with_hub, requirement, staff
from tests.infrastructure import ROOT
from tests.page_text import as_read

COVERAGE = "rosters/pages/coverage.py"
ASSIGN = "rosters/pages/assignment.py"
AUTOFILL = "rosters/pages/autofill.py"
REQUIREMENTS = "rosters/pages/requirements.py"
STAFF = "rosters/pages/staff.py"
IMPORT = "rosters/pages/import_roster.py"
AVAILABILITY = "rosters/pages/availability.py"


@pytest.fixture
def scene(db, frozen_clock, make_actor):
    incident_id, hub_id = incident_with_hub(db)
    agency_id = agency(db)
    return incident_id, hub_id, agency_id, make_actor("hub_manager")


def _assignments(db) -> list[tuple[int, int]]:
    with unit_of_work(db.engine) as s:
        return [(a.requirement_id, a.staff_id) for a in s.query(Assignment).filter(Assignment.withdrawn_at.is_(None))]


def test_the_coverage_board_puts_the_next_24_hours_first_and_marks_gaps(app_as, db, scene):
    incident_id, hub_id, agency_id, hub = scene
    later = requirement(db, incident_id, hub_id, at(50))
    soon = requirement(db, incident_id, hub_id, at(3), headcount=2)
    with unit_of_work(db.engine) as s:
        assign(s, hub, later, staff(db, agency_id))
    page = app_as("hub_manager", COVERAGE, actor=hub, incident_id=incident_id)
    assert not page.exception
    metrics = {m.label: m.value for m in page.metric}
    assert (metrics["Shifts to come"], metrics["With gaps"], metrics["Gaps in the next 24 h"]) == ("2", "1", "1")
    board = page.dataframe[0].value
    assert list(board["when"]) == ["next 24 h", "later"] and list(board["filled"]) == ["0/2", "1/1"]
    assert list(board["gap"]) == [True, False]
    with unit_of_work(db.engine) as s:  # the shift 3 hours away is the first row, the one 50 hours away the last
        starts = [show(s.get(ShiftRequirement, r).starts_at) for r in (soon, later)]
    assert list(board["starts"]) == starts
    assert list(board["still needed"]) == ["2 more support workers", "—"]  # a 0/2 shift says what it needs
    assert board["on shift"][0] == "—" and board["on shift"][1].startswith("Alex Tester")  # who is on it, by name
    [pdf] = [b for b in page.button if b.label == "Prepare PDF"]
    pdf.click().run()
    assert page.session_state["roster_pdf"].startswith(b"%PDF")
    [call_out] = [b for b in page.button if b.label == "Call out"]  # the gap, straight to the call-out page
    call_out.click().run()
    assert not page.exception and page.title[0].value == "Call-outs"
    assert page.selectbox(key="callout_gap").value.requirement_id == soon


def test_the_assign_page_lists_who_cannot_and_why_and_assigns_an_eligible_person(app_as, db, scene):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(24), needs_enhanced_dbs=True)
    good = staff(db, agency_id, first_name="Amy")
    staff(db, agency_id, first_name="Zed", dbs_level="standard")
    staff(db, agency_id, first_name="Fay", role="family liaison")
    page = app_as("hub_manager", ASSIGN, actor=hub, incident_id=incident_id)
    assert not page.exception
    table = page.dataframe[0].value
    assert list(table["can take a place"]) == ["yes", "no"]  # people in other roles are hidden at first
    assert "this shift needs enhanced" in table["why not"][1]
    page.toggle[1].set_value(False).run()
    assert "role is family liaison; this shift needs support worker" in list(page.dataframe[0].value["why not"])
    [button] = [b for b in page.button if b.label == "Assign"]
    button.click().run()
    assert not page.exception
    assert _assignments(db) == [(req, good)]


def test_the_auto_fill_page_proposes_and_accepts(app_as, db, scene):
    incident_id, hub_id, agency_id, hub = scene
    reqs = [requirement(db, incident_id, hub_id, at(24 * day)) for day in (1, 2)]
    people = [staff(db, agency_id), staff(db, agency_id)]
    page = app_as("hub_manager", AUTOFILL, actor=hub, incident_id=incident_id)
    page.selectbox[0].set_value("everything planned").run()
    [propose] = [b for b in page.button if b.label == "Propose"]
    propose.click().run()
    assert not page.exception
    proposal = page.session_state["autofill_proposal"]
    assert len(proposal.placements) == 2 and not _assignments(db)  # nothing assigned before acceptance
    [accept] = [b for b in page.button if b.label.startswith("Accept")]
    accept.click().run()
    assert not page.exception
    assert sorted(r for r, _ in _assignments(db)) == reqs
    assert {s for _, s in _assignments(db)} <= set(people)
    assert any("2 people assigned" in s.value for s in page.success)
    # Redrawn without the proposal: nothing left to accept a second time.
    assert not [b for b in page.button if b.label.startswith("Accept")]
    assert page.session_state["autofill_proposal"] is None


def test_the_auto_fill_page_swaps_a_proposed_person_and_accepts_the_swap(app_as, db, scene):
    incident_id, hub_id, agency_id, hub = scene
    shift = requirement(db, incident_id, hub_id, at(24))
    people = {staff(db, agency_id, first_name="Ann"), staff(db, agency_id, first_name="Bob")}
    page = app_as("hub_manager", AUTOFILL, actor=hub, incident_id=incident_id)
    page.selectbox[0].set_value("everything planned").run()
    [propose] = [b for b in page.button if b.label == "Propose"]
    propose.click().run()
    [proposed] = [p.staff_id for p in page.session_state["autofill_proposal"].placements]
    [other] = people - {proposed}
    [swap_toggle] = [t for t in page.toggle if t.label.startswith("Swap")]
    swap_toggle.set_value(True).run()
    [instead] = [s for s in page.selectbox if s.label == "Instead"]
    assert len(instead.options) == 1  # the only other person who could take the place
    [swap] = [b for b in page.button if b.label == "Swap"]
    swap.click().run()
    assert not page.exception
    assert [p.staff_id for p in page.session_state["autofill_proposal"].placements] == [other]
    [accept] = [b for b in page.button if b.label.startswith("Accept")]
    accept.click().run()
    assert _assignments(db) == [(shift, other)]


def test_the_requirements_page_plans_a_repeating_pattern_in_one_action(app_as, db, scene):
    incident_id, hub_id, _agency_id, hub = scene
    page = app_as("hub_manager", REQUIREMENTS, actor=hub, incident_id=incident_id)
    assert not page.exception
    page.number_input[2].set_value(2)  # for how many days
    page.button(key="FormSubmitter:plan_shifts-Plan these shifts").click().run()
    assert not page.exception
    assert any("Planned 6 shifts" in s.value for s in page.success)
    with unit_of_work(db.engine) as s:
        assert s.query(ShiftRequirement).count() == 6


def test_staff_and_import_pages_show_a_coordinator_only_their_agency(app_as, db, scene, make_actor):
    _incident_id, _hub_id, agency_id, _hub = scene
    other = agency(db, "British Red Cross")
    staff(db, agency_id, last_name="Ours", mobile="+447400123456")
    staff(db, other, last_name="Theirs")
    coordinator = make_actor("agency_coordinator", agency="Victim Support")
    page = app_as("agency_coordinator", STAFF, actor=coordinator)
    assert not page.exception
    assert page.selectbox[0].options == ["Victim Support"]
    table = page.dataframe[0].value
    assert list(table["name"]) == ["Alex Ours"] and list(table["mobile"]) == ["+44 7*** ***456"]
    page = app_as("agency_coordinator", IMPORT, actor=coordinator)
    assert not page.exception and page.selectbox[0].options == ["Victim Support"]
    page = app_as("agency_coordinator", AVAILABILITY, actor=coordinator)
    assert not page.exception
    [only] = page.selectbox[1].options
    assert only.startswith("Alex Ours (S")


def test_the_staff_page_lists_how_a_call_out_reaches_each_person_and_changes_it(app_as, db, scene):
    _incident_id, _hub_id, agency_id, hub = scene
    person = staff(db, agency_id, last_name="Able")
    staff(db, agency_id, last_name="Baker", contact_by="sms_only")
    page = app_as("hub_manager", STAFF, actor=hub)
    assert not page.exception
    assert list(page.dataframe[0].value["contact by"]) == ["SMS then call", "SMS only (no calls)"]
    [reach] = page.radio
    assert (reach.label, reach.value, reach.options) == (
        "How a call-out reaches them", "sms_then_call", ["SMS then call", "SMS only (no calls)", "Call first"])
    reach.set_value("call_first")
    [save] = [b for b in page.button if b.label == "Save"]
    save.click().run()
    assert not page.exception and [m.value for m in page.success] == ["Saved Alex Able."]
    with unit_of_work(db.engine) as s:
        assert s.get(StaffMember, person).contact_by == "call_first"


def test_a_caseworker_is_offered_no_rosters_page_and_a_page_run_alone_refuses(app_as, db, scene, make_actor):
    incident_id, hub_id, _agency_id, _hub = scene
    caseworker = make_actor("caseworker")
    page = app_as("caseworker", actor=caseworker, incident_id=incident_id)
    for path in (COVERAGE, ASSIGN, AUTOFILL, REQUIREMENTS, STAFF, IMPORT, AVAILABILITY):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            page.switch_page(path)
    alone = AppTest.from_file(str(ROOT / COVERAGE), default_timeout=60)
    alone.session_state["actor"] = caseworker
    alone.session_state["incident_id"] = incident_id
    alone.run()
    assert [as_read(e.value) for e in alone.error] == ["Caseworker may not do this (staff.view)."]
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        assign(s, caseworker, requirement(db, incident_id, hub_id, at(24)), 1)


def test_the_import_page_previews_then_imports_and_lists_rejected_rows(app_as, db, scene):
    _incident_id, _hub_id, _agency_id, hub = scene
    page = app_as("hub_manager", IMPORT, actor=hub)
    page.file_uploader[0].set_value(("roster.csv", MESSY_ROSTER_CSV.encode("utf-8"), "text/csv")).run()
    [preview] = [b for b in page.button if b.label == "Preview"]
    preview.click().run()
    assert not page.exception
    assert "would be imported 2, updated 0, rejected 3" in page.subheader[0].value
    assert any("knitting" in w.value for w in page.warning)
    with unit_of_work(db.engine) as s:
        assert s.query(StaffMember).count() == 0  # a preview writes nothing
    [go] = [b for b in page.button if b.label == "Import 2 rows"]
    go.click().run()
    assert any("imported 2, updated 0, rejected 3" in s.value for s in page.success)
    with unit_of_work(db.engine) as s:
        assert s.query(StaffMember).count() == 2
