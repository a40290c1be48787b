"""The feedback survey's figures by month, as a table: the governance page draws it through its
slot (incident cannot import outreach)."""

import streamlit as st

from core.ui import read, table
from outreach.feedback_queries import feedback_for_governance


def governance_feedback(incident_id: int) -> None:
    st.markdown("**Victims' feedback** (surveys offered at discharge and at 6 months, by the month offered)")
    # Every figure as text: a column mixing counts and "fewer than 5" is not one Arrow type.
    table([{"month": m.month, "offered": str(m.offered), "answered": str(m.answered), "satisfied": str(m.satisfied),
            "satisfied, of those answering": m.satisfied_rate, "kept informed": str(m.kept_informed),
            "treated with respect": str(m.treated_with_respect)}
           for m in read(lambda s, a: feedback_for_governance(s, a, incident_id))],
          empty="No feedback survey has been offered in this incident yet.")
    st.caption("Counts from 1 to 4, and any that would let one be worked out, are shown as \"fewer than 5\". "
               "What people wrote is kept on their record only.")
