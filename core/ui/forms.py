"""Forms that behave after a submit: a success note that survives the rerun, defaults set once,
and a form started afresh once its change is saved. Streamlit only."""

from __future__ import annotations

import streamlit as st

FLASH_KEY = "incident_flash"


def flash(message: str) -> None:
    """A success note shown after the rerun that redraws the page with the change."""
    st.session_state[FLASH_KEY] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def form_defaults(prefix: str, **values) -> None:
    """Start a form's widgets at these values (once), so a default that moves with the clock
    never replaces what a person typed before submitting."""
    for name, value in values.items():
        st.session_state.setdefault(f"{prefix}_{name}", value)


def clear_form(prefix: str) -> None:
    """After a successful submit: the next render starts the form afresh."""
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_")]:
        del st.session_state[key]
