"""How each cohort answered each round, and who opened their link but did not finish: to call."""

import streamlit as st

from core.clock import show
from core.phone import show_phone
from core.ui import incident_or_stop, read, table
from outreach.response_queries import opened_not_finished, responses

st.title("Outreach responses")
incident_id = incident_or_stop()
rounds = read(lambda s, a: responses(s, a, incident_id))
table([{"cohort": r.cohort, "round": r.round, "invited": r.counts.invited, "delivered": r.counts.delivered,
        "link opened": r.counts.opened, "completed": r.counts.completed, "positive": r.counts.positive,
        "urgent alerts": r.counts.urgent_alerts, "opted out": r.counts.opted_out, "bounced": r.counts.bounced}
       for r in rounds], empty="No invitations sent yet.")
st.caption("Positive screens and urgent alerts go to the clinician review queue and the duty clinician, as any "
           "screening does.")

st.subheader("Opened but did not finish")
st.caption("Call them rather than send another message: they may have stopped because a question was hard.")
if st.toggle("Show the people to call (names and numbers; each showing is recorded)", key="responses_to_call"):
    people = read(lambda s, a: opened_not_finished(s, a, incident_id))
    table([{"name": p.name, "mobile": show_phone(p.mobile) if p.mobile else None, "email": p.email,
            "cohort": p.cohort, "round": p.round, "opened": show(p.opened_at), "reached": p.progress or "start",
            "link expires": show(p.expires_at), "asked for no messages": "yes" if p.asked_for_no_messages else "",
            "record": p.person_id} for p in people], empty="Nobody has stopped part-way.")
