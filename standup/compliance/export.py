"""The compliance report leaving Stand Up (`standup compliance`, the Compliance page's download): a
disclosure, so its audit row names the recipient (DPA 2018 s.62) and keeps the overall figures given."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core.audit.service import disclosure_recipient, record
from core.auth.roles import Actor, Permission, require
from core.errors import InputError
from standup.compliance.render import FORMATS, render
from standup.compliance.report import build_compliance, scope_key


def export_compliance(session: Session, actor: Actor, fmt: str, *, recipient: str, incident_id: int | None = None,
                      start: date | None = None, end: date | None = None) -> bytes:
    require(actor, Permission.COMPLIANCE_VIEW)
    if fmt not in FORMATS:
        raise InputError(f"Unknown report format {fmt!r}; allowed: {', '.join(FORMATS)}.")
    recipient = disclosure_recipient(recipient, "the compliance report")
    report = build_compliance(session, incident_id, start, end)
    data = render(report, fmt, recipient)
    record(session, actor, "export", "compliance", scope_key(incident_id, start, end), incident_id=incident_id,
           recipient=recipient, detail=f"{fmt}: {report.counts()}"[:2000])
    return data
