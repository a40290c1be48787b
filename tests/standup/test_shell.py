"""The dashboard shell through Streamlit's AppTest: sign-in, menus per role, idle timeout, banner."""

import ast
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import streamlit.testing.v1.local_script_runner as local_script_runner
from streamlit.testing.v1 import AppTest

from core.auth.roles import Actor, Role
from core.auth.service import REFUSED, NewUser, add_user
from core.db import unit_of_work
from incident.lifecycle_service import open_incident
from incident.team_service import assign_to_team
from standup.navigation import pages_for

ROOT = Path(__file__).parents[2]
APP = str(ROOT / "streamlit_app.py")


# What each role finds in the menu, in the menu's order. Written out, not derived from the
# permissions: the menu and the permissions are both checked against what people expect.
MENUS: dict[Role, list[str]] = {
    Role.GOLD: ["Home", "Situation", "Situation map", "Gold", "Declare and status", "M/ETHANE", "Command structure",
                "Hubs and sites", "Incident team", "Justice process", "Commissioner's delegation", "Victims' Code compliance",
                "Coverage board",
                "Agency contributions", "Agencies and staff", "Outreach settings"],
    Role.HUB_MANAGER: ["Home", "Situation", "Situation map", "M/ETHANE", "Command structure", "Hubs and sites",
                       "Coverage board", "Assign staff", "Auto-fill", "Shift requirements", "Agency contributions",
                       "Agencies and staff",
                       "Availability", "Import a roster", "Call-outs", "SMS outbox", "Outreach cohorts", "Invitations",
                       "Outreach responses", "Outreach settings"],
    Role.AGENCY_COORDINATOR: ["Home", "Situation map", "M/ETHANE", "Command structure", "Coverage board",
                              "Assign staff", "Agency contributions", "Agencies and staff", "Availability",
                              "Import a roster", "Staff requests"],
    Role.CASEWORKER: ["Home", "Situation map", "M/ETHANE", "Command structure", "My day", "People", "Person record",
                      "Clinician review", "Updates to people",
                      "Outreach cohorts", "Invitations", "Outreach responses", "Self-referrals"],
    Role.ADMIN: ["Home", "Users", "Agencies", "Audit trail", "Activation catalogue", "Pathway settings",
                 "Situation map", "M/ETHANE", "Command structure", "Incident team", "Commissioner's delegation",
                 "SMS outbox"],
    Role.AUDITOR: ["Home", "Audit trail", "Situation map", "M/ETHANE", "Command structure", "Governance",
                   "Victims' Code compliance"],
    # The commissioner's office reads governance and compliance alone.
    Role.SCRUTINY: ["Home", "Governance", "Victims' Code compliance"],
    Role.ADVOCATE: ["Home", "Situation map", "M/ETHANE", "Command structure", "Public Advocate"],
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_its_pages(app_as, role):
    at = app_as(role)
    assert not at.exception
    assert [page["page_name"] for page in at._registered_pages.values()] == MENUS[role]
    assert sorted(p.title for p in pages_for(role)) == sorted(MENUS[role])


def test_signed_out_visitors_see_only_the_sign_in_form(db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert not at.exception


def test_signing_in_through_the_form(db):
    with unit_of_work(db.engine) as s:
        add_user(s, Actor.system("test"), NewUser("gina", "gold", "long enough pw"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input[0].input("gina")
    at.text_input[1].input("not the password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [REFUSED]
    at.text_input[1].input("long enough pw")
    at.button[0].click().run()
    assert at.session_state["actor"].username == "gina"
    assert "Gold Command" in at.sidebar.markdown[0].value


def test_an_idle_session_is_signed_out(app_as, frozen_clock):
    at = app_as("caseworker")
    assert at.session_state["actor"] is not None
    frozen_clock.advance(timedelta(minutes=31))
    at.run()
    assert "actor" not in at.session_state
    assert any("30 minutes without activity" in i.value for i in at.info)


def _auto_refresh(at: AppTest) -> AppTest:
    """What the browser does every `run_every` seconds: rerun the page's fragments alone, as an
    automatic rerun (the shell does not run; the person did nothing)."""
    fragment_ids = list(at._fragment_storage._fragments)
    assert fragment_ids, "the page registered no fragment"
    real = local_script_runner.RerunData
    with mock.patch.object(local_script_runner, "RerunData",
                           lambda **kw: real(**kw, fragment_id_queue=fragment_ids, is_auto_rerun=True)):
        return at.run()


def test_an_auto_refresh_is_no_activity_and_ends_an_idle_session(db, app_as, frozen_clock):
    with unit_of_work(db.engine) as s:
        open_incident(s, Actor.system("test"), "Live incident", is_exercise=False)
    at = app_as("gold", "standup/pages/dashboard.py")
    signed_in_at = at.session_state["last_seen"]
    assert [m.label for m in at.metric][:1] == ["People registered"]

    frozen_clock.advance(timedelta(minutes=20))
    _auto_refresh(at)
    assert [m.label for m in at.metric][:1] == ["People registered"]  # the figures refreshed
    assert at.session_state["last_seen"] == signed_in_at  # but nobody did anything

    frozen_clock.advance(timedelta(minutes=11))  # 31 minutes without the person doing anything
    _auto_refresh(at)
    assert "actor" not in at.session_state
    assert not at.metric
    assert any("30 minutes without activity" in i.value for i in at.info)
    assert [t.label for t in at.text_input] == ["Username", "Password"]


def _fragments_refreshing_by_themselves(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and any(k.arg == "run_every" for k in node.keywords):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_auto_refreshing_fragment_checks_the_idle_timeout_first():
    """A fragment's own rerun skips the shell's idle check: pages refresh through core.ui.auto_refreshing,
    which checks it first, never through st.fragment(run_every=...) directly."""
    pages = sorted(ROOT.glob("*/pages/*.py"))
    assert len(pages) > 10
    assert [hit for page in pages for hit in _fragments_refreshing_by_themselves(page)] == []
    assert any("auto_refreshing(" in page.read_text() for page in pages)


def test_a_role_cannot_open_a_page_it_is_not_offered(app_as):
    at = app_as("caseworker")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("core/pages/audit.py")


def test_the_audit_page_opens_for_an_auditor(app_as):
    """Each filter and the export: tests/core/test_audit.py."""
    at = app_as("auditor", "core/pages/audit.py")
    assert not at.exception
    assert at.title[0].value == "Audit trail"
    # An empty trail says so in words, not as an empty grid.
    assert "No events match this filter." in [c.value for c in at.caption]


def _caseworker_on_a_new_incident(db, make_actor, name: str, *, is_exercise: bool) -> Actor:
    caseworker = make_actor("caseworker")
    with unit_of_work(db.engine) as s:
        incident = open_incident(s, Actor.system("test"), name, is_exercise=is_exercise)
        assign_to_team(s, Actor.system("test"), incident.id, caseworker.user_id)
    return caseworker


@pytest.mark.parametrize("page", [None, "standup/pages/dashboard.py", "incident/pages/methane.py"])
def test_exercise_incidents_carry_a_banner(db, app_as, page):
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, Actor.system("test"), "Exercise Alpha", is_exercise=True).id
    at = app_as("gold", page)
    assert not at.exception
    assert at.sidebar.selectbox[0].value == incident_id
    assert [w.value for w in at.warning if "EXERCISE" in w.value] == [
        "**EXERCISE** — this incident is an exercise. Nothing here is live."]


def test_live_incidents_carry_no_exercise_banner(db, app_as):
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, Actor.system("test"), "Live incident", is_exercise=False).id
    at = app_as("gold")
    assert at.sidebar.selectbox[0].value == incident_id  # the live incident is the one shown
    assert at.sidebar.selectbox[0].options == ["Live incident (standby)"]
    assert not [w for w in at.warning if "EXERCISE" in w.value]
