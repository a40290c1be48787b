"""Governance, for the commissioner's office and the auditor: read-only, across incidents. The
commissioner's delegation; each incident's decision log (and whether it is intact); its
activations with the decisions that authorised each request and stand-down."""

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import read, slot, table
from incident.governance_queries import governance_overview, incident_governance
from incident.lifecycle import label
from incident.pages.authorised_by import authority_text
from incident.pages.decision_log_lines import draw_decision_log
from incident.pages.delegation_table import draw_delegations
from incident.plugin import GOVERNANCE_INCIDENT_SLOT

overview = read(governance_overview)
st.title("Governance")
st.caption("Read-only, across every incident. Each opening of these records is kept in the audit trail.")

st.header("The commissioner's delegation", divider="gray")
draw_delegations(overview.delegations, empty="No delegation is recorded. An administrator or Gold records "
                 "the commissioner's delegation.")

st.header("Incidents", divider="gray")
table([{"incident": i.name, "kind": "exercise" if i.is_exercise else "live", "status": label(i.status),
        "declared": i.declared_on.strftime("%d/%m/%Y") if i.declared_on else "",
        "decision-log entries": i.decisions, "requests and stand-downs": i.authorised_steps,
        "naming their decision": i.steps_naming_a_decision} for i in overview.incidents],
      empty="No incident yet.")
if not overview.incidents:
    st.stop()

names = {i.id: f"{'EXERCISE · ' if i.is_exercise else ''}{i.name} ({label(i.status)})" for i in overview.incidents}
incident_id = st.selectbox("Incident", list(names), format_func=names.__getitem__, key="governance_incident")
record = read(lambda s, a: incident_governance(s, a, incident_id))

st.subheader(md(names[incident_id]))
d = record.delegation
if d is None:
    st.warning("No delegation of the commissioner was in force on the day this incident was declared.",
               icon=":material/gavel:")
else:
    st.markdown(f"Stood up under **{md(d.document_reference)}**: {md(d.delegated_by)} delegated to "
                f"{md(d.delegated_to)}, from {d.effective_from:%d/%m/%Y}: {md(d.scope)}")

st.markdown("**Activations**")
table([{"service": card.service, "lead agency": card.lead_agency, "step": label(step.stage),
        "when": show(step.at, "%d %b %H:%M"), "by": step.by, "authority": authority_text(step)}
       for card in record.activations for step in card.authorised_steps],
      empty="No service was activated in this incident.")

slot(GOVERNANCE_INCIDENT_SLOT, incident_id)

st.markdown("**Decision log**")
check = record.log_check
if check.intact:
    st.success(f"Intact: none of its {len(record.log)} entries was changed or removed.", icon=":material/verified:")
else:
    st.error("The decision log has been tampered with outside Stand Up.  \n"
             + "  \n".join(check.findings("entry", "entries")))
draw_decision_log(record.log)
