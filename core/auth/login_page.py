"""The sign-in page (Streamlit): the force's single sign-on when `[auth]` is configured in
Streamlit's secrets, and local passwords for the embedded default."""

from __future__ import annotations

import streamlit as st

from core.auth.service import LoginResult, authenticate, change_own_password, sso_sign_in
from core.db import unit_of_work
from core.ui import ACTOR_KEY, SIGNED_OUT_NOTICE_KEY, call, mark_active


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all: the embedded default
        return False


def _sso_claims() -> dict | None:
    claims = st.user.to_dict()
    return claims if claims.get("is_logged_in") is True else None


def _accept(result: LoginResult) -> None:
    if result.actor is None:
        st.error(result.refusal)
        return
    st.session_state[ACTOR_KEY] = result.actor
    mark_active()
    st.rerun()


def login_page() -> None:
    st.title("Stand Up")
    st.caption("Victim-support coordination after a major incident")
    if notice := st.session_state.pop(SIGNED_OUT_NOTICE_KEY, None):
        st.info(notice)
    claims = _sso_claims()
    if claims is not None:
        # Committed before the rerun _accept starts: a rerun raised inside the unit of work rolled the
        # new account and its sign-in back.
        with unit_of_work() as session:
            result = sso_sign_in(session, claims)
        _accept(result)
        return
    if _sso_configured():
        st.button("Sign in with your organisation's account", type="primary", on_click=st.login)
        st.divider()
    with st.form("login", clear_on_submit=False):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        with unit_of_work() as session:
            result = authenticate(session, username, password)
        _accept(result)


def change_password_page() -> None:
    """After an administrator's reset: the person chooses their own password before anything else."""
    st.title("Choose a new password")
    st.info("Your password was reset by an administrator. Choose your own to carry on (at least 10 characters).")
    with st.form("change_password"):
        current = st.text_input("The password you were given", type="password", autocomplete="current-password")
        new = st.text_input("New password", type="password", autocomplete="new-password")
        again = st.text_input("New password again", type="password", autocomplete="new-password")
        if st.form_submit_button("Save my password", type="primary"):
            if new != again:
                st.error("The two new passwords differ.")
            elif call(change_own_password, current, new) is not None:
                st.rerun()
