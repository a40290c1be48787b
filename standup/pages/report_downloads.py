"""A report to take away (the situation report, the after-action report): who it is for (the audit
trail records each as a disclosure, with its recipient), the format, then the file. The report is
made when asked for, so it is current, and a refusal shows like any other. Streamlit only."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.clock import now, show
from core.inert_text import md
from core.ui import call

MIME = {"md": "text/markdown", "json": "application/json", "csv": "text/csv", "pdf": "application/pdf"}


def report_downloads(incident_id: int, *, kind: str, export: Callable[..., bytes], formats: tuple[str, ...],
                     recipient: str, caption: str = "", button: str = "Make the report") -> None:
    """`kind` names the report in keys and file names ("sitrep"); `export(session, actor, incident_id,
    fmt, recipient=…)` makes it."""
    made_key = f"{kind}_made_{incident_id}"
    with st.form(f"{kind}_{incident_id}"):
        left, right = st.columns([3, 2])
        who = left.text_input("For (recorded in the audit trail)", value=recipient, max_chars=200,
                              key=f"{kind}_recipient_{incident_id}")
        fmt = right.radio("Format", formats, format_func=str.upper, horizontal=True, index=formats.index("pdf"),
                          key=f"{kind}_format_{incident_id}")
        if caption:
            st.caption(caption)
        if st.form_submit_button(button, icon=":material/description:"):
            data = call(export, incident_id, fmt, recipient=who)
            if data is not None:
                st.session_state[made_key] = (fmt, data, now(), " ".join(who.split()))
    if made := st.session_state.get(made_key):
        fmt, data, at, who = made
        st.download_button(f"Download {fmt.upper()}, made {show(at, '%H:%M')} for {md(who)}", data,
                           file_name=f"{kind}-incident-{incident_id}-{show(at, '%Y%m%d-%H%M')}.{fmt}",
                           mime=MIME[fmt], icon=":material/download:", type="primary", on_click="ignore",
                           key=f"{kind}_download_{incident_id}")
