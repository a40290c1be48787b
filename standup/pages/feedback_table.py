"""Victims' feedback on the governance page (its slot, which incident cannot fill itself): the same
figures and rule as the compliance report's. Streamlit only."""

import streamlit as st

from core.ui import read, table
from standup.compliance.render import FEEDBACK_HEADER, feedback_cells
from standup.compliance.report import incident_feedback


def governance_feedback(incident_id: int) -> None:
    st.markdown("**Victims' feedback** (surveys offered at discharge and at 6 months, by the month offered)")
    figures = read(lambda s, a: incident_feedback(s, a, incident_id))
    # Every figure as text: a column mixing counts and "fewer than 5" is not one Arrow type.
    table([dict(zip(("month", *FEEDBACK_HEADER), [line.group, *feedback_cells(line)], strict=True))
           for line in (figures.overall, *figures.by_month)] if figures.by_month else [],
          empty="No feedback survey has been offered in this incident yet.")
    st.caption("A count that could show how fewer than 5 people answered reads \"fewer than 5\"; one hidden so that "
               "it cannot be worked out reads \"suppressed\". What people wrote is kept on their record only.")
