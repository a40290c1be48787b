"""The person record's Justice tab: the milestones they are to be told of and were told of, their
court dates, and a witness's care details and special measures. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.clock import show
from core.ui import call, read, table
from core.ui.forms import flash
from pathways.justice_queries import person_justice
from pathways.justice_service import WitnessCareDetails, save_witness_care
from pathways.model import WitnessCare
from pathways.pages.told_form import told_form
from pathways.people_queries import PersonRecord
from pathways.vocabulary import SpecialMeasure, label


def justice(rec: PersonRecord) -> None:
    p = rec.person
    j = read(lambda s, a: person_justice(s, a, p.id))
    st.markdown("**To tell**")
    table([{"milestone": x.milestone, "details": x.details, "tell by": show(x.due_at),
            "enhanced rights": "yes" if x.enhanced else "", "": "OVERDUE" if x.overdue else ""} for x in j.to_tell],
          empty="Nothing from the justice process is waiting to be told.")
    if not p.merged_into_id:
        told_form([(x.task_id, x.milestone) for x in j.to_tell], "record_told")
    st.markdown("**Told**")
    table([{"milestone": x.milestone, "told on": f"{x.told_on:%d/%m/%Y}", "how": label(x.method), "by": x.told_by,
            "in the Victims' Code time": "no, late" if x.told_late else "yes",
            "note": x.note} for x in j.told], empty="Not told of anything yet.")
    st.markdown("**Court dates**")
    table([{"date": f"{x.occurred_on:%a %d %b %Y}", "hearing": label(x.kind), "details": x.details}
           for x in j.court_dates], empty="No hearing they are to hear of.")
    witness_care(p.id, j.witness_care)


def witness_care(person_id: int, care: WitnessCare | None) -> None:
    st.markdown("**Witness care** (from the Witness Care Unit)")
    needed = care.measures_needed.split(",") if care and care.measures_needed else []
    requested = care.measures_requested.split(",") if care and care.measures_requested else []
    with st.form("witness_care"):
        officer = st.text_input("Witness care officer", value=care.officer if care else "")
        contact = st.text_input("Their phone or email", value=care.contact if care else "")
        measures = list(SpecialMeasure)
        need = st.multiselect("Special measures needed", measures, default=needed, format_func=label)
        asked = st.multiselect("Special measures requested of the court", measures, default=requested,
                               format_func=label)
        asked_on = st.date_input("Requested on", value=care.requested_on if care else None, format="DD/MM/YYYY")
        notes = st.text_area("Notes (kept encrypted)", value=care.notes if care else "")
        if st.form_submit_button("Save witness care") and call(save_witness_care, person_id, WitnessCareDetails(
                officer, contact, tuple(need), tuple(asked), asked_on, notes)):
            flash("Witness care saved.")
