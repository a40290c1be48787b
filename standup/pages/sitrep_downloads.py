"""The situation report to take away, on Gold's dashboard and on Gold's page. Streamlit only."""

from __future__ import annotations

from standup.pages.report_downloads import report_downloads
from standup.sitrep.figures import DEFAULT_RECIPIENT, export_sitrep
from standup.sitrep.last_report import SAME_REPORT_WINDOW
from standup.sitrep.render import FORMATS


def sitrep_downloads(incident_id: int) -> None:
    report_downloads(
        incident_id, kind="sitrep", export=export_sitrep, formats=FORMATS, recipient=DEFAULT_RECIPIENT,
        caption="\"Since the last report\" (decisions, handovers, the change in each figure) counts from the last "
                f"report made more than {SAME_REPORT_WINDOW.seconds // 60} minutes earlier; each report made keeps "
                "its figures for the next.")
