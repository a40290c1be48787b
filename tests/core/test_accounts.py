"""Account administration: disable, enable, change a role, reset a password (chosen again at the
next sign-in); every request reads the account again, so a disabled account's open session ends on
its next click and a role change applies there too (a disabled caseworker's open tab once still
listed people and registered a new one)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.audit.model import AuditEvent
from core.auth.model import User
from core.auth.roles import Actor, Role
from core.auth.service import (
    REFUSED,
    NewUser,
    add_user,
    authenticate,
    change_own_password,
    fresh_actor,
    must_change_password,
    reset_password,
    set_active,
    set_role,
)
from core.db import unit_of_work
from core.errors import InputError
from core.ui import DISABLED_NOTICE
from tests.infrastructure import ROOT

ADMIN = Actor.system("test")


def _add(db, name="ann.lee", role="caseworker", agency=None) -> int:
    with unit_of_work(db.engine) as s:
        return add_user(s, ADMIN, NewUser(name, role, "correct horse", agency=agency)).id


def test_a_disabled_account_is_no_actor_and_cannot_sign_in_then_is_enabled_again(db, frozen_clock):
    user_id = _add(db)
    with unit_of_work(db.engine) as s:
        set_active(s, ADMIN, user_id, False)
        assert fresh_actor(s, user_id) is None
        assert authenticate(s, "ann.lee", "correct horse").refusal == REFUSED
    with pytest.raises(InputError, match="already disabled"), unit_of_work(db.engine) as s:
        set_active(s, ADMIN, user_id, False)
    with unit_of_work(db.engine) as s:
        set_active(s, ADMIN, user_id, True)
        assert fresh_actor(s, user_id).role == Role.CASEWORKER
        assert [e.action for e in s.query(AuditEvent).filter_by(entity="app_user", entity_id=str(user_id))
                .order_by(AuditEvent.id)][-2:] == ["disable", "enable"]


def test_an_administrator_cannot_lock_themself_out(db, frozen_clock, make_actor):
    admin = make_actor("admin")
    with pytest.raises(InputError, match="your own account"), unit_of_work(db.engine) as s:
        set_active(s, admin, admin.user_id, False)
    with pytest.raises(InputError, match="your own role"), unit_of_work(db.engine) as s:
        set_role(s, admin, admin.user_id, "caseworker")


def test_a_role_change_is_audited_and_a_coordinator_needs_an_agency(db, frozen_clock):
    from tests import factories

    factories.agency(db, "Victim Support")
    user_id = _add(db)
    with pytest.raises(InputError, match="needs an agency"), unit_of_work(db.engine) as s:
        set_role(s, ADMIN, user_id, "agency_coordinator")
    with pytest.raises(InputError, match="unknown role 'boss'"), unit_of_work(db.engine) as s:
        set_role(s, ADMIN, user_id, "boss")
    with unit_of_work(db.engine) as s:
        set_role(s, ADMIN, user_id, "agency_coordinator", "victim support")
        actor = fresh_actor(s, user_id)
        assert actor.role == Role.AGENCY_COORDINATOR and actor.agency_id is not None
        event = s.query(AuditEvent).filter_by(action="role_change").one()
        assert event.detail.startswith("role caseworker -> agency_coordinator; agency none -> ")


def test_a_reset_password_works_once_and_must_be_changed_before_anything_else(db, frozen_clock):
    user_id = _add(db)
    with unit_of_work(db.engine) as s:
        temporary = reset_password(s, ADMIN, user_id)
    with unit_of_work(db.engine) as s:
        assert authenticate(s, "ann.lee", "correct horse").refusal == REFUSED  # the old one is gone
        actor = authenticate(s, "ann.lee", temporary).actor
        assert must_change_password(s, actor)
    for current, new, refusal in ((temporary, "short", "at least 10"), ("wrong one here", "a-new-long-pass", "not right"),
                                  (temporary, temporary, "different")):
        with pytest.raises(InputError, match=refusal), unit_of_work(db.engine) as s:
            change_own_password(s, actor, current, new)
    with unit_of_work(db.engine) as s:
        change_own_password(s, actor, temporary, "a-new-long-pass")
        assert not must_change_password(s, actor)
        assert authenticate(s, "ann.lee", "a-new-long-pass").actor is not None


def test_a_disabled_caseworkers_open_tab_is_signed_out_on_its_next_click(db, frozen_clock, app_as, make_actor):
    caseworker = make_actor("caseworker")
    at = app_as("caseworker", "pathways/pages/people.py", actor=caseworker)
    assert not at.exception and at.session_state["actor"] is not None
    with unit_of_work(db.engine) as s:
        set_active(s, ADMIN, caseworker.user_id, False)
    at.run()  # the next click
    assert not at.exception
    assert [i.value for i in at.info] == [DISABLED_NOTICE]  # the sign-in page says why
    assert not [t for t in at.title if t.value == "People"]


def test_a_role_change_applies_at_the_next_click(db, frozen_clock, app_as, make_actor):
    hub = make_actor("hub_manager")
    at = app_as("hub_manager", actor=hub)
    with unit_of_work(db.engine) as s:
        set_role(s, ADMIN, hub.user_id, "auditor")
    at.run()
    assert at.session_state["actor"].role == Role.AUDITOR  # read again: no longer a hub manager


def _standup(*args, env):
    return subprocess.run([sys.executable, "-m", "standup.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=ROOT)


def test_the_users_commands_administer_accounts(db, frozen_clock, tmp_path):
    import os

    _add(db)
    env = {**os.environ, "DATABASE_URL": db.url, "STANDUP_DATA_DIR": str(tmp_path)}
    listed = _standup("users", "list", env=env)
    assert listed.returncode == 0 and "ann.lee" in listed.stdout and "active" in listed.stdout
    assert _standup("users", "disable", "Ann.Lee", env=env).stdout.strip() == "disabled ann.lee"
    assert "disabled" in _standup("users", "list", env=env).stdout
    assert _standup("users", "enable", "ann.lee", env=env).stdout.strip() == "enabled ann.lee"
    assert _standup("users", "set-role", "ann.lee", "gold", env=env).stdout.strip() == "ann.lee is now gold"
    reset = _standup("users", "reset-password", "ann.lee", env=env)
    assert reset.returncode == 0 and reset.stdout.startswith("temporary password for ann.lee: ")
    wrong = _standup("users", "disable", "nobody", env=env)
    assert wrong.returncode == 2 and "no user named 'nobody'" in wrong.stderr
    bad_role = _standup("users", "set-role", "ann.lee", "boss", env=env)
    assert bad_role.returncode == 2 and "allowed: gold" in bad_role.stderr
    with unit_of_work(db.engine) as s:
        user = s.query(User).filter_by(username="ann.lee").one()
        assert (user.role, user.active, user.must_change_password) == ("gold", True, True)


def test_after_a_reset_the_dashboard_asks_for_a_new_password_before_anything_else(db, frozen_clock, app_as,
                                                                                   make_actor):
    gold = make_actor("gold")
    with unit_of_work(db.engine) as s:
        temporary = reset_password(s, ADMIN, gold.user_id)
    at = app_as("gold", actor=gold)
    assert [t.value for t in at.title] == ["Choose a new password"] and not at.sidebar.button
    fields = at.text_input
    fields[0].input(temporary)
    fields[1].input("my-own-long-password")
    fields[2].input("my-own-long-password")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert "Choose a new password" not in [t.value for t in at.title]
    with unit_of_work(db.engine) as s:
        assert authenticate(s, gold.username, "my-own-long-password").actor is not None


def test_the_users_commands_take_the_commissioners_office_and_the_advocate(db, frozen_clock, monkeypatch, capsys):
    import io

    from standup.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    assert main(["users", "add", "pcc.office", "--role", "scrutiny"]) == 0
    assert capsys.readouterr().out.strip() == "added pcc.office (scrutiny)"
    assert main(["users", "set-role", "pcc.office", "advocate"]) == 0
    assert capsys.readouterr().out.strip() == "pcc.office is now advocate"
    with unit_of_work(db.engine) as s:
        user = s.query(User).filter_by(username="pcc.office").one()
        assert (user.role, fresh_actor(s, user.id).role) == ("advocate", Role.ADVOCATE)
