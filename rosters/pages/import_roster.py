"""Upload an agency's roster (CSV or XLSX): a preview of what would change, then the import.
Coordinators import for their own agency only."""

import streamlit as st

from core.inert_text import md
from core.rejected_rows import rejected_rows_csv
from core.ui import call, read, table
from rosters.import_service import agency_choices, import_roster

PREVIEW_KEY = "roster_import_preview"

st.title("Import a roster")
agencies = read(agency_choices)
if not agencies:
    st.info("No partner agencies yet; an administrator adds them on the Agencies page.")
    st.stop()
agency = st.selectbox("Agency", agencies, format_func=lambda a: a.name)
upload = st.file_uploader("Roster file", type=["csv", "xlsx", "txt"],
                          help="First sheet of an XLSX, or CSV. Needs staff ref, first name, surname, mobile, role; "
                               "give dbs_level (basic, standard, enhanced) and dbs_expiry too: without a DBS level "
                               "nobody can be placed on a shift. An optional contact_by column says how a "
                               "call-out reaches each person: SMS only (never phoned), SMS then call, or call "
                               "first; left blank, what is recorded stays.")

if upload is not None and st.button("Preview", type="primary"):
    data = upload.getvalue()
    report = call(import_roster, agency.id, data, upload.name, dry_run=True)
    st.session_state[PREVIEW_KEY] = (agency.id, upload.name, data, report) if report else None

preview = st.session_state.get(PREVIEW_KEY)
if preview and preview[0] == agency.id:
    agency_id, filename, data, report = preview
    st.subheader(f"Preview of {md(filename)}: would be {report.summary}, unchanged {report.unchanged}")
    changes = [c for c in report.changes if c.action != "unchanged"]
    if changes:
        table([{"line": c.line, "ref": c.staff_ref, "name": c.name, "change": c.action,
                "fields": ", ".join(c.fields)} for c in changes],
              empty="No changes: every row matches the roster as it is.")
    for warning in report.warnings:
        st.warning(md(warning))
    if report.rejected:
        st.error(f"{len(report.rejected)} rows cannot go in; the good rows still can.")
        table([{"line": r.line, "reasons": "; ".join(r.reasons)} for r in report.rejected],
              empty="No rows rejected.")
        st.download_button("Download the rejected rows with reasons (CSV)",
                           rejected_rows_csv(report.rejected).encode("utf-8-sig"), f"rejected-{filename}.csv",
                           "text/csv")
    if report.imported or report.updated:
        if st.button(f"Import {report.imported + report.updated} rows", type="primary"):
            done = call(import_roster, agency_id, data, filename)
            if done is not None:
                st.session_state[PREVIEW_KEY] = None
                st.success(f"{md(filename)}: {done.summary}.")
    else:
        st.info("Nothing in this file would change the roster.")
