"""The console gateway's other half: replies typed on the outbox page go to `handle_inbound`,
exactly as Twilio's webhook would deliver them."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.errors import InputError
from core.phone import normalise_mobile
from core.settings import get_settings
from notifications.inbound_service import InboundResult, handle_inbound
from notifications.model import CallOut, CallOutRecipient, CallOutStatus, InboundMessage, RecipientState

CONSOLE_NUMBER = "console"


def type_reply(session: Session, actor: Actor, sender: str, body: str) -> InboundResult:
    """A reply typed on the console as if `sender` had sent it."""
    require(actor, Permission.CALLOUT_RUN)
    if get_settings().sms_backend != "console":
        raise InputError("Replies come from Twilio on this server; the console is for SMS_BACKEND=console.")
    try:
        mobile = normalise_mobile(sender)
    except ValueError as exc:
        raise InputError(f"Reply from which mobile? {exc}.") from None
    result = handle_inbound(session, sid=f"SMconsole{uuid.uuid4().hex[:23]}", from_=mobile, to=CONSOLE_NUMBER,
                            body=body or "")
    record(session, actor, "console_reply", "inbound_message", result.message_id, detail="typed on the console")
    return result


def inbound_messages(session: Session, actor: Actor, incident_id: int | None, *, limit: int = 200,
                     attention_only: bool = False) -> list[InboundMessage]:
    """Replies for the incident plus those matched to none (unknown senders, unreadable), newest first.
    Affected people's messages are their support team's, never the hub manager's: left out, and so
    are messages the worker has not read yet (it cannot yet tell whose they are)."""
    require(actor, Permission.OUTBOX_VIEW)
    q = select(InboundMessage).where((InboundMessage.incident_id == incident_id) | InboundMessage.incident_id.is_(None),
                                     InboundMessage.sender_kind != "person",
                                     InboundMessage.processed_at.is_not(None))  # unread: maybe a person's
    if attention_only:
        q = q.where(InboundMessage.needs_attention.is_(True))
    rows = list(session.scalars(q.order_by(InboundMessage.id.desc()).limit(limit)))
    record(session, actor, "view", "inbound_message", incident_id=incident_id, detail=f"{len(rows)} rows")
    return rows


def mark_dealt_with(session: Session, actor: Actor, inbound_id: int) -> InboundMessage:
    """A person has read a reply that needed them; it leaves the attention list, the record stays."""
    require(actor, Permission.CALLOUT_RUN)
    message = session.get(InboundMessage, inbound_id)
    if message is None:
        raise InputError(f"No reply {inbound_id}.")
    if not message.needs_attention:
        raise InputError("That reply was already marked as dealt with.")
    message.needs_attention = False
    record(session, actor, "dealt_with", "inbound_message", message.id, incident_id=message.incident_id)
    return message


def codes_awaiting_reply(session: Session, actor: Actor, mobile: str) -> list[str]:
    """The codes of open call-outs that asked this number and have no answer from it yet, newest
    first: what the console suggests replying with, so a typed reply quotes a code really sent."""
    require(actor, Permission.CALLOUT_RUN)
    return list(session.scalars(
        select(CallOut.code).join(CallOutRecipient, CallOutRecipient.callout_id == CallOut.id)
        .where(CallOutRecipient.mobile == mobile, CallOutRecipient.state == RecipientState.ASKED.value,
               CallOut.status == CallOutStatus.OPEN.value)
        .order_by(CallOut.id.desc())))
