"""An incident's decision log as read on a page, struck-through entries and all: Gold's page and
the governance page share it."""

import streamlit as st

from core.clock import show
from core.inert_text import md
from incident.decision_service import LogLine


def draw_decision_log(log: list[LogLine]) -> None:
    for line in log:
        e = line.entry
        when = f"decided {show(e.decided_at)}, recorded {show(e.recorded_at)} by {md(e.recorded_by_name)}"
        text = f"**{e.sequence}.** {md(e.decision)} — *{md(e.decision_maker)}*"
        if line.corrected_by:
            text = f"~~{text}~~ *(struck through by entry {line.corrected_by})*"
        details = [f"Rationale: {md(e.rationale)}"]
        if e.options_considered:
            details.append(f"Options considered and rejected: {md(e.options_considered)}")
        if line.corrects:
            details.append(f"Corrects entry {line.corrects}: {md(e.correction_reason)}")
        if e.late_reason:
            details.append(f"Recorded late: {md(e.late_reason)}")
        st.markdown(f"{text}  \n{when}  \n" + "  \n".join(details))
    if not log:
        st.caption("No decisions logged yet.")
