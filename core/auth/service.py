"""Signing in and managing users."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.lockout import MAX_FAILURES, is_locked, locked_until_after_failure
from core.auth.model import User
from core.auth.passwords import dummy_hash, hash_password, password_matches, password_problem
from core.auth.roles import ROLE_TITLES, Actor, Permission, Role, require
from core.auth.sso import parse_role_map, role_from_claims
from core.clock import now
from core.errors import InputError
from core.settings import get_settings
from core.typed_text import one_line

WRONG_CREDENTIALS = "Username or password not recognised."
# One answer for every refusal (see authenticate).
REFUSED = (f"{WRONG_CREDENTIALS} After {MAX_FAILURES} wrong passwords an account is locked for 15 minutes: "
           "try again then, or ask an administrator to unlock it.")


@dataclass(frozen=True)
class LoginResult:
    """The signed-in actor, or the refusal to show (which never says which part was wrong).

    A result, not an exception: the failed attempt and its audit row must commit too.
    """

    actor: Actor | None = None
    refusal: str = ""


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id, username=user.username, role=Role(user.role), agency_id=user.agency_id,
        display_name=user.display_name or user.username,
    )


def _account_name(typed: str) -> str | None:
    """The username as accounts hold it; None when no account can have it: add_user refuses a name over
    80 characters or with a control character (and PostgreSQL cannot even compare one holding NUL)."""
    try:
        return one_line(typed, "Username", 80).lower()
    except InputError:
        return None


def authenticate(session: Session, username: str, password: str) -> LoginResult:
    """Check a password. Five failures in a row lock the account for 15 minutes.

    Every refusal reads the same and costs the same (one password hash), whether the name is
    unknown, the account locked or disabled, or the password wrong: the sign-in page must not tell
    a stranger which usernames exist. The audit trail records which it was."""
    name = _account_name(username)
    user = None if name is None else session.scalar(select(User).where(User.username == name))
    matches = password_matches(user.password_hash if user is not None and user.password_hash else dummy_hash(),
                               password)
    if user is None or not user.active or user.password_hash is None:
        # An unknown name is recorded as typed; one no account can have, only as unreadable.
        record(session, Actor.anonymous(username.strip() if name is not None else "?"), "login_failed", "app_user",
               detail="" if name is not None else "username no account can have")
        return LoginResult(refusal=REFUSED)
    at = now()
    if is_locked(user.locked_until, at):
        record(session, actor_for(user), "login_refused_locked", "app_user", user.id)
        return LoginResult(refusal=REFUSED)
    if not matches:
        user.failed_logins, user.locked_until = locked_until_after_failure(user.failed_logins, at)
        record(session, actor_for(user), "login_failed", "app_user", user.id,
               detail="now locked" if user.locked_until is not None else "")
        return LoginResult(refusal=REFUSED)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, at
    actor = actor_for(user)
    record(session, actor, "login", "app_user", user.id)
    return LoginResult(actor=actor)


def sso_sign_in(session: Session, claims: Mapping[str, object]) -> LoginResult:
    """Sign in an identity the force's provider vouched for; its role comes from the claims, every time."""
    settings = get_settings()
    email = str(claims.get("email") or claims.get("preferred_username") or claims.get("sub") or "").strip().lower()
    role = role_from_claims(claims, settings.oidc_role_claim, parse_role_map(settings.oidc_role_map))
    if not email or role is None:
        record(session, Actor.anonymous(email or "sso:?"), "login_failed", "app_user", detail="sso: no mapped role")
        return LoginResult(refusal="Your account has no Stand Up role. Ask your administrator to add you to a Stand Up group.")
    agency_id = None
    if role == Role.AGENCY_COORDINATOR:
        agency_name = str(claims.get(settings.oidc_agency_claim) or "")
        agency = session.scalar(select(Agency).where(func.lower(Agency.name) == agency_name.strip().lower()))
        if agency is None:
            record(session, Actor.anonymous(email), "login_failed", "app_user", detail="sso: unknown agency")
            return LoginResult(refusal="Your account names no agency Stand Up knows. Ask your administrator.")
        agency_id = agency.id
    user = session.scalar(select(User).where(User.username == email[:80]))
    if user is None:
        user = User(username=email[:80], display_name=str(claims.get("name") or email)[:120], role=role.value,
                    agency_id=agency_id, password_hash=None)
        session.add(user)
        session.flush()
        record(session, Actor.system("sso"), "create", "app_user", user.id, detail=f"role={role.value}")
    elif not user.active:
        record(session, actor_for(user), "login_refused_disabled", "app_user", user.id, detail="sso")
        return LoginResult(refusal="This account has been disabled. Ask your administrator.")
    elif (user.role, user.agency_id) != (role.value, agency_id):
        record(session, Actor.system("sso"), "role_change", "app_user", user.id,
               detail=_role_change(user.role, user.agency_id, role.value, agency_id))
    user.role, user.agency_id, user.last_login_at = role.value, agency_id, now()
    actor = actor_for(user)
    record(session, actor, "login", "app_user", user.id, detail="sso")
    return LoginResult(actor=actor)


def _role_change(old_role: str, old_agency: int | None, new_role: str, new_agency: int | None) -> str:
    changes = []
    if old_role != new_role:
        changes.append(f"role {old_role} -> {new_role}")
    if old_agency != new_agency:
        changes.append(f"agency {old_agency or 'none'} -> {new_agency or 'none'}")
    return "; ".join(changes) + " (from the identity provider)"


@dataclass(frozen=True)
class NewUser:
    username: str
    role: str
    password: str | None
    display_name: str = ""
    agency: str | None = None


