"""The outbox: every message, whatever its channel, is a row before anything is sent, and every
change of its status is kept. Other notification services queue through here; each channel's
dispatcher sends."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.db import BULK_CHUNK, bulk_insert
from core.errors import InputError
from incident.queries import is_exercise
from notifications.channels import channel_named
from notifications.delivery_rules import moves_forward
from notifications.exercise_texts import as_sent
from notifications.model import OptOut, OutboundMessage, OutboundStatus, OutboundStatusEvent
from notifications.retention import ERASED

IN_CHUNK = 500  # addresses per IN (...) list: both databases cap the parameters of one query


def is_opted_out(session: Session, channel: str, address: str) -> bool:
    return bool(session.scalar(select(OptOut.opted_out).where(OptOut.channel == channel, OptOut.address == address)))


def opted_out_addresses(session: Session, channel: str, addresses: Collection[str]) -> set[str]:
    """Which of these addresses opted out of `channel`."""
    wanted = sorted(set(addresses))
    found: set[str] = set()
    for start in range(0, len(wanted), IN_CHUNK):
        found.update(session.scalars(select(OptOut.address).where(
            OptOut.channel == channel, OptOut.opted_out.is_(True), OptOut.address.in_(wanted[start:start + IN_CHUNK]))))
    return found


def set_opt_out(session: Session, channel: str, address: str, opted_out: bool, *, via: str = "") -> None:
    """Record that `address` wants no more of `channel`'s messages (or wants them again). Its messages
    still waiting are blocked at once: a STOP is obeyed before the next send, not after it."""
    entry = session.get(OptOut, (channel, address))
    if entry is None:
        session.add(OptOut(channel=channel, address=address, opted_out=opted_out, changed_at=now(),
                           via_message_sid=via))
    else:
        entry.opted_out, entry.changed_at, entry.via_message_sid = opted_out, now(), via
    if opted_out:
        kind = channel_named(channel)
        for message in session.scalars(select(OutboundMessage).where(
                OutboundMessage.channel == channel, OutboundMessage.destination == address,
                OutboundMessage.status == OutboundStatus.PENDING.value)):
            set_status(session, message, OutboundStatus.BLOCKED, "opt-out", error_code=kind.opt_out_code,
                       note=f"not sent: {kind.opt_out_hint}")


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


def _pending_row(*, channel: str, to: str, body: str, purpose: str, incident_id: int | None, exercise: bool,
                 subject: str | None = None, payload: Mapping[str, object] | None = None,
                 callout_id: int | None = None, mobilisation_id: int | None = None,
                 validity_seconds: int | None = None, due_at: datetime | None = None) -> dict[str, object]:
    """A message's outbox row, checked as its channel requires and marked as an exercise's: what
    `queue` and `queue_many` both store."""
    kind = channel_named(channel)
    try:
        destination = kind.normalise(to)
    except ValueError as problem:
        raise InputError(f"Cannot send {kind.title} to {to!r}: {problem}") from None
    body = as_sent(body.strip(), is_exercise=exercise)
    if not body:
        raise InputError("A message needs some text.")
    subject = as_sent(subject.strip(), is_exercise=exercise) if subject and subject.strip() else None
    try:
        kind.check(subject, payload or {})
        cost = kind.cost(body)
    except ValueError as problem:
        raise InputError(str(problem)) from None
    at = now()
    return dict(incident_id=incident_id, channel=channel, destination=destination, subject=subject, body=body,
                payload=json.dumps(payload) if payload else None, segments=cost, purpose=purpose,
                callout_id=callout_id, mobilisation_id=mobilisation_id, validity_seconds=validity_seconds,
                status=OutboundStatus.PENDING.value, due_at=due_at or at, created_at=at, status_at=at, attempts=0,
                error_code=None, error_text="")


def queue(session: Session, *, channel: str, to: str, body: str, purpose: str, incident_id: int | None,
          subject: str | None = None, payload: Mapping[str, object] | None = None, callout_id: int | None = None,
          mobilisation_id: int | None = None, validity_seconds: int | None = None,
          due_at: datetime | None = None) -> OutboundMessage:
    """One message into the outbox, by `channel`. An address that opted out of the channel gets a row
    marked blocked, so the board shows why that person was not asked."""
    message = OutboundMessage(**_pending_row(
        channel=channel, to=to, body=body, purpose=purpose, incident_id=incident_id,
        exercise=incident_id is not None and is_exercise(session, incident_id), subject=subject,
        payload=payload, callout_id=callout_id, mobilisation_id=mobilisation_id, validity_seconds=validity_seconds,
        due_at=due_at))
    session.add(message)
    session.flush()
    session.add(OutboundStatusEvent(message_id=message.id, status=message.status, at=now(), source="outbox"))
    if is_opted_out(session, channel, message.destination):
        kind = channel_named(channel)
        set_status(session, message, OutboundStatus.BLOCKED, "outbox", error_code=kind.opt_out_code,
                   note=f"not sent: {kind.opt_out_hint}")
    return message


@dataclass(frozen=True)
class NewMessage:
    """One of many messages queued at once (`queue_many`)."""

    channel: str
    to: str
    body: str
    subject: str | None = None
    payload: Mapping[str, object] | None = None


def check_message(message: NewMessage) -> None:
    """Refuse (InputError) what `queue` and `queue_many` would refuse of `message`: for a caller that
    queues many together later and must know now which of them is at fault."""
    _pending_row(channel=message.channel, to=message.to, body=message.body, purpose="", incident_id=None,
                 exercise=False, subject=message.subject, payload=message.payload)


def queue_many(session: Session, messages: Sequence[NewMessage], *, purpose: str,
               incident_id: int | None) -> list[int]:
    """`queue` for thousands of messages at once (a round of invitations): each checked and marked as
    `queue` does, opted-out addresses blocked the same way, stored in a few statements. Their ids, in
    the order given. One alone is `queue`'s (fewer statements than a bulk insert's)."""
    if len(messages) == 1:
        (m,) = messages
        return [queue(session, channel=m.channel, to=m.to, body=m.body, purpose=purpose, incident_id=incident_id,
                      subject=m.subject, payload=m.payload).id]
    exercise = incident_id is not None and is_exercise(session, incident_id)
    rows = [_pending_row(channel=m.channel, to=m.to, body=m.body, purpose=purpose, incident_id=incident_id,
                         exercise=exercise, subject=m.subject, payload=m.payload) for m in messages]
    blocked: dict[int, str] = {}  # row index -> note
    for channel in {row["channel"] for row in rows}:
        kind = channel_named(channel)
        opted = opted_out_addresses(session, channel, [r["destination"] for r in rows if r["channel"] == channel])
        for index, row in enumerate(rows):
            if row["channel"] == channel and row["destination"] in opted:
                row.update(status=OutboundStatus.BLOCKED.value, error_code=kind.opt_out_code,
                           error_text=f"not sent: {kind.opt_out_hint}")
                blocked[index] = row["error_text"]
    ids = bulk_insert(session, OutboundMessage, rows)
    at = now()
    events = [dict(message_id=i, status=OutboundStatus.PENDING.value, at=at, source="outbox", error_code=None,
                   note="") for i in ids]
    events += [dict(message_id=ids[index], status=OutboundStatus.BLOCKED.value, at=at, source="outbox",
                    error_code=rows[index]["error_code"], note=note) for index, note in blocked.items()]
    for start in range(0, len(events), BULK_CHUNK):
        session.execute(insert(OutboundStatusEvent), events[start:start + BULK_CHUNK])
    return ids


def queue_sms(session: Session, *, to: str, body: str, purpose: str, incident_id: int | None,
              **message) -> OutboundMessage:
    """`queue` by SMS, the channel most of Stand Up's messages take."""
    return queue(session, channel="sms", to=to, body=body, purpose=purpose, incident_id=incident_id, **message)


