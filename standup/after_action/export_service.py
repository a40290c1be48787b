"""Making the after-action report to take away: a disclosure, so its recipient is recorded in the
audit trail with the incident and the format (DPA 2018 s.62), like the situation report."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.audit.service import disclosure_recipient, record
from core.auth.roles import Actor, Permission, require
from core.errors import InputError
from standup.after_action.render import FORMATS, render
from standup.after_action.report import build_after_action


def export_after_action(session: Session, actor: Actor, incident_id: int, fmt: str, *, recipient: str) -> bytes:
    """The report as md or pdf, for `recipient`; Gold, the auditor and the commissioner's office make it."""
    if not actor.can(Permission.GOVERNANCE_VIEW):
        require(actor, Permission.SITREP_VIEW)
    if fmt not in FORMATS:
        raise InputError(f"Unknown report format {fmt!r}; allowed: {', '.join(FORMATS)}.")
    recipient = disclosure_recipient(recipient, "the after-action report")
    report = build_after_action(session, actor, incident_id, recipient=recipient)
    data = render(report, fmt)
    record(session, actor, "export", "after_action", incident_id, incident_id=incident_id,
           detail=f"{fmt}: {len(report.timeline)} timeline steps, {len(report.staffing)} agencies",
           recipient=recipient)
    return data
