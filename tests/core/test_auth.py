from datetime import timedelta

import pytest

from core.audit.model import AuditEvent
from core.auth import service as auth_service
from core.auth.lockout import session_idle_expired
from core.auth.model import User
from core.auth.roles import Actor, PermissionDenied, Role
from core.auth.service import REFUSED, NewUser, add_user, authenticate
from core.db import unit_of_work
from core.errors import InputError

ADMIN = Actor.system("test")


def _add(db, name="ann.lee", role="caseworker", password="correct horse", agency=None):
    with unit_of_work(db.engine) as s:
        return add_user(s, ADMIN, NewUser(name, role, password, agency=agency)).id


def _login(db, name, password):
    with unit_of_work(db.engine) as s:
        return authenticate(s, name, password)


def _refusal(db, name, password) -> str:
    result = _login(db, name, password)
    assert result.actor is None
    return result.refusal


def test_a_user_signs_in_with_the_right_password(db, frozen_clock):
    user_id = _add(db)
    actor = _login(db, "Ann.Lee ", "correct horse").actor
    assert actor.user_id == user_id and actor.role == Role.CASEWORKER


@pytest.mark.parametrize(("name", "password"), [("ann.lee", "wrong horse!"), ("nobody", "correct horse")])
def test_a_wrong_name_or_password_gets_the_same_message(db, frozen_clock, name, password):
    _add(db)
    assert _refusal(db, name, password) == REFUSED


def test_five_failures_lock_the_account_for_fifteen_minutes(db, frozen_clock):
    _add(db)
    for _ in range(5):
        assert _refusal(db, "ann.lee", "nope-nope-nope") == REFUSED
    # Even the right password is refused while locked, in the same words as an unknown name.
    frozen_clock.advance(timedelta(minutes=14, seconds=59))
    assert _refusal(db, "ann.lee", "correct horse") == REFUSED
    with unit_of_work(db.engine) as s:  # the trail says what the page does not
        assert [(e.action, e.detail) for e in s.query(AuditEvent).filter(AuditEvent.action.like("login%"))
                .order_by(AuditEvent.id)][-2:] == [("login_failed", "now locked"), ("login_refused_locked", "")]
    frozen_clock.advance(timedelta(seconds=2))
    assert _login(db, "ann.lee", "correct horse").actor.username == "ann.lee"


def test_locked_disabled_unknown_and_wrong_cost_one_password_check_each_and_read_the_same(db, frozen_clock,
                                                                                           monkeypatch):
    """A locked account used to answer at once ("locked until…") while an unknown name took a
    password hash's time: a stranger could tell which names exist. Now each does the same work."""
    _add(db)
    _add(db, "bob.ray")
    with unit_of_work(db.engine) as s:
        s.query(User).filter_by(username="bob.ray").one().active = False
    for _ in range(5):
        _refusal(db, "ann.lee", "nope-nope-nope")
    checks = []
    real = auth_service.password_matches
    monkeypatch.setattr(auth_service, "password_matches", lambda h, p: checks.append(h) or real(h, p))
    for name, password in (("ann.lee", "correct horse"), ("bob.ray", "correct horse"), ("nobody", "x"),
                           ("ann.lee", "wrong")):
        checks.clear()
        assert _refusal(db, name, password) == REFUSED
        assert len(checks) == 1, name


def test_logins_and_failures_are_audited(db, frozen_clock):
    _add(db)
    _refusal(db, "ann.lee", "nope-nope-nope")
    _login(db, "ann.lee", "correct horse")
    with unit_of_work(db.engine) as s:
        actions = [e.action for e in s.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions == ["create", "login_failed", "login"]


def test_a_username_holding_nul_is_an_unknown_one_and_its_attempt_is_audited(db, frozen_clock):
    user_id = _add(db)
    # PostgreSQL cannot even compare text holding NUL: no account has such a name, so none is looked up.
    assert _refusal(db, "ann.lee\x00", "correct horse") == REFUSED
    with unit_of_work(db.engine) as s:
        failed = s.query(AuditEvent).filter_by(action="login_failed").one()
        assert (failed.actor, failed.entity_id, failed.detail) == ("?", "", "username no account can have")
        assert s.get(User, user_id).failed_logins == 0  # like any unknown name: no account counts it


def test_idle_sessions_end_after_thirty_minutes(frozen_clock):
    seen = frozen_clock()
    assert not session_idle_expired(seen, seen + timedelta(minutes=30), 30)
    assert session_idle_expired(seen, seen + timedelta(minutes=30, seconds=1), 30)
    assert not session_idle_expired(None, seen, 30)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (NewUser("x", "boss", "long enough pw"), "unknown role 'boss'; allowed: gold, hub_manager"),
        (NewUser("x", "agency_coordinator", "long enough pw"), "needs --agency"),
        (NewUser("x", "agency_coordinator", "long enough pw", agency="Nope"), "unknown agency 'Nope'"),
        (NewUser("x", "gold", "short"), "at least 10 characters"),
        (NewUser("bad name!", "gold", "long enough pw"), "a username is"),
    ],
)
def test_bad_user_requests_are_refused_and_save_nothing(db, new, message):
    with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
        add_user(s, ADMIN, new)
    with unit_of_work(db.engine) as s:
        assert s.query(AuditEvent).count() == 0


def test_a_duplicate_username_is_refused(db):
    _add(db)
    with pytest.raises(InputError, match="already exists"):
        _add(db)


def test_only_administrators_add_users(db, make_actor):
    gold = make_actor("gold")
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        add_user(s, gold, NewUser("x.y", "gold", "long enough pw"))
