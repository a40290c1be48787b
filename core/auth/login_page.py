"""The sign-in form (Streamlit). Local passwords for the embedded default."""

from __future__ import annotations

import streamlit as st

from core.auth.service import authenticate
from core.clock import now
from core.db import unit_of_work
from core.ui import ACTOR_KEY


def login_page() -> None:
    st.title("Stand Up")
    st.caption("Victim-support coordination after a major incident")
    if notice := st.session_state.pop("signed_out_notice", None):
        st.info(notice)
    with st.form("login", clear_on_submit=False):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        with unit_of_work() as session:
            result = authenticate(session, username, password)
        if result.actor is None:
            st.error(result.refusal)
            return
        st.session_state[ACTOR_KEY] = result.actor
        st.session_state["last_seen"] = now()
        st.rerun()
