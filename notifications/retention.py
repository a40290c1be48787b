"""How long SMS content is kept. The traffic record (when, status, call-out) stays for the
inquiry; the text and the phone number go after the period (default 90 days)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.retention import RetentionRule
from notifications.model import InboundMessage, OutboundMessage

ERASED = "[erased]"


def _outbound_due(session: Session, cutoff: datetime) -> list[int]:
    return list(session.scalars(select(OutboundMessage.id).where(
        OutboundMessage.created_at < cutoff, OutboundMessage.body != ERASED)))


def _outbound_anonymise(session: Session, ids: Sequence[int]) -> None:
    session.execute(update(OutboundMessage).where(OutboundMessage.id.in_(ids)).values(body=ERASED, to_mobile=ERASED))


def _inbound_due(session: Session, cutoff: datetime) -> list[int]:
    return list(session.scalars(select(InboundMessage.id).where(
        InboundMessage.received_at < cutoff, InboundMessage.body != ERASED)))


def _inbound_anonymise(session: Session, ids: Sequence[int]) -> None:
    session.execute(update(InboundMessage).where(InboundMessage.id.in_(ids)).values(
        body=ERASED, from_mobile=ERASED, to_number="", reply_text=""))


RETENTION = (
    RetentionRule("sms_sent", 90, "anonymised", "text and number of SMS sent, from when they were queued",
                  _outbound_due, _outbound_anonymise),
    RetentionRule("sms_received", 90, "anonymised", "text and number of SMS received, from when they arrived",
                  _inbound_due, _inbound_anonymise),
)
