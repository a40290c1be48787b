"""The person record's Justice tab: the milestones they are to be told of and were told of, their
court dates, and a witness's care details and special measures. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.clock import show
from core.ui import call, read, table
from core.ui.forms import flash
from pathways.justice_queries import PersonJustice, person_justice
from pathways.justice_service import RightsDetails, WitnessCareDetails, save_victim_rights, save_witness_care
from pathways.model import WitnessCare
from pathways.pages.told_form import told_form
from pathways.people_queries import PersonRecord
from pathways.vocabulary import SpecialMeasure, StatementChoice, label


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
    if not p.merged_into_id and p.status == "open":
        victim_rights(p.id, j)
    witness_care(p.id, j.witness_care)


def victim_rights(person_id: int, j: PersonJustice) -> None:
    r = j.rights
    st.markdown("**Officer in the case, statement, restorative justice, compensation**")
    if j.compensation_late:
        st.warning(f"Compensation: the usual time limit ({j.compensation_deadline:%d %b %Y}) has passed without an "
                   "application in time; the scheme may still accept one in exceptional cases.")
    else:
        st.caption(f"Compensation (Criminal Injuries Compensation Scheme): apply by {j.compensation_deadline:%d %b %Y}.")
    choices = ["", *StatementChoice]
    consent = {None: "Not asked, or undecided", True: "Agreed", False: "Declined"}
    with st.form("victim_rights"):  # a refusal keeps what was typed
        officer = st.text_input("Officer in the case (as the police named them)", value=r.officer_in_case if r else "")
        a, b, c = st.columns(3)
        vps_told = a.date_input("Statement: told of it on", value=r.vps_told_on if r else None, format="DD/MM/YYYY")
        vps_choice = b.selectbox("Their choice", choices, index=choices.index(r.vps_choice) if r else 0,
                                 format_func=lambda x: label(x) if x else "Undecided")
        vps_made = c.date_input("Statement made on", value=r.vps_made_on if r else None, format="DD/MM/YYYY")
        a, b, c, d = st.columns(4)
        rj_told = a.date_input("Restorative justice: told on", value=r.rj_told_on if r else None, format="DD/MM/YYYY")
        rj_consent = b.selectbox("Their consent", list(consent), format_func=consent.__getitem__,
                                 index=list(consent).index(r.rj_consent) if r else 0)
        rj_assessed = c.date_input("Provider's risk assessment on", value=r.rj_risk_assessed_on if r else None,
                                   format="DD/MM/YYYY")
        rj_referred = d.date_input("Referred on", value=r.rj_referred_on if r else None, format="DD/MM/YYYY")
        a, b = st.columns(2)
        comp_told = a.date_input("Compensation: told on", value=r.compensation_told_on if r else None,
                                 format="DD/MM/YYYY")
        comp_applied = b.date_input("Applied on", value=r.compensation_applied_on if r else None, format="DD/MM/YYYY")
        if st.form_submit_button("Save") and call(save_victim_rights, person_id, RightsDetails(
                officer, vps_told, vps_choice, vps_made, rj_told, rj_consent, rj_assessed, rj_referred, comp_told,
                comp_applied)):
            flash("Saved.")


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
