"""The situation report to take away, on Gold's dashboard and on Gold's page: who it is for (the
audit trail records each report as a disclosure, with its recipient), the format, then the file.
The report is made when asked for, so it is current, and a refusal shows like any other.
Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.clock import now, show
from core.inert_text import md
from core.ui import call
from standup.sitrep.figures import DEFAULT_RECIPIENT, export_sitrep
from standup.sitrep.last_report import SAME_REPORT_WINDOW
from standup.sitrep.render import FORMATS

MIME = {"md": "text/markdown", "json": "application/json", "csv": "text/csv", "pdf": "application/pdf"}


def sitrep_downloads(incident_id: int) -> None:
    made_key = f"sitrep_made_{incident_id}"
    with st.form(f"sitrep_{incident_id}"):
        left, right = st.columns([3, 2])
        recipient = left.text_input("For (recorded in the audit trail)", value=DEFAULT_RECIPIENT, max_chars=200,
                                    key=f"sitrep_recipient_{incident_id}")
        fmt = right.radio("Format", FORMATS, format_func=str.upper, horizontal=True, index=FORMATS.index("pdf"),
                          key=f"sitrep_format_{incident_id}")
        st.caption("\"Since the last report\" (decisions, handovers, the change in each figure) counts from the last "
                   f"report made more than {SAME_REPORT_WINDOW.seconds // 60} minutes earlier; each report made keeps "
                   "its figures for the next.")
        if st.form_submit_button("Make the report", icon=":material/description:"):
            data = call(export_sitrep, incident_id, fmt, recipient=recipient)
            if data is not None:
                st.session_state[made_key] = (fmt, data, now(), " ".join(recipient.split()))
    if made := st.session_state.get(made_key):
        fmt, data, at, recipient = made
        st.download_button(f"Download {fmt.upper()}, made {show(at, '%H:%M')} for {md(recipient)}", data,
                           file_name=f"sitrep-incident-{incident_id}-{show(at, '%Y%m%d-%H%M')}.{fmt}",
                           mime=MIME[fmt], icon=":material/download:", type="primary", on_click="ignore",
                           key=f"sitrep_download_{incident_id}")
