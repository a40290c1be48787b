"""Victims' Code compliance, for the commissioner's office, Gold and the auditor: read-only, across
incidents and a period, small numbers suppressed; each reading audited, each report taken away a
disclosure with its recipient. Streamlit only."""

import streamlit as st

from core.clock import now, show
from core.inert_text import md
from core.ui import call, read, table
from standup.compliance.export import export_compliance
from standup.compliance.render import (
    FEEDBACK_HEADER,
    FEEDBACK_TITLE,
    FORMATS,
    feedback_cells,
    period_text,
    rate_text,
)
from standup.compliance.report import BREAKDOWNS, MEASURES, Line, compliance_report

MIME = {"md": "text/markdown", "json": "application/json", "csv": "text/csv", "pdf": "application/pdf"}
DEFAULT_RECIPIENT = "Office of the Police and Crime Commissioner"


def _row(first: str, line: Line, name: str) -> dict:
    return {first: name, **{m: str(getattr(line, m)) for m in MEASURES}, "rate met": rate_text(line.rate)}


st.title("Victims' Code compliance")
st.caption("Read-only, across incidents. A figure that could show how fewer than 5 people fared reads \"fewer than "
           "5\"; one hidden so that it cannot be worked out reads \"suppressed\". Each reading is kept in the audit "
           "trail.")
left, right = st.columns(2)
start = left.date_input("From", value=None, format="DD/MM/YYYY", key="compliance_from")
end = right.date_input("To (included)", value=None, format="DD/MM/YYYY", key="compliance_to")
incident_id = st.session_state.get("compliance_incident")
report = read(lambda s, a: compliance_report(s, a, incident_id, start, end))

names = {None: "Every live incident (every exercise when there is none)",
         **{c.id: f"{'EXERCISE · ' if c.is_exercise else ''}{c.name}" for c in report.choices}}
st.selectbox("Incidents", list(names), format_func=names.__getitem__, key="compliance_incident")
st.markdown(f"**{report.marking}**: {md(', '.join(name for _, name in report.incidents) or 'no incident yet')}, "
            f"{period_text(report)}.")

st.header("Every measured right", divider="gray")
table([_row("right", f.overall, f.right.title) for f in report.rights], empty="Nothing to measure yet.")

st.header("Breakdowns", divider="gray")
headings = dict(BREAKDOWNS)
breakdown = st.radio("Show", list(headings), format_func=headings.__getitem__, horizontal=True,
                     key="compliance_breakdown")
for f in report.rights:
    st.subheader(f.right.title)
    st.caption(f"Met: {f.right.measure}.")
    group = headings[breakdown].removeprefix("By ")
    table([_row(group, line, line.group) for line in f.breakdowns[breakdown]], empty="No case in this period.")

st.header(FEEDBACK_TITLE, divider="gray")
st.caption("The satisfaction survey people are offered at discharge and 6 months after registration, by the month "
           "it was offered. What anyone wrote is only on their own record.")
table([dict(zip(("month", *FEEDBACK_HEADER), [line.group, *feedback_cells(line)], strict=True))
       for line in (report.feedback.overall, *report.feedback.by_month)], empty="No survey sent in this period.")

with st.expander("How these figures are made"):
    for note in report.notes:
        st.markdown(f"- {md(note)}")

st.header("Take the report away", divider="gray")
with st.form("compliance_report"):
    left, right = st.columns([3, 2])
    recipient = left.text_input("For (recorded in the audit trail)", value=DEFAULT_RECIPIENT, max_chars=200)
    fmt = right.radio("Format", FORMATS, format_func=str.upper, horizontal=True, index=FORMATS.index("pdf"))
    if st.form_submit_button("Make the report", icon=":material/description:"):
        data = call(export_compliance, fmt, recipient=recipient, incident_id=incident_id, start=start, end=end)
        if data is not None:
            st.session_state["compliance_made"] = (fmt, data, now(), " ".join(recipient.split()))
if made := st.session_state.get("compliance_made"):
    fmt, data, at, recipient = made
    st.download_button(f"Download {fmt.upper()}, made {show(at, '%H:%M')} for {md(recipient)}", data,
                       file_name=f"victims-code-compliance-{show(at, '%Y%m%d-%H%M')}.{fmt}", mime=MIME[fmt],
                       icon=":material/download:", type="primary", on_click="ignore")
