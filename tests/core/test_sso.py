"""Single sign-on: the role comes from the identity provider's claims, least privilege wins."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.auth.roles import Role
from core.auth.service import sso_sign_in
from core.auth.sso import parse_role_map, role_from_claims
from core.db import unit_of_work
from core.errors import InputError
from core.settings import SettingsError, load_settings, reset_settings

MAP = parse_role_map("gmp-gold=gold, gmp-hub=hub_manager,gmp-audit=auditor,vs-coord=agency_coordinator")
APP = str(Path(__file__).parents[2] / "streamlit_app.py")


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"groups": ["gmp-gold"]}, Role.GOLD),
        ({"groups": "gmp-hub"}, Role.HUB_MANAGER),
        ({"groups": ["gmp-gold", "gmp-audit"]}, Role.AUDITOR),  # the narrower role wins
        ({"groups": ["someone-else"]}, None),
        ({"groups": None}, None),
        ({}, None),
        ({"groups": [{"nested": "gmp-gold"}]}, None),
    ],
)
def test_role_from_claims(claims, expected):
    assert role_from_claims(claims, "groups", MAP) == expected


def test_a_wrong_role_map_stops_the_program_naming_the_variable():
    with pytest.raises(SettingsError, match="STANDUP_OIDC_ROLE_MAP entry 'x=boss': unknown role"):
        load_settings({"STANDUP_OIDC_ROLE_MAP": "x=boss"})
    with pytest.raises(InputError, match="must look like group=role"):
        parse_role_map("justgroup")


@pytest.fixture
def sso_env(monkeypatch):
    monkeypatch.setenv("STANDUP_OIDC_ROLE_MAP", "gmp-gold=gold,vs-coord=agency_coordinator")
    reset_settings()


def test_sso_creates_the_user_and_takes_the_role_each_time(db, sso_env, make_actor):
    claims = {"is_logged_in": True, "email": "G.Gold@force.example", "name": "G Gold", "groups": ["gmp-gold"]}
    with unit_of_work(db.engine) as s:
        first = sso_sign_in(s, claims).actor
    assert (first.username, first.role) == ("g.gold@force.example", Role.GOLD)
    with unit_of_work(db.engine) as s:
        refused = sso_sign_in(s, {**claims, "groups": []})
    assert refused.actor is None and "no Stand Up role" in refused.refusal


def test_sso_coordinators_need_a_known_agency(db, sso_env, make_actor):
    make_actor("agency_coordinator", agency="Victim Support")  # creates the agency
    base = {"is_logged_in": True, "email": "c@vs.example", "groups": ["vs-coord"]}
    with unit_of_work(db.engine) as s:
        assert sso_sign_in(s, {**base, "agency": "Nope"}).actor is None
    with unit_of_work(db.engine) as s:
        actor = sso_sign_in(s, {**base, "agency": "victim support"}).actor
    assert actor.role == Role.AGENCY_COORDINATOR and actor.agency_id is not None


def test_the_shell_signs_in_an_sso_identity(db, sso_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": "x@force.example", "groups": ["gmp-gold"]}
    at.run()
    assert at.session_state["actor"].role == Role.GOLD
    assert not at.exception
