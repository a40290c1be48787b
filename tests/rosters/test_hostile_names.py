"""Staff and hub names carrying HTML, script, Markdown and spreadsheet formulas: the coverage
and assignment pages show them as typed and never as Markdown, the printable roster prints
them as text, and its CSV neutralises the formulas."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest
from sqlalchemy import select

from core.db import unit_of_work
from incident.model import Hub
from rosters.assignment_service import assign
from rosters.coverage_queries import roster_csv, roster_pdf
from tests.factories import agency, at, incident_with_hub, requirement, staff
from tests.hostile_names import FIRST, HUB_NAME, LAST, assert_inert


@pytest.fixture
def hostile(db, frozen_clock, make_actor):
    incident_id, hub_id = incident_with_hub(db, HUB_NAME)
    hub = make_actor("hub_manager")
    shift = requirement(db, incident_id, hub_id, at(3), headcount=2)
    person = staff(db, agency(db, "+Agency <b>x</b>"), first_name=FIRST, last_name=LAST)
    with unit_of_work(db.engine) as s:
        assign(s, hub, shift, person)
    staff(db, agency(db), first_name="-2+3", last_name="@SUM(A1)")  # another name, still free to assign
    return incident_id, hub, shift


def test_the_coverage_board_shows_hostile_names_as_data(app_as, hostile):
    incident_id, hub, _shift = hostile
    page = app_as("hub_manager", "rosters/pages/coverage.py", actor=hub, incident_id=incident_id)
    assert_inert(page, HUB_NAME)
    assert list(page.dataframe[0].value["hub"]) == [HUB_NAME]


def test_the_assign_page_shows_hostile_names_as_data(app_as, db, hostile):
    incident_id, hub, _shift = hostile
    page = app_as("hub_manager", "rosters/pages/assignment.py", actor=hub, incident_id=incident_id)
    assert_inert(page, FIRST, LAST, HUB_NAME, "@SUM(A1)")
    [person] = [s for s in page.selectbox if s.label == "Person"]
    assert person.options == ["-2+3 @SUM(A1) (support worker)"]
    [assign_button] = [b for b in page.button if b.label == "Assign"]
    assign_button.click().run()
    assert page.success and not page.error
    assert_inert(page, FIRST, LAST, HUB_NAME, "-2+3 @SUM(A1)")


def test_the_printable_roster_csv_neutralises_formulas_and_keeps_the_text(db, hostile):
    incident_id, hub, _shift = hostile
    with unit_of_work(db.engine) as s:
        rows = list(csv.DictReader(io.StringIO(roster_csv(s, hub, incident_id))))
    assigned = next(r for r in rows if r["status"] == "assigned")
    assert assigned["hub"] == "'" + HUB_NAME and assigned["agency"] == "'+Agency <b>x</b>"
    assert assigned["name"] == f"{FIRST} {LAST}"  # not a formula: kept exactly
    assert all(not cell.lstrip(" ").startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_the_printable_roster_pdf_prints_hostile_names_as_text(db, hostile, tmp_path):
    incident_id, hub, _shift = hostile
    with unit_of_work(db.engine) as s:
        pdf = roster_pdf(s, hub, incident_id)
    assert b"/URI" not in pdf and b"/JavaScript" not in pdf  # nothing in it became a link or a script
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be read back")
    path = tmp_path / "roster.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    for name in (FIRST, LAST, HUB_NAME):
        assert "".join(name.split()) in flat  # printed literally (cells wrap, so spaces are not compared)


def test_hub_names_are_never_markdown_on_the_shift_requirements_page(app_as, db, hostile):
    incident_id, hub, _shift = hostile
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Hub.name)) == HUB_NAME
    page = app_as("hub_manager", "rosters/pages/requirements.py", actor=hub, incident_id=incident_id)
    assert_inert(page, HUB_NAME)
