"""Declare an incident, and move the chosen one through its lifecycle, saying why."""

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import call, choose_incident, current_incident_id, read, table
from core.ui.forms import FLASH_KEY, clear_form, flash, show_flash
from incident.lifecycle import label, next_statuses
from incident.lifecycle_service import (
    change_status,
    declare_incident,
    get_incident,
    open_incident,
    status_history,
)

st.title("Declare and status")
show_flash()


def _declare() -> None:
    """A button callback: it runs before the shell draws the sidebar, so the picker shows the new incident."""
    form = {name: st.session_state.get(f"declare_{name}") for name in ("name", "kind", "summary", "now", "reason")}
    is_exercise = None if form["kind"] is None else form["kind"] == "Exercise"
    details = {"is_exercise": is_exercise, "summary": form["summary"] or ""}
    incident = (call(declare_incident, form["name"] or "", reason=form["reason"] or "", **details) if form["now"]
                else call(open_incident, form["name"] or "", **details))
    if incident:
        clear_form("declare")
        choose_incident(incident.id)
        st.session_state[FLASH_KEY] = f"{md(incident.name)} is open ({label(incident.status)})."


with st.expander("Declare a new incident", expanded=current_incident_id() is None):
    with st.form("declare"):
        st.text_input("Name", key="declare_name", placeholder="e.g. Arena explosion")
        st.radio("Live or exercise?", ["Live", "Exercise"], index=None, horizontal=True, key="declare_kind")
        st.text_area("Summary", key="declare_summary")
        st.checkbox("Declare it now (otherwise it opens on standby)", value=True, key="declare_now")
        st.text_input("Reason for declaring", key="declare_reason",
                      placeholder="e.g. M/ETHANE from the first officer on scene")
        st.form_submit_button("Open the incident", type="primary", on_click=_declare)

incident_id = current_incident_id()
if incident_id is None:
    st.stop()
incident = read(lambda s, a: get_incident(s, a, incident_id))
st.header(f"{md(incident.name)}: {label(incident.status)}", divider="gray")
options = next_statuses(incident.status)
if options:
    with st.form("status"):
        target = st.radio("Move to", options, format_func=label, horizontal=True, index=None, key="status_target")
        why = st.text_input("Why", key="status_why")
        if st.form_submit_button("Change status", type="primary") and call(change_status, incident_id, target, why):
            clear_form("status")
            flash(f"Status is now {label(target)}.")
else:
    st.info(f"This incident is {label(incident.status)}; its status no longer changes.")

st.subheader("Status history")
table([{"when": show(c.at), "from": label(c.from_status), "to": label(c.to_status), "by": c.by_name,
        "why": c.reason} for c in read(lambda s, a: status_history(s, a, incident_id))],
      empty="No status changes yet.")
