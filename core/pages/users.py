import streamlit as st

from core.agencies.service import list_agencies
from core.auth.roles import ROLE_TITLES, Role
from core.auth.service import NewUser, add_user, list_users, unlock_user
from core.clock import now, show
from core.ui import call, read, table

st.title("Users")
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
