"""How long message content is kept, per channel. The traffic record (when, status, call-out)
stays for the inquiry; the text and the address go after the period (default 90 days)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.retention import RetentionRule
from notifications.channels import channels
from notifications.model import InboundMessage, OutboundMessage

ERASED = "[erased]"


def _outbound_due(channel: str):
    def due(session: Session, cutoff: datetime) -> list[int]:
        return list(session.scalars(select(OutboundMessage.id).where(
            OutboundMessage.channel == channel, OutboundMessage.created_at < cutoff, OutboundMessage.body != ERASED)))

    return due


def _outbound_anonymise(session: Session, ids: Sequence[int]) -> None:
    session.execute(update(OutboundMessage).where(OutboundMessage.id.in_(ids)).values(
        body=ERASED, destination=ERASED, subject=None, payload=None))


def _inbound_due(session: Session, cutoff: datetime) -> list[int]:
    return list(session.scalars(select(InboundMessage.id).where(
        InboundMessage.received_at < cutoff, InboundMessage.body != ERASED)))


def _inbound_anonymise(session: Session, ids: Sequence[int]) -> None:
    session.execute(update(InboundMessage).where(InboundMessage.id.in_(ids)).values(
        body=ERASED, sender=ERASED, to_number="", reply_text="", pending_body=None))


RETENTION = (
    *(RetentionRule(kind.retention, 90, "anonymised",
                    f"text and address of each {kind.title} sent, from when it was queued",
                    _outbound_due(name), _outbound_anonymise) for name, kind in channels().items()),
    RetentionRule("sms_received", 90, "anonymised",
                  "text and number of SMS received (and keys pressed on calls), from when they arrived",
                  _inbound_due, _inbound_anonymise),
)
