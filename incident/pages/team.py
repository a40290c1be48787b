"""The incident team: the caseworkers who work in this incident. A caseworker sees only the
incidents they are on; Gold Command and administrators add and remove them here."""

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import call, incident_or_stop, read, table
from core.ui.forms import clear_form, flash, show_flash
from incident.lifecycle_service import get_incident
from incident.team_service import assign_to_team, caseworkers_to_assign, incident_team, remove_from_team

incident_id = incident_or_stop()
incident = read(lambda s, a: get_incident(s, a, incident_id))
team = read(lambda s, a: incident_team(s, a, incident_id))
current = [m for m in team if m.current]

st.title("Incident team")
st.caption(f"Caseworkers on **{md(incident.name)}**: only they see its people. Every other role sees every incident.")
show_flash()
left, right = st.columns(2)
with left.form("team_add"):
    st.subheader("Add a caseworker")
    choices = dict(read(lambda s, a: caseworkers_to_assign(s, a, incident_id)))
    chosen = st.selectbox("Caseworker", list(choices), format_func=choices.__getitem__, index=None,
                          key="team_add_user",
                          placeholder="Choose" if choices else "Every active caseworker is on the team")
    if st.form_submit_button("Add to the team", type="primary") and call(assign_to_team, incident_id, chosen):
        clear_form("team_add")
        flash(f"{md(choices[chosen])} added to the team.")
if current:
    with right.form("team_remove"):
        st.subheader("Remove from the team")
        names = {m.user_id: f"{m.name} ({m.username})" for m in current}
        leaving = st.selectbox("Caseworker", list(names), format_func=names.__getitem__, key="team_remove_user")
        reason = st.text_input("Why (optional)", key="team_remove_reason")
        if st.form_submit_button("Remove") and call(remove_from_team, incident_id, leaving, reason):
            clear_form("team_remove")
            flash(f"{md(names[leaving])} removed from the team; they no longer see this incident.")

st.subheader("On the team now")
table([{"caseworker": m.name, "username": m.username, "since": show(m.assigned_at),
        "added by": m.assigned_by} for m in current], empty="Nobody is on this incident's team yet.")
if past := [m for m in team if not m.current]:
    with st.expander(f"Past members ({len(past)})"):
        table([{"caseworker": m.name, "username": m.username, "from": show(m.assigned_at),
                "added by": m.assigned_by, "until": show(m.removed_at), "removed by": m.removed_by,
                "why": m.removal_reason} for m in past], empty="No past members.")
