import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import call, incident_or_stop, read
from pathways.clinicians import NOT_A_CLINICIAN, is_clinician
from pathways.pages.clinical_banners import render_duty_clinician, render_safety_alerts
from pathways.pages.record_access import open_person
from pathways.screening_service import decide_review, review_queue
from pathways.vocabulary import ReviewDecision, label

st.title("Clinician review")
render_safety_alerts()
incident_id = incident_or_stop()
if not read(is_clinician):
    st.info(NOT_A_CLINICIAN)
    st.stop()
with st.expander("Clinical duty: name or take over as duty clinician"):
    render_duty_clinician(incident_id)
st.caption("Positive screens wait here for a clinician. The tool flags; a person decides, and the decision "
           "is recorded with their name (UK GDPR art. 22).")
queue = read(lambda s, a: review_queue(s, a, incident_id, limit=200))
if not queue:
    st.success("No screen is waiting for review.")
for item in queue:
    s = item.screening
    with st.container(border=True):
        st.write(f"**{md(item.person_name)}** — {s.instrument}: {s.result}, taken {show(s.taken_at)}"
                 + (" — **safety alert raised**" if item.has_alert else ""))
        if s.notes:
            st.caption(md(s.notes))
        with st.form(f"decide_{s.id}"):
            decision = st.selectbox("Decision", list(ReviewDecision), format_func=label, key=f"d_{s.id}")
            note = st.text_area("Clinical note (kept encrypted)", key=f"n_{s.id}")
            if st.form_submit_button("Record decision") and call(decide_review, s.id, decision.value, note):
                st.rerun()
        if st.button("Open record", key=f"open_{s.id}"):
            open_person(s.person_id)
