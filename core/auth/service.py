"""Signing in and managing users."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.lockout import MAX_FAILURES, is_locked, locked_until_after_failure
from core.auth.model import User
from core.auth.passwords import DUMMY_HASH, hash_password, password_matches, password_problem
from core.auth.roles import ROLE_TITLES, Actor, Permission, Role, require
from core.clock import now, show
from core.errors import InputError

WRONG_CREDENTIALS = "Username or password not recognised."


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


def authenticate(session: Session, username: str, password: str) -> LoginResult:
    """Check a password. Five failures in a row lock the account for 15 minutes."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.active or user.password_hash is None:
        password_matches(DUMMY_HASH, password)  # same cost as a real check: no username probing by timing
        record(session, Actor.anonymous(username.strip()), "login_failed", "app_user")
        return LoginResult(refusal=WRONG_CREDENTIALS)
    at = now()
    if is_locked(user.locked_until, at):
        record(session, actor_for(user), "login_refused_locked", "app_user", user.id)
        return LoginResult(refusal=(
            f"This account is locked until {show(user.locked_until, '%H:%M on %d %b')} after {MAX_FAILURES} "
            "failed sign-in attempts. Try again then, or ask an administrator to unlock it."
        ))
    if not password_matches(user.password_hash, password):
        user.failed_logins, user.locked_until = locked_until_after_failure(user.failed_logins, at)
        record(session, actor_for(user), "login_failed", "app_user", user.id)
        if user.locked_until is not None:
            return LoginResult(refusal=(
                f"{WRONG_CREDENTIALS} The account is now locked until {show(user.locked_until, '%H:%M on %d %b')}."
            ))
        return LoginResult(refusal=WRONG_CREDENTIALS)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, at
    actor = actor_for(user)
    record(session, actor, "login", "app_user", user.id)
    return LoginResult(actor=actor)


@dataclass(frozen=True)
class NewUser:
    username: str
    role: str
    password: str | None
    display_name: str = ""
    agency: str | None = None


def add_user(session: Session, actor: Actor, new: NewUser) -> User:
    require(actor, Permission.USERS_MANAGE)
    try:
        role = Role(new.role)
    except ValueError:
        raise InputError(
            f"unknown role {new.role!r}; allowed: {', '.join(r.value for r in Role)}"
        ) from None
    username = new.username.strip().lower()
    if not username or len(username) > 80 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise InputError("a username is 1 to 80 letters, digits, '.', '-' or '_'")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InputError(f"a user named {username!r} already exists")
    agency_id = None
    if new.agency:
        agency = session.scalar(select(Agency).where(func.lower(Agency.name) == new.agency.strip().lower()))
        if agency is None:
            known = session.scalars(select(Agency.name).order_by(Agency.name)).all()
            raise InputError(
                f"unknown agency {new.agency!r}; allowed: {', '.join(known) or '(none yet: add agencies first)'}"
            )
        agency_id = agency.id
    if role == Role.AGENCY_COORDINATOR and agency_id is None:
        raise InputError("an agency coordinator needs --agency")
    if new.password is not None and (problem := password_problem(new.password)):
        raise InputError(problem)
    user = User(
        username=username, display_name=new.display_name.strip() or username, role=role.value,
        agency_id=agency_id, password_hash=hash_password(new.password) if new.password is not None else None,
    )
    session.add(user)
    session.flush()
    record(session, actor, "create", "app_user", user.id, detail=f"role={role.value}")
    return user


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


def role_title(role: str) -> str:
    return ROLE_TITLES[Role(role)]
