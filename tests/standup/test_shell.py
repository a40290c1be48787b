"""The dashboard shell through Streamlit's AppTest: sign-in, menus per role, idle timeout, banner."""

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.auth.roles import ROLE_PERMISSIONS, Actor, Permission, Role
from core.auth.service import NewUser, add_user
from core.db import unit_of_work
from incident.service import open_incident
from standup.navigation import PAGES, pages_for

APP = str(Path(__file__).parents[2] / "streamlit_app.py")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_offered_exactly_the_pages_its_permissions_allow(role):
    offered = {p.path for p in pages_for(role)}
    expected = {p.path for p in PAGES if p.permission is None or p.permission in ROLE_PERMISSIONS[role]}
    assert offered == expected
    assert ("core/pages/audit.py" in offered) == (role in (Role.ADMIN, Role.AUDITOR))
    assert ("core/pages/users.py" in offered) == (role == Role.ADMIN)


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
    assert [e.value for e in at.error] == ["Username or password not recognised."]
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


def test_a_role_cannot_open_a_page_it_is_not_offered(app_as):
    at = app_as("caseworker")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("core/pages/audit.py")


def test_the_audit_page_filters_for_an_auditor(app_as):
    at = app_as("auditor", "core/pages/audit.py")
    assert not at.exception
    assert at.title[0].value == "Audit trail"
    assert at.dataframe  # the table is drawn


def test_exercise_incidents_carry_a_banner(db, app_as):
    with unit_of_work(db.engine) as s:
        open_incident(s, Actor.system("test"), "Exercise Alpha", is_exercise=True)
    at = app_as("caseworker")
    assert any("EXERCISE" in w.value for w in at.warning)


def test_live_incidents_carry_no_exercise_banner(db, app_as):
    with unit_of_work(db.engine) as s:
        open_incident(s, Actor.system("test"), "Live incident", is_exercise=False)
    at = app_as("caseworker")
    assert not [w for w in at.warning if "EXERCISE" in w.value]
    assert Permission.INCIDENT_VIEW in ROLE_PERMISSIONS[Role.CASEWORKER]
