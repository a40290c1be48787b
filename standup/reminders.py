"""Pathways' screening reminders go out through the notifications outbox (the composition layer
joins the two domains, so neither imports the other)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from notifications.outbox_service import queue_sms


class OutboxReminders:
    """pathways.follow_up_sweep.ReminderSender backed by the SMS outbox."""

    def send(self, session: Session, *, incident_id: int, mobile: str, body: str) -> None:
        # A reminder that arrives days late is still useful, so no short validity period here.
        queue_sms(session, to=mobile, body=body, purpose="reminder", incident_id=incident_id)
