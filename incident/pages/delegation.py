"""The commissioner's delegation of standing up victim support to the force: recorded here by an
administrator or Gold, read on the governance page."""

import streamlit as st

from core.inert_text import md
from core.ui import call, read
from core.ui.forms import clear_form, flash, show_flash
from incident.delegation_service import delegations, record_delegation
from incident.delegation_terms import DelegationTerms
from incident.pages.delegation_table import draw_delegations

st.title("The commissioner's delegation")
st.caption("What the police and crime commissioner delegates to the force, to whom, from when, on which "
           "document. One stands at a time: a later one takes over from its first day, and one recorded for the "
           "same first day replaces it (the earlier record stays).")
show_flash()
draw_delegations(read(delegations), empty="No delegation is recorded yet.")

with st.form("delegation"):
    st.subheader("Record a delegation")
    by = st.text_input("Who delegates", key="delegation_by", placeholder="e.g. the Police and Crime Commissioner")
    to = st.text_input("To whom", key="delegation_to", placeholder="e.g. the Chief Constable")
    scope = st.text_area("What is delegated", key="delegation_scope")
    left, right = st.columns(2)
    starts = left.date_input("Takes effect on", value=None, format="DD/MM/YYYY", key="delegation_from")
    ends = right.date_input("Ends on (if it says)", value=None, format="DD/MM/YYYY", key="delegation_until")
    reference = st.text_input("Document reference", key="delegation_reference",
                              placeholder="e.g. PCC decision notice 2026/014")
    if st.form_submit_button("Record the delegation", type="primary"):
        if call(record_delegation, DelegationTerms(by, to, scope, starts, reference, ends)):
            clear_form("delegation")
            flash(f"Delegation {md(reference.strip())} recorded.")
