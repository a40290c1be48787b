"""Opening a person's record from any pathways page, and the reason for viewing it asks once per
record and session (every view is audited with it). Streamlit only."""

from __future__ import annotations

import streamlit as st

PERSON_KEY = "pathways_person_id"
REASONS_KEY = "pathways_view_reasons"  # person id -> the reason given this session


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
        reason = st.text_input("Reason for viewing", placeholder="e.g. scheduled screening call",
                               help="Kept in the access log for as long as the log is: no names or health "
                                    "details here, only why (a call, a review, a referral).")
        if st.form_submit_button("Open record", type="primary"):
            if reason.strip():
                reasons[person_id] = reason.strip()
                st.rerun()
            st.error("Give a reason to open the record.")
    st.stop()
