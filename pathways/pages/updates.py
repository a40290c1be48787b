"""Updates to groups of people (the bereaved families, all witnesses, everyone): a preview of who
will and will not receive it, then one message to each by the channel they chose and consented to (a
text or an email). Nothing health-related."""

import streamlit as st

from core.ui import call, incident_or_stop, read, slot
from core.ui.forms import clear_form, flash, show_flash
from pathways.person_messages import SUBJECTS
from pathways.plugin import UPDATES_COHORT_SLOT
from pathways.update_service import send_update, update_audience
from pathways.vocabulary import PersonRole, label

st.title("Updates to people")
show_flash()
incident_id = incident_or_stop()
st.caption("One message to each person in the group, by the channel they chose and consented to (a text or an "
           "email); none to those who refused or withdrew, opted out, or asked to be phoned by their caseworker. "
           "Nothing about anyone's health or care: that is for a person's own record.")
roles = st.multiselect("Group: people with any of these roles (none chosen: everyone)", list(PersonRole),
                       format_func=label, key="update_roles")
audience = read(lambda s, a: update_audience(s, a, incident_id, tuple(roles)))
st.info(f"{len(audience.by_text):,} will be texted and {len(audience.by_email):,} emailed; "
        f"{audience.to_phone:,} asked to be phoned by their caseworker; {audience.not_reached:,} cannot be reached "
        "(no consent to their channel, no address, or opted out): tell them another way.", icon=":material/group:")
with st.form("update"):  # a refusal keeps what was typed
    body = st.text_area("The update", max_chars=612, key="update_body")
    if st.form_submit_button("Preview"):
        st.markdown("**Preview**, as each person will read it:")
        mark = "EXERCISE " if audience.is_exercise else ""
        st.code(mark + " ".join(body.split()), language=None, wrap_lines=True)
        if audience.by_email:
            st.caption(f"An email's subject: “{mark}{SUBJECTS['update']}”; at its foot, a link to stop these emails.")
    if st.form_submit_button("Send to the group", type="primary"):
        sent = call(send_update, incident_id, body, tuple(roles))
        if sent is not None:
            clear_form("update")
            flash(f"Update sent to {sent.reached:,} people by text or email.")

st.divider()
slot(UPDATES_COHORT_SLOT, incident_id)  # an update to an outreach cohort (standup fills it: outreach is above us)
