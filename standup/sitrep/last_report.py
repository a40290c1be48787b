"""The last report made: where "since the last report" starts, and the counts it gave.

A report is *made* when someone exports it (`export_sitrep`: the CLI or a download on Gold's
page), which writes the audit event export/sitrep naming its recipient, with the format and the
counts the report gave as its detail ("pdf · counts reported: {json}"). The audit trail is the
record of what was disclosed to whom, so it is where the counts belong: aggregates only, never a
person, and hash-chained, so the "+3 since the last report" on the next report is measured against
figures nobody can have changed since. Nothing is recomputed "as of" the last report: most counts
(open cases, messages waiting, screens awaiting review) keep no history to recompute them from.

The last report is the newest such event for the incident made more than SAME_REPORT_WINDOW before
now, because downloading the PDF and the CSV a few minutes apart is one report for one meeting,
not two. A report made before reports kept their counts gives its time but no counts.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.model import AuditEvent
from core.clock import as_utc
from standup.sitrep.report import PreviousReport

SAME_REPORT_WINDOW = timedelta(minutes=30)
_COUNTS = " · counts reported: "


def report_detail(fmt: str, counts: dict[str, dict[str, int]]) -> str:
    """The export event's detail: the format, then the counts by section and label."""
    return fmt + _COUNTS + json.dumps(counts, ensure_ascii=False, separators=(",", ":"))


def counts_in(detail: str) -> dict[tuple[str, str], int] | None:
    """The counts an export event's detail recorded, keyed (section, label); None when it holds none."""
    _, found, counts = detail.partition(_COUNTS)
    if not found:
        return None
    return {(section, label): n for section, by_label in json.loads(counts).items() for label, n in by_label.items()}


def last_report(session: Session, incident_id: int, at: datetime) -> PreviousReport | None:
    """The report made before this one (see the module's note), or None if none was."""
    row = session.execute(
        select(AuditEvent.at, AuditEvent.detail)
        .where(AuditEvent.action == "export", AuditEvent.entity == "sitrep", AuditEvent.incident_id == incident_id,
               AuditEvent.at <= at - SAME_REPORT_WINDOW)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1)).first()
    return None if row is None else PreviousReport(as_utc(row.at), counts_in(row.detail))
