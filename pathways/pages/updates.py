"""Updates to groups of people (the bereaved families, all witnesses, everyone): a preview of who
will and will not receive it, then one text to each who consented. Nothing health-related."""

import streamlit as st

from core.ui import call, incident_or_stop, read
from core.ui.forms import clear_form, flash, show_flash
from pathways.update_service import send_update, update_audience
from pathways.vocabulary import PersonRole, label

st.title("Updates to people")
show_flash()
incident_id = incident_or_stop()
st.caption("One text to each person in the group who consented to texts; none to those who refused or withdrew. "
           "Nothing about anyone's health or care: that is for a person's own record.")
roles = st.multiselect("Group: people with any of these roles (none chosen: everyone)", list(PersonRole),
                       format_func=label, key="update_roles")
audience = read(lambda s, a: update_audience(s, a, incident_id, tuple(roles)))
st.info(f"{len(audience.by_text):,} will be texted; {audience.not_reached:,} have not consented to texts or have "
        "no mobile (tell them another way).", icon=":material/group:")
with st.form("update"):  # a refusal keeps what was typed
    body = st.text_area("The update", max_chars=612, key="update_body")
    if st.form_submit_button("Preview"):
        st.markdown("**Preview**, as each person will read it:")
        st.code(("EXERCISE " if audience.is_exercise else "") + " ".join(body.split()), language=None, wrap_lines=True)
    if st.form_submit_button("Send to the group", type="primary"):
        sent = call(send_update, incident_id, body, tuple(roles))
        if sent is not None:
            clear_form("update")
            flash(f"Update sent to {sent.reached:,} people by text.")
