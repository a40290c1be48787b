"""What every page needs from the session: who is acting, in which incident, one way to call
a service and show its refusal, and the idle timeout. Streamlit only; no rules here."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

import streamlit as st
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from core.auth.lockout import session_idle_expired
from core.auth.roles import Actor, PermissionDenied
from core.auth.service import fresh_actor
from core.clock import now
from core.db import DatabaseUnreachable, unit_of_work
from core.errors import InputError
from core.inert_text import md
from core.settings import get_settings

T = TypeVar("T")
log = logging.getLogger("standup.ui")

ACTOR_KEY = "actor"
INCIDENT_KEY = "incident_id"
PICKER_KEY = "incident_picker"
LAST_SEEN_KEY = "last_seen"  # when the person last did something
SIGNED_OUT_NOTICE_KEY = "signed_out_notice"


def mark_active() -> None:
    st.session_state[LAST_SEEN_KEY] = now()


def sign_out(notice: str) -> None:
    """End the session: forget everything it held, and leave the notice for the sign-in page."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[SIGNED_OUT_NOTICE_KEY] = notice
    if st.user.to_dict().get("is_logged_in") is True:
        st.logout()  # otherwise the identity provider's cookie signs the person straight back in


def sign_out_if_idle() -> bool:
    """End a signed-in session idle past the timeout; True when it has just ended."""
    minutes = get_settings().idle_timeout_minutes
    if st.session_state.get(ACTOR_KEY) is None or not session_idle_expired(
            st.session_state.get(LAST_SEEN_KEY), now(), minutes):
        return False
    sign_out(f"You were signed out after {minutes} minutes without activity.")
    return True


def auto_refreshing(every_seconds: float) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """`st.fragment(run_every=…)` for pages, with the idle timeout checked first.

    A fragment's rerun runs the fragment alone, not the shell, so the shell's idle check never
    sees it; and an automatic rerun is no action by the person, so it never counts as activity.
    Once the session is idle too long, the next refresh draws nothing: it signs the session out
    and reruns the whole app, which shows the sign-in page.
    """
    def decorate(body: Callable[[], None]) -> Callable[[], None]:
        @st.fragment(run_every=every_seconds)
        @functools.wraps(body)
        def guarded() -> None:
            if sign_out_if_idle():
                st.rerun()
            body()

        return guarded

    return decorate


DISABLED_NOTICE = "This account has been disabled. Ask an administrator if you need it again."


def _acting(session: Session) -> Actor:
    """The signed-in person's account as it is now, read again on every request: disabled, it
    signs the session out at once; a changed role or agency applies from this click."""
    actor = st.session_state.get(ACTOR_KEY)
    if actor is None:  # the shell routes signed-out sessions to the login page; a page run alone stops here
        st.error("Please sign in.")
        st.stop()
    fresh = actor if actor.is_system else fresh_actor(session, actor.user_id)
    if fresh is None:
        sign_out(DISABLED_NOTICE)
        st.rerun()
    if fresh != actor:
        st.session_state[ACTOR_KEY] = fresh
    return fresh


def current_actor() -> Actor:
    with _database_reachable(DATABASE_DOWN_READ), unit_of_work() as session:
        return _acting(session)


def current_incident_id() -> int | None:
    return st.session_state.get(INCIDENT_KEY)


def incident_or_stop() -> int:
    """The incident the page works in; without one, the page says how to get one and stops."""
    incident_id = current_incident_id()
    if incident_id is None:
        st.info("No incident is chosen: pick one in the sidebar (Gold declares one on **Declare and status**).")
        st.stop()
    return incident_id


def table(rows: list[dict], *, empty: str, **dataframe) -> None:
    """Rows as a grid, blanks shown as "—" rather than "None"; with no rows, `empty` says so in words
    (an empty grid only says "empty")."""
    if not rows:
        st.caption(empty)
        return
    st.dataframe(blanks_as_dashes(rows), **{"hide_index": True, "width": "stretch", **dataframe})


def blanks_as_dashes(rows: list[dict]) -> list[dict]:
    """Rows with None shown as "—"; a column with a blank becomes text throughout, since "—" beside
    numbers cannot be one Arrow type (Streamlit logged a conversion traceback and guessed)."""
    blanks = {column for row in rows for column, value in row.items() if value is None}
    return [{column: "—" if value is None else str(value) if column in blanks else value
             for column, value in row.items()} for row in rows]


def choose_incident(incident_id: int) -> None:
    """Make an incident the one every page works in (the sidebar picker follows)."""
    st.session_state[INCIDENT_KEY] = incident_id


_SLOTS: dict[str, Callable[..., None]] = {}


def fill_slot(name: str, draw: Callable[..., None]) -> None:
    """The composition layer puts a piece of its own into a domain's page, which cannot import it
    (imports point down): e.g. the situation report's downloads on Gold's page."""
    _SLOTS[name] = draw


def slot(name: str, *args) -> None:
    """Draw what the composition layer put in this slot; nothing when it put nothing."""
    if (draw := _SLOTS.get(name)) is not None:
        draw(*args)


DATABASE_DOWN_CHANGE = ("The database cannot be reached (or did not answer in time): nothing you typed was saved. "
                        "Keep what you typed, try again in a minute, and tell your administrator if it goes on.")
DATABASE_DOWN_READ = ("The database cannot be reached (or did not answer in time), so this page cannot show its "
                      "information now. Try again in a minute, and tell your administrator if it goes on.")


@contextmanager
def _database_reachable(message: str):
    """A database outage is said in words a person can act on, not Streamlit's redacted error."""
    try:
        yield
    except (OperationalError, InterfaceError, DatabaseUnreachable):
        log.exception("the database could not be reached")
        st.error(message, icon=":material/cloud_off:")
        st.stop()


def call(use_case: Callable[..., T], *args, **kwargs) -> T | None:
    """Run a use case in its own unit of work as the signed-in actor.

    A refusal (bad input, no permission) is shown where the page called it and nothing is
    saved; the page carries on rendering. Returns None when refused. Asking for a change is
    activity, even from inside a fragment, whose rerun skips the shell that marks it.
    """
    mark_active()
    try:
        with _database_reachable(DATABASE_DOWN_CHANGE), unit_of_work() as session:
            return use_case(session, _acting(session), *args, **kwargs)
    except (InputError, PermissionDenied) as refusal:
        st.error(md(str(refusal)), icon=":material/block:")  # refusals repeat names people typed
        return None


def read(query: Callable[[Session, Actor], T]) -> T:
    """Run a read-only query as the signed-in actor; refusals stop the page with the reason."""
    try:
        with _database_reachable(DATABASE_DOWN_READ), unit_of_work() as session:
            return query(session, _acting(session))
    except (InputError, PermissionDenied) as refusal:
        st.error(md(str(refusal)), icon=":material/block:")
        st.stop()
