"""Pieces every pathways page shares: the urgent safety alerts banner, the "why are you opening
this record" question, and how stored words are shown. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.auth.roles import Permission
from core.clock import show
from core.ui import call, current_actor, current_incident_id, read
from incident.pages.parts import md
from pathways.care_service import acknowledge_alert, open_alerts

PERSON_KEY = "pathways_person_id"
REASONS_KEY = "pathways_view_reasons"  # person id -> the reason given this session


def render_safety_alerts() -> None:
    """Every unacknowledged urgent alert, on every clinician page, until a clinician acts on it."""
    if not current_actor().can(Permission.CLINICAL_REVIEW):
        return
    incident_id = current_incident_id()
    for item in read(lambda s, a: open_alerts(s, a, incident_id)):
        with st.container(border=True):
            st.error(f"**URGENT — {md(item.person_name)}** (record {item.person_id}): {md(item.alert.text)}. "
                     f"Raised {show(item.alert.raised_at)}.", icon=":material/emergency:")
            with st.form(f"ack_alert_{item.alert.id}"):
                action = st.text_input("What was done (the duty clinician acknowledges)", key=f"ack_text_{item.alert.id}")
                if st.form_submit_button("Acknowledge alert", type="primary"):
                    if call(acknowledge_alert, item.alert.id, action) is not None:
                        st.rerun()


def require_incident() -> int:
    incident_id = current_incident_id()
    if incident_id is None:
        st.info("No incident yet: people are registered against an incident.")
        st.stop()
    return incident_id


def open_person(person_id: int) -> None:
    st.session_state[PERSON_KEY] = person_id
    st.switch_page("pathways/pages/person.py")


def reason_for(person_id: int) -> str:
    """The reason given for opening this record this session; asks for it (once) when there is none."""
    reasons = st.session_state.setdefault(REASONS_KEY, {})
    if reasons.get(person_id):
        return reasons[person_id]
    with st.form(f"reason_{person_id}"):
        st.write("Opening a person's record is logged. Why are you opening it?")
        reason = st.text_input("Reason for viewing", placeholder="e.g. scheduled screening call")
        if st.form_submit_button("Open record", type="primary"):
            if reason.strip():
                reasons[person_id] = reason.strip()
                st.rerun()
            st.error("Give a reason to open the record.")
    st.stop()
