"""Urgent safety alerts reach the duty clinician through the notifications outbox (the composition
layer joins the two domains, so neither imports the other)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from notifications.outbox_service import queue_sms


class OutboxClinicianPager:
    """pathways.safety_alert_sweep.ClinicianPager backed by the SMS outbox."""

    def page(self, session: Session, *, incident_id: int, mobile: str, body: str) -> None:
        # No validity period: an alert text that arrives late still sends the clinician to Stand Up.
        queue_sms(session, to=mobile, body=body, purpose="safety_alert", incident_id=incident_id)
