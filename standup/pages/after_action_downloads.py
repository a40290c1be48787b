"""The after-action report to take away, on the governance page (the commissioner's office, the
auditor) and on Gold's page, beside what the domains draw there. Streamlit only."""

from __future__ import annotations

import streamlit as st

from rosters.pages.contributions_table import governance_contributions
from standup.after_action.export_service import export_after_action
from standup.after_action.render import FORMATS
from standup.pages.feedback_table import governance_feedback
from standup.pages.report_downloads import report_downloads
from standup.pages.sitrep_downloads import sitrep_downloads

DEFAULT_RECIPIENT = "Police and Crime Commissioner's office"


def after_action_downloads(incident_id: int) -> None:
    st.markdown("**After-action report**")
    report_downloads(incident_id, kind="after-action", export=export_after_action, formats=FORMATS,
                     recipient=DEFAULT_RECIPIENT, button="Make the after-action report",
                     caption="The timeline against its decisions, staffing asked and given per agency, how quickly "
                             "hub shifts and call-outs were staffed, referrals, people reached, screens, complaints.")


def governance_incident(incident_id: int) -> None:
    """The governance page's slot: rosters' contributions, victims' feedback, then the after-action report."""
    governance_contributions(incident_id)
    governance_feedback(incident_id)
    after_action_downloads(incident_id)


def gold_reports(incident_id: int) -> None:
    """Gold's page's slot: the situation report, then the after-action report."""
    sitrep_downloads(incident_id)
    after_action_downloads(incident_id)