def add_user(session: Session, actor: Actor, new: NewUser) -> User:
    require(actor, Permission.USERS_MANAGE)
    role = _known_role(new.role)
    username = new.username.strip().lower()
    if not username or len(username) > 80 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise InputError("a username is 1 to 80 letters, digits, '.', '-' or '_'")
    display_name = one_line(new.display_name, "Full name", 120)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InputError(f"a user named {username!r} already exists")
    agency_id = _agency_id(session, new.agency)
    if role == Role.AGENCY_COORDINATOR and agency_id is None:
        raise InputError("an agency coordinator needs --agency")
    if new.password is not None and (problem := password_problem(new.password)):
        raise InputError(problem)
    user = User(
        username=username, display_name=display_name or username, role=role.value,
        agency_id=agency_id, password_hash=hash_password(new.password) if new.password is not None else None,
    )
    session.add(user)
    session.flush()
    record(session, actor, "create", "app_user", user.id, detail=f"role={role.value}")
    return user


def _known_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InputError(f"unknown role {role!r}; allowed: {', '.join(r.value for r in Role)}") from None


def _agency_id(session: Session, name: str | None) -> int | None:
    agency_name = one_line(name or "", "Agency", 120)
    if not agency_name:
        return None
    agency = session.scalar(select(Agency).where(func.lower(Agency.name) == agency_name.lower()))
    if agency is None:
        known = session.scalars(select(Agency.name).order_by(Agency.name)).all()
        raise InputError(f"unknown agency {agency_name!r}; allowed: {', '.join(known) or '(none yet: add agencies first)'}")
    return agency.id


def list_users(session: Session, actor: Actor) -> list[User]:
    require(actor, Permission.USERS_MANAGE)
    return list(session.scalars(select(User).order_by(User.username)))


def unlock_user(session: Session, actor: Actor, user_id: int) -> User:
    require(actor, Permission.USERS_MANAGE)
    user = session.get(User, user_id)
    if user is None:
        raise InputError("no such user")
    user.failed_logins, user.locked_until = 0, None
    record(session, actor, "unlock", "app_user", user_id)
    return user


def fresh_actor(session: Session, user_id: int | None) -> Actor | None:
    """The account as it is now, read on every request: a disabled account (None), a changed role or
    agency take effect on the person's next click, not their next sign-in."""
    user = session.get(User, user_id) if user_id is not None else None
    return actor_for(user) if user is not None and user.active else None


def must_change_password(session: Session, actor: Actor) -> bool:
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    return bool(user and user.must_change_password)


def user_named(session: Session, actor: Actor, username: str) -> User:
    require(actor, Permission.USERS_MANAGE)
    name = _account_name(username)
    user = None if name is None else session.scalar(select(User).where(User.username == name))
    if user is None:
        raise InputError(f"no user named {username.strip()!r}")
    return user


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> User:
    """Disable or enable an account. A disabled account's open sessions end on their next click."""
    require(actor, Permission.USERS_MANAGE)
    user = _user(session, user_id)
    if not active and user.id == actor.user_id:
        raise InputError("You cannot disable your own account; ask another administrator.")
    if user.active == active:
        raise InputError(f"{user.username} is already {'enabled' if active else 'disabled'}.")
    user.active = active
    record(session, actor, "enable" if active else "disable", "app_user", user.id)
    return user


def set_role(session: Session, actor: Actor, user_id: int, role: str, agency: str | None = None) -> User:
    """Change an account's role (and agency, for a coordinator); effective on the person's next click."""
    require(actor, Permission.USERS_MANAGE)
    user = _user(session, user_id)
    new_role = _known_role(role)
    agency_id = _agency_id(session, agency)
    if new_role == Role.AGENCY_COORDINATOR and agency_id is None:
        raise InputError("an agency coordinator needs an agency")
    if new_role != Role.AGENCY_COORDINATOR:
        agency_id = None
    if user.id == actor.user_id and new_role != Role(user.role):
        raise InputError("You cannot change your own role; ask another administrator.")
    if (user.role, user.agency_id) == (new_role.value, agency_id):
        raise InputError(f"{user.username} already has that role.")
    detail = _role_change(user.role, user.agency_id, new_role.value, agency_id).replace(" (from the identity provider)",
                                                                                        "")
    user.role, user.agency_id = new_role.value, agency_id
    record(session, actor, "role_change", "app_user", user.id, detail=detail)
    return user


def reset_password(session: Session, actor: Actor, user_id: int) -> str:
    """A temporary password, shown once to the administrator to pass on; the person must choose their
    own at the next sign-in. The lock is lifted."""
    require(actor, Permission.USERS_MANAGE)
    user = _user(session, user_id)
    temporary = secrets.token_urlsafe(12)
    user.password_hash, user.must_change_password = hash_password(temporary), True
    user.failed_logins, user.locked_until = 0, None
    record(session, actor, "reset_password", "app_user", user.id)
    return temporary


def change_own_password(session: Session, actor: Actor, current: str, new: str) -> User:
    """The signed-in person sets their own password (after a reset, before anything else)."""
    user = _user(session, actor.user_id)
    if user.password_hash is None or not password_matches(user.password_hash, current):
        raise InputError("The current password is not right.")
    if problem := password_problem(new):
        raise InputError(problem)
    if password_matches(user.password_hash, new):
        raise InputError("Choose a password different from the one you were given.")
    user.password_hash, user.must_change_password = hash_password(new), False
    record(session, actor, "change_password", "app_user", user.id)
    return user


def _user(session: Session, user_id: int | None) -> User:
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise InputError("no such user")
    return user


def role_title(role: str) -> str:
    return ROLE_TITLES[Role(role)]
