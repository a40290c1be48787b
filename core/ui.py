"""What every page needs from the session: who is acting, in which incident, and one way
to call a service and show its refusal. Streamlit only; no rules here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError

T = TypeVar("T")

ACTOR_KEY = "actor"
INCIDENT_KEY = "incident_id"
PICKER_KEY = "incident_picker"


def current_actor() -> Actor:
    actor = st.session_state.get(ACTOR_KEY)
    if actor is None:  # the shell routes signed-out sessions to the login page; a page run alone stops here
        st.error("Please sign in.")
        st.stop()
    return actor


def current_incident_id() -> int | None:
    return st.session_state.get(INCIDENT_KEY)


def choose_incident(incident_id: int) -> None:
    """Make an incident the one every page works in (the sidebar picker follows)."""
    st.session_state[INCIDENT_KEY] = incident_id


def call(use_case: Callable[..., T], *args, **kwargs) -> T | None:
    """Run a use case in its own unit of work as the signed-in actor.

    A refusal (bad input, no permission) is shown where the page called it and nothing is
    saved; the page carries on rendering. Returns None when refused.
    """
    try:
        with unit_of_work() as session:
            return use_case(session, current_actor(), *args, **kwargs)
    except (InputError, PermissionDenied) as refusal:
        st.error(str(refusal), icon=":material/block:")
        return None


def read(query: Callable[[Session, Actor], T]) -> T:
    """Run a read-only query as the signed-in actor; refusals stop the page with the reason."""
    try:
        with unit_of_work() as session:
            return query(session, current_actor())
    except (InputError, PermissionDenied) as refusal:
        st.error(str(refusal), icon=":material/block:")
        st.stop()
