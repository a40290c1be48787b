"""The outbox: every SMS is a row before anything is sent, and every change of its status is
kept. Other notification services queue through here; the dispatcher sends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from incident.queries import is_exercise
from notifications.delivery_rules import moves_forward
from notifications.exercise_texts import as_sent
from notifications.model import OptOut, OutboundMessage, OutboundStatus, OutboundStatusEvent
from notifications.retention import ERASED
from notifications.segments import measure

MAX_SEGMENTS = 6  # a call-out is a few lines; anything longer is a mistake in the template


def is_opted_out(session: Session, mobile: str) -> bool:
    return bool(session.scalar(select(OptOut.opted_out).where(OptOut.mobile == mobile)))


def set_status(session: Session, message: OutboundMessage, status: OutboundStatus, source: str, *,
               error_code: int | None = None, note: str = "") -> bool:
    """Move a message to `status` unless that would move it backwards; True when it moved."""
    if not moves_forward(message.status, status):
        return False
    message.status = status.value
    message.status_at = now()
    if error_code is not None:
        message.error_code = error_code
    if note:
        message.error_text = note[:300]
    session.add(OutboundStatusEvent(message_id=message.id, status=status.value, at=now(), source=source,
                                    error_code=error_code, note=note[:300]))
    return True


def queue_sms(session: Session, *, to: str, body: str, purpose: str, incident_id: int | None,
              callout_id: int | None = None, mobilisation_id: int | None = None,
              validity_seconds: int | None = None, due_at: datetime | None = None) -> OutboundMessage:
    """One message into the outbox. A number that opted out gets a row marked blocked, so the
    board shows why that person was not asked."""
    body = as_sent(body.strip(), is_exercise=is_exercise(session, incident_id))
    info = measure(body)
    if info.segments == 0:
        raise InputError("A message needs some text.")
    if info.segments > MAX_SEGMENTS:
        raise InputError(f"This message is {info.segments} SMS segments ({info.encoding}); "
                         f"keep it to {MAX_SEGMENTS} or fewer.")
    message = OutboundMessage(
        incident_id=incident_id, to_mobile=to, body=body, segments=info.segments, purpose=purpose,
        callout_id=callout_id, mobilisation_id=mobilisation_id, validity_seconds=validity_seconds,
        status=OutboundStatus.PENDING.value, due_at=due_at or now(), created_at=now(), status_at=now(),
    )
    session.add(message)
    session.flush()
    session.add(OutboundStatusEvent(message_id=message.id, status=message.status, at=now(), source="outbox"))
    if is_opted_out(session, to):
        set_status(session, message, OutboundStatus.BLOCKED, "outbox", error_code=21610,
                   note="not sent: this number has opted out (STOP)")
    return message


def cancel_pending(session: Session, *, callout_id: int, reason: str) -> int:
    """Withdraw a call-out's messages that have not gone yet; how many."""
    rows = session.scalars(select(OutboundMessage).where(
        OutboundMessage.callout_id == callout_id, OutboundMessage.status == OutboundStatus.PENDING.value))
    return sum(set_status(session, m, OutboundStatus.CANCELLED, "outbox", note=reason) for m in rows)


def outbox_messages(session: Session, actor: Actor, incident_id: int | None, *, limit: int = 200,
                    callout_id: int | None = None) -> list[OutboundMessage]:
    """Newest first, for the outbox page and the board."""
    require(actor, Permission.OUTBOX_VIEW)
    q = select(OutboundMessage).where(OutboundMessage.incident_id == incident_id)
    if callout_id is not None:
        q = q.where(OutboundMessage.callout_id == callout_id)
    rows = list(session.scalars(q.order_by(OutboundMessage.id.desc()).limit(limit)))
    record(session, actor, "view", "sms_outbound", incident_id=incident_id, detail=f"{len(rows)} rows")
    return rows


def status_history(session: Session, actor: Actor, message_id: int) -> list[OutboundStatusEvent]:
    require(actor, Permission.OUTBOX_VIEW)
    return list(session.scalars(select(OutboundStatusEvent).where(OutboundStatusEvent.message_id == message_id)
                                .order_by(OutboundStatusEvent.id)))


RESENDABLE = frozenset({OutboundStatus.FAILED, OutboundStatus.UNDELIVERED, OutboundStatus.UNKNOWN})


def resend(session: Session, actor: Actor, message_id: int) -> OutboundMessage:
    """A person decided to send a failed (or unknown) message again: a new row, the old one kept."""
    require(actor, Permission.CALLOUT_RUN)
    old = session.get(OutboundMessage, message_id)
    if old is None:
        raise InputError(f"No message {message_id}.")
    if old.to_mobile == ERASED:
        raise InputError(f"Message {message_id} was erased under the retention policy; it cannot be sent again.")
    if old.status not in RESENDABLE:
        raise InputError(f"Message {message_id} is {old.status}; only failed, undelivered or unknown "
                         "messages can be sent again.")
    if is_opted_out(session, old.to_mobile):
        raise InputError("This number has opted out (STOP); it cannot be sent anything until it sends START.")
    new = queue_sms(session, to=old.to_mobile, body=old.body, purpose=old.purpose, incident_id=old.incident_id,
                    callout_id=old.callout_id, mobilisation_id=old.mobilisation_id,
                    validity_seconds=old.validity_seconds)
    record(session, actor, "resend", "sms_outbound", new.id, incident_id=old.incident_id,
           detail=f"copy of message {old.id} ({old.status})")
    return new
