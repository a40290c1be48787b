"""The worker's urgent-alert sweep: text each open alert to its incident's duty clinician, and
escalate (text again) the ones not acknowledged within the incident's escalation time.

Texts leave through the `ClinicianPager` the composition layer builds at start-up (the
notifications outbox). An incident with no duty clinician gets no text: every pathways page and
Gold's dashboard say so instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor
from core.clock import now
from incident.queries import incident_names
from pathways.clinicians import Duty, duty_for
from pathways.model import SafetyAlert
from pathways.safety_alert_rules import clinician_alert_text, escalation_due

BATCH = 200
WAKE_TOPIC = "safety_alert"  # a screening that raises an alert wakes the worker's sweep at once


class ClinicianPager(Protocol):
    def page(self, session: Session, *, incident_id: int, mobile: str, body: str) -> None:
        """Queue one SMS to a clinician in `session` (the sweep's unit of work), so the text and
        the alert's notified_at commit together or not at all."""


@dataclass(frozen=True)
class AlertSweepResult:
    texted: int
    escalated: int


def sweep_safety_alerts(session: Session, pager: ClinicianPager) -> AlertSweepResult:
    """Safe to run at any time: an alert is texted once per assignment and escalated once."""
    actor = Actor.system("safety-alerts")
    at = now()
    q = (select(SafetyAlert).where(SafetyAlert.acknowledged_at.is_(None)).order_by(SafetyAlert.raised_at)
         .limit(BATCH))
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(key_share=True, skip_locked=True)  # two workers never text twice
    alerts = list(session.scalars(q))
    names = incident_names(session, {a.incident_id for a in alerts})
    duties: dict[int, Duty] = {}
    texted = escalated = 0
    for alert in alerts:
        if alert.incident_id not in duties:
            duties[alert.incident_id] = duty_for(session, alert.incident_id)
        duty = duties[alert.incident_id]
        if alert.escalated_at is None and escalation_due(alert.raised_at, duty.escalate_after_minutes, at):
            alert.escalated_at, alert.notified_at = at, None  # the duty clinician hears it again
            escalated += 1
            record(session, actor, "escalate", "safety_alert", alert.id, incident_id=alert.incident_id,
                   detail=f"not acknowledged within {duty.escalate_after_minutes} minutes")
        if not duty.named or alert.notified_at is not None:
            continue
        alert.assigned_to_id = duty.clinician_id
        body = clinician_alert_text(
            names[alert.incident_id], escalated_after_minutes=duty.escalate_after_minutes if alert.escalated_at else None)
        pager.page(session, incident_id=alert.incident_id, mobile=duty.mobile, body=body)
        alert.notified_at = at
        texted += 1
        record(session, actor, "notify", "safety_alert", alert.id, incident_id=alert.incident_id,
               recipient=f"duty clinician (user {duty.clinician_id}, SMS)",
               detail="fields: notified_at (no victim data in the text)" + ("; escalated" if alert.escalated_at else ""))
    return AlertSweepResult(texted, escalated)
