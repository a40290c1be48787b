"""On the Updates page (a slot standup fills): an update to everyone on an outreach cohort's list, each
once, with a preview of who it will and will not reach. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.ui import call, read
from core.ui.forms import clear_form, flash
from outreach.cohort_service import cohorts_of
from outreach.cohort_update_service import cohort_update_audience, send_cohort_update


def cohort_update(incident_id: int) -> None:
    st.subheader("Update an outreach cohort")
    cohorts = read(lambda s, a: cohorts_of(s, a, incident_id))
    if not cohorts:
        st.caption("No outreach cohort in this incident.")
        return
    name = st.selectbox("Cohort", [c.name for c in cohorts], key="cohort_update_name")
    audience = read(lambda s, a: cohort_update_audience(s, a, incident_id, name))
    st.info(f"Registered people: {audience.registered_by_text:,} texted and {audience.registered_by_email:,} emailed "
            f"by their own choice, {audience.registered_not_reached:,} not (tell them another way). Others on the "
            f"list: {audience.by_text:,} texted, {audience.by_email:,} emailed (with a link to stop the cohort's "
            f"messages), {audience.not_reached:,} unsubscribed or opted out.", icon=":material/group:")
    with st.form("cohort_update"):  # a refusal keeps what was typed
        body = st.text_area("The update", max_chars=612, key="cohort_update_body")
        if st.form_submit_button("Preview"):
            st.markdown("**Preview**, as each person will read it:")
            st.code(("EXERCISE " if audience.is_exercise else "") + " ".join(body.split()), language=None,
                    wrap_lines=True)
        if st.form_submit_button("Send to the cohort", type="primary"):
            sent = call(send_cohort_update, incident_id, name, body)
            if sent is not None:
                clear_form("cohort_update")
                flash(f"Update sent to {sent.reached:,} people on the cohort's list.")
