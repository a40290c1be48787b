"""What the provider tells us about a text we sent: a status callback recorded on its outbox row.

Called by the webhook route once Twilio's signature is checked and the form read; no actor,
as for an inbound SMS (notifications.inbound_service): the provider is not a person. The
rules (which status wins, when a lost send is reconciled) are notifications.delivery_rules'.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.delivery_rules import awaits_provider_sid
from notifications.model import OutboundMessage, OutboundStatus
from notifications.outbox_service import set_status

log = logging.getLogger("standup.notifications.delivery")


def record_status_callback(session: Session, sid: str, status: OutboundStatus, error_code: int | None,
                           message_id: int | None = None, note: str = "") -> bool:
    """Record that the message the provider knows as `sid` reached `status`; True when its row
    changed. Idempotent: a repeat, or a status that would move the row backwards, changes
    nothing. `message_id` is our reference the callback carries: a row whose send outcome was
    lost takes the SID from it. `note`: what the provider said, for the board (a call nobody answered)."""
    message = session.scalar(select(OutboundMessage).where(OutboundMessage.provider_sid == sid)
                             .with_for_update(key_share=True))
    if message is None and message_id is not None:
        message = _reconciled(session, message_id, sid)
    if message is None:
        log.info("status callback for an unknown message SID ignored")
        return False
    return set_status(session, message, status, "callback", error_code=error_code,
                      note=note or (f"Twilio error {error_code}" if error_code is not None else ""))


def _reconciled(session: Session, message_id: int, sid: str) -> OutboundMessage | None:
    """The row `message_id`, given the provider's `sid`, when its send outcome was lost (the
    dispatcher was killed after Twilio took it); None otherwise."""
    candidate = session.get(OutboundMessage, message_id, with_for_update={"key_share": True})
    if candidate is None or not awaits_provider_sid(candidate.status, candidate.provider_sid):
        return None
    candidate.provider_sid = sid
    return candidate
