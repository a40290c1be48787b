import streamlit as st

from core.agencies.service import list_agencies
from core.auth.roles import ROLE_TITLES, Role
from core.auth.service import (
    NewUser,
    add_user,
    list_users,
    reset_password,
    set_active,
    set_role,
    unlock_user,
)
from core.clock import now, show
from core.pages.chain_alert import draw_chain_alert
from core.ui import call, read, table

st.title("Users")
draw_chain_alert()
users = read(list_users)
table(
    [
        {"username": u.username, "name": u.display_name, "role": ROLE_TITLES[Role(u.role)],
         "locked until": show(u.locked_until) if u.locked_until and u.locked_until > now() else "",
         "last sign-in": show(u.last_login_at), "active": u.active}
        for u in users
    ], empty="No users yet: add one below.")
locked = [u for u in users if u.locked_until and u.locked_until > now()]
if locked:
    who = st.selectbox("Unlock", locked, format_func=lambda u: u.username)
    if st.button("Unlock account") and call(unlock_user, who.id):
        st.rerun()

agencies = read(list_agencies)
if users:
    st.subheader("Change an account")
    chosen = st.selectbox("Account", users, key="users_chosen",
                          format_func=lambda u: f"{u.username} ({ROLE_TITLES[Role(u.role)]}"
                                                f"{'' if u.active else ', disabled'})")
    c1, c2 = st.columns(2)
    with c1.form(f"role_{chosen.id}"):
        new_role = st.selectbox("Role", list(Role), index=list(Role).index(Role(chosen.role)),
                                format_func=ROLE_TITLES.__getitem__)
        names = [a.name for a in agencies]
        current = next((a.name for a in agencies if a.id == chosen.agency_id), None)
        new_agency = st.selectbox("Agency (coordinators only)", [None, *names],
                                  index=([None, *names].index(current)) if current else 0)
        if st.form_submit_button("Change role") and call(set_role, chosen.id, new_role.value, new_agency):
            st.session_state["users_notice"] = f"{chosen.username}: role changed; it applies from their next click."
            st.rerun()
    with c2:
        if chosen.active and st.button("Disable account", type="secondary", key=f"disable_{chosen.id}"):
            if call(set_active, chosen.id, False):
                st.session_state["users_notice"] = f"{chosen.username} disabled: their open session ends at once."
                st.rerun()
        if not chosen.active and st.button("Enable account", key=f"enable_{chosen.id}"):
            if call(set_active, chosen.id, True):
                st.rerun()
        if st.button("Reset password", key=f"reset_{chosen.id}"):
            temporary = call(reset_password, chosen.id)
            if temporary is not None:
                st.session_state["users_notice"] = (
                    f"Temporary password for {chosen.username}: `{temporary}` (shown once: pass it on by phone). "
                    "They must choose their own at their next sign-in.")
                st.rerun()
if notice := st.session_state.pop("users_notice", None):
    st.success(notice, icon=":material/check_circle:")

with st.form("add_user", clear_on_submit=True):
    st.subheader("Add a user")
    username = st.text_input("Username")
    display_name = st.text_input("Full name")
    role = st.selectbox("Role", list(Role), format_func=ROLE_TITLES.__getitem__)
    agency = st.selectbox("Agency (coordinators only)", [None, *[a.name for a in agencies]])
    password = st.text_input("Initial password (at least 10 characters)", type="password")
    if st.form_submit_button("Add user", type="primary"):
        created = call(add_user, NewUser(username, role.value, password, display_name, agency))
        if created is not None:
            st.success(f"Added {created.username}.")
