"""What several rosters pages share: the current incident, London times in and out, and the
words a refusal's rules are shown with. Streamlit only."""

from __future__ import annotations

from datetime import date, datetime, time

import streamlit as st

from core.clock import LONDON
from core.ui import current_incident_id


def incident_or_stop() -> int:
    incident_id = current_incident_id()
    if incident_id is None:
        st.info("Choose an incident in the sidebar first.")
        st.stop()
    return incident_id


def london_moment(day: date, at: time) -> datetime:
    """A date and time as typed on the page (Europe/London) as an aware datetime."""
    return datetime.combine(day, at, tzinfo=LONDON)


def reasons(violations) -> str:
    return "; ".join(v.reason for v in violations)