def cancel_pending(session: Session, *, callout_id: int, reason: str, channel: str | None = None,
                   destination: str | None = None) -> int:
    """Withdraw a call-out's messages that have not gone yet (only `channel`'s, to `destination`,
    when given); how many."""
    q = select(OutboundMessage).where(OutboundMessage.callout_id == callout_id,
                                      OutboundMessage.status == OutboundStatus.PENDING.value)
    if channel is not None:
        q = q.where(OutboundMessage.channel == channel)
    if destination is not None:
        q = q.where(OutboundMessage.destination == destination)
    return sum(set_status(session, m, OutboundStatus.CANCELLED, "outbox", note=reason) for m in session.scalars(q))


def outbox_messages(session: Session, actor: Actor, incident_id: int | None, *, limit: int = 200,
                    callout_id: int | None = None) -> list[OutboundMessage]:
    """Newest first, for the outbox page and the board."""
    require(actor, Permission.OUTBOX_VIEW)
    q = select(OutboundMessage).where(OutboundMessage.incident_id == incident_id)
    if callout_id is not None:
        q = q.where(OutboundMessage.callout_id == callout_id)
    rows = list(session.scalars(q.order_by(OutboundMessage.id.desc()).limit(limit)))
    record(session, actor, "view", "outbound_message", incident_id=incident_id, detail=f"{len(rows)} rows")
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
    if old.destination == ERASED:
        raise InputError(f"Message {message_id} was erased under the retention policy; it cannot be sent again.")
    if old.status not in RESENDABLE:
        raise InputError(f"Message {message_id} is {old.status}; only failed, undelivered or unknown "
                         "messages can be sent again.")
    kind = channel_named(old.channel)
    if is_opted_out(session, old.channel, old.destination):
        raise InputError(f"Not sent again: {kind.opt_out_hint}.")
    new = queue(session, channel=old.channel, to=old.destination, body=old.body, purpose=old.purpose,
                incident_id=old.incident_id, subject=old.subject,
                payload=json.loads(old.payload) if old.payload else None, callout_id=old.callout_id,
                mobilisation_id=old.mobilisation_id, validity_seconds=old.validity_seconds)
    record(session, actor, "resend", "outbound_message", new.id, incident_id=old.incident_id,
           detail=f"copy of message {old.id} ({old.status})")
    return new


def cancel_messages(session: Session, message_ids: Collection[int], reason: str) -> int:
    """Withdraw those of these messages that have not gone yet (the person asked to hear no more);
    how many."""
    ids = sorted(set(message_ids))
    cancelled = 0
    for start in range(0, len(ids), IN_CHUNK):
        q = select(OutboundMessage).where(OutboundMessage.id.in_(ids[start:start + IN_CHUNK]),
                                          OutboundMessage.status == OutboundStatus.PENDING.value)
        cancelled += sum(set_status(session, m, OutboundStatus.CANCELLED, "outbox", note=reason)
                         for m in session.scalars(q))
    return cancelled
