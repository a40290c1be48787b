"""Import a list of people into a named cohort of the incident (CSV or XLSX): a preview of what
would happen, then the import; the rows that cannot go in, with their reasons, to download."""

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.rejected_rows import rejected_rows_csv
from core.ui import call, incident_or_stop, read, table
from outreach.cohort_service import cohorts_of, import_cohort
from outreach.vocabulary import DEFAULT_LAWFUL_BASIS, LAWFUL_BASES

PREVIEW_KEY = "cohort_import_preview"
NEW = "A new cohort…"

st.title("Outreach cohorts")
incident_id = incident_or_stop()
cohorts = read(lambda s, a: cohorts_of(s, a, incident_id))
st.caption("A cohort is a list others hold (ticket purchasers, a witness list, casualty bureau enquiries, a "
           "school's list): contact details, not cases. A person becomes a case when they answer a check or a "
           "caseworker decides.")
table([{"cohort": c.name, "people": c.contacts, "source": c.source, "lawful basis": c.lawful_basis,
        "since": show(c.created_at)} for c in cohorts], empty="No cohort yet: import a list below.")

st.subheader("Import a list")
choice = st.selectbox("Cohort", [NEW, *(c.name for c in cohorts)], key="cohort_choice")
name = st.text_input("Name of the new cohort", key="cohort_new_name",
                     placeholder="e.g. Arena ticket purchasers") if choice == NEW else choice
source = st.text_input("Where the list came from", key="cohort_source",
                       placeholder="e.g. Ticket agency export of purchasers, 24 May")
basis = st.selectbox("Lawful basis", list(LAWFUL_BASES), index=list(LAWFUL_BASES).index(DEFAULT_LAWFUL_BASIS),
                     format_func=LAWFUL_BASES.get, key="cohort_basis", disabled=choice != NEW,
                     help="Recorded with a new cohort; a later list added to it keeps the cohort's.")
upload = st.file_uploader("List (CSV or XLSX, first sheet)", type=["csv", "xlsx", "txt"],
                          help="Each person needs an email or a mobile. Names, the list's own reference, postcode "
                               "and date of birth are read when given; ticketing and casualty-bureau headers "
                               "(Order No, Purchaser First Name, E-mail, Phone Number, Post Code…) are understood.")

if upload is not None and st.button("Preview", type="primary"):
    data = upload.getvalue()
    report = call(import_cohort, incident_id, name, data, upload.name, source=source, lawful_basis=basis,
                  dry_run=True)
    st.session_state[PREVIEW_KEY] = (incident_id, name, source, basis, upload.name, data, report) if report else None

preview = st.session_state.get(PREVIEW_KEY)
if preview and preview[0] == incident_id:
    _, name, source, basis, filename, data, report = preview
    st.subheader(f"Preview of {md(filename)} into {md(name)}: would be {report.summary}")
    st.caption(f"{report.linked} already registered (linked, not duplicated); {report.under_18} under 18 "
               "(they get the children's check).")
    for note in report.notes:
        st.caption(md(note))
    if report.rejected:
        st.error(f"{len(report.rejected)} rows name no one who can be reached; the others still go in.")
        table([{"line": r.line, "reasons": "; ".join(r.reasons)} for r in report.rejected], empty="")
        st.download_button("Download the rejected rows with reasons (CSV)",
                           rejected_rows_csv(report.rejected).encode("utf-8-sig"), f"rejected-{filename}.csv",
                           "text/csv")
    if report.imported or report.merged:
        if st.button(f"Import into {md(name)}", type="primary"):
            done = call(import_cohort, incident_id, name, data, filename, source=source, lawful_basis=basis)
            if done is not None:
                st.session_state[PREVIEW_KEY] = None
                st.success(f"{md(filename)}: {done.summary}.")
    else:
        st.info("No one in this file can be reached.")
