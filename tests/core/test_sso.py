"""Single sign-on: the role comes from the identity provider's claims, least privilege wins."""

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.audit.model import AuditEvent
from core.auth.model import User
from core.auth.roles import Role
from core.auth.service import sso_sign_in
from core.auth.sso import NARROWEST_FIRST, parse_role_map, role_from_claims
from core.db import unit_of_work
from core.errors import InputError
from core.settings import SettingsError, load_settings, reset_settings

MAP = parse_role_map("gmp-gold=gold, gmp-hub=hub_manager,gmp-audit=auditor,vs-coord=agency_coordinator,"
                     "pcc-office=scrutiny")
APP = str(Path(__file__).parents[2] / "streamlit_app.py")


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"groups": ["gmp-gold"]}, Role.GOLD),
        ({"groups": "gmp-hub"}, Role.HUB_MANAGER),
        ({"groups": ["gmp-gold", "gmp-audit"]}, Role.AUDITOR),  # the narrower role wins
        ({"groups": ["pcc-office"]}, Role.SCRUTINY),
        ({"groups": ["gmp-audit", "pcc-office"]}, Role.SCRUTINY),
        ({"groups": ["someone-else"]}, None),
        ({"groups": None}, None),
        ({}, None),
        ({"groups": [{"nested": "gmp-gold"}]}, None),
    ],
)
def test_role_from_claims(claims, expected):
    assert role_from_claims(claims, "groups", MAP) == expected


def test_every_role_has_a_place_in_the_least_privilege_order():
    """A role left out of the order would never be given, whatever the identity provider says."""
    assert sorted(NARROWEST_FIRST) == sorted(Role) and len(NARROWEST_FIRST) == len(Role)


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
    # The account and its sign-in are kept (a rerun inside the unit of work used to roll both back).
    assert [(e[1], e[3]) for e in _sso_events(db)] == [("create", "role=gold"), ("login", "sso")]


def _sso_events(db) -> list[tuple[str, str, str, str]]:
    with unit_of_work(db.engine) as s:
        return [(e.actor, e.action, e.entity_id, e.detail) for e in
                s.scalars(select(AuditEvent).where(AuditEvent.entity == "app_user").order_by(AuditEvent.id))]


def test_a_role_changed_at_the_identity_provider_is_audited_as_a_change(db, sso_env, make_actor):
    make_actor("agency_coordinator", agency="Victim Support")  # creates the agency
    claims = {"is_logged_in": True, "email": "r.moss@force.example", "groups": ["gmp-gold"]}
    with unit_of_work(db.engine) as s:
        user_id = sso_sign_in(s, claims).actor.user_id
    with unit_of_work(db.engine) as s:
        sso_sign_in(s, claims)  # same role: a sign-in, no change
    with unit_of_work(db.engine) as s:
        moved = sso_sign_in(s, {**claims, "groups": ["vs-coord"], "agency": "Victim Support"}).actor
    assert moved.role == Role.AGENCY_COORDINATOR
    agency_id = moved.agency_id
    uid = str(user_id)
    assert _sso_events(db)[-5:] == [
        ("system:sso", "create", uid, "role=gold"),
        ("r.moss@force.example", "login", uid, "sso"),
        ("r.moss@force.example", "login", uid, "sso"),
        ("system:sso", "role_change", uid, f"role gold -> agency_coordinator; agency none -> {agency_id} "
                                           "(from the identity provider)"),
        ("r.moss@force.example", "login", uid, "sso"),
    ]


def test_a_disabled_account_is_refused_and_the_refusal_audited(db, sso_env):
    claims = {"is_logged_in": True, "email": "d.ward@force.example", "groups": ["gmp-gold"]}
    with unit_of_work(db.engine) as s:
        user_id = sso_sign_in(s, claims).actor.user_id
    with unit_of_work(db.engine) as s:
        s.get(User, user_id).active = False  # an administrator disabled the account
    with unit_of_work(db.engine) as s:
        refused = sso_sign_in(s, {**claims, "groups": ["gmp-audit", "gmp-gold"]})
    assert refused.actor is None and "disabled" in refused.refusal
    assert _sso_events(db)[-1] == ("d.ward@force.example", "login_refused_disabled", str(user_id), "sso")
    with unit_of_work(db.engine) as s:
        assert s.get(User, user_id).role == "gold"  # a refused sign-in changes nothing
