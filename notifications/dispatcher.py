"""The outbox dispatcher (a worker sweep per channel): claim one due row of the channel, mark it
"sending", commit, then call the channel's provider, then record what happened in a second unit of
work. Each channel is paced apart, at its own provider's rate.

Why one row per claim: a worker killed mid-batch leaves at most the one row whose send was in
flight in "sending"; everything it had not reached is still "pending" for the next worker.
On PostgreSQL the claim is `FOR UPDATE SKIP LOCKED`, so two workers never take one row; on
SQLite every unit of work is BEGIN IMMEDIATE, which serialises claims the same way.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import unit_of_work
from notifications.channels import Accepted, Outgoing, Sender, SendError, channel_named
from notifications.delivery_rules import CLAIM_LEASE, MAX_ATTEMPTS, provider_status, retry_delay
from notifications.model import OutboundMessage, OutboundStatus
from notifications.outbox_service import is_opted_out, set_status
from notifications.pacing import TokenBucket

log = logging.getLogger("standup.notifications.dispatcher")


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    unknown: int = 0
    expired_claims: int = 0
    errors: list[str] = field(default_factory=list)


def expire_stale_claims(engine: Engine) -> int:
    """Rows left "sending" by a dispatcher that died become "unknown" (see delivery_rules)."""
    with unit_of_work(engine) as session:
        stale = session.scalars(select(OutboundMessage).where(
            OutboundMessage.status == OutboundStatus.SENDING.value,
            OutboundMessage.claimed_at < now() - CLAIM_LEASE,
        ).with_for_update(key_share=True, skip_locked=True))
        return sum(set_status(session, m, OutboundStatus.UNKNOWN, "reconcile",
                              note="the sender stopped mid-send; check the provider's log before sending again")
                   for m in stale)


def claim_next(session: Session, token: str, channel: str | None) -> tuple[Outgoing, int] | None:
    """Take the oldest due pending row of `channel` (of any, for the demo builder) for this
    dispatcher: (what to send, its pacing units), or None. The caller commits straight after,
    before calling the provider."""
    due = select(OutboundMessage).where(OutboundMessage.status == OutboundStatus.PENDING.value,
                                        OutboundMessage.due_at <= now())
    if channel is not None:
        due = due.where(OutboundMessage.channel == channel)
    while True:
        message = session.scalar(due.order_by(OutboundMessage.due_at, OutboundMessage.id).limit(1)
                                 .with_for_update(key_share=True, skip_locked=True))
        if message is None:
            return None
        # Checked again here, not only when queued: a STOP may have arrived in between.
        if is_opted_out(session, message.channel, message.destination):
            kind = channel_named(message.channel)
            set_status(session, message, OutboundStatus.BLOCKED, "dispatcher", error_code=kind.opt_out_code,
                       note=f"not sent: {kind.opt_out_hint}")
            continue
        message.claim_token = token
        message.claimed_at = now()
        message.attempts += 1
        set_status(session, message, OutboundStatus.SENDING, "dispatcher")
        return Outgoing(message.channel, message.destination, message.body, message.id, message.subject,
                        json.loads(message.payload) if message.payload else {},
                        message.validity_seconds), message.segments


def record_outcome(session: Session, message_id: int, token: str, outcome: Accepted | SendError,
                   rng: random.Random, report: DispatchReport) -> None:
    # Locked: a status callback for this very message may be landing at the same moment.
    message = session.scalar(select(OutboundMessage).where(OutboundMessage.id == message_id).with_for_update(key_share=True))
    if message is None or message.claim_token != token:
        return  # another claim owns the row now; its record stands
    message.claim_token = None
    if isinstance(outcome, SendError):
        _record_error(session, message, outcome, rng, report)
        return
    message.provider_sid = outcome.sid
    status = provider_status(outcome.status) or OutboundStatus.ACCEPTED
    # Straight from sending to a final status (the console gateway) passes through accepted.
    set_status(session, message, OutboundStatus.ACCEPTED, "dispatcher")
    set_status(session, message, status, "dispatcher")
    report.sent += 1


def _record_error(session, message: OutboundMessage, error: SendError, rng: random.Random,
                  report: DispatchReport) -> None:
    code = error.code or error.http_status
    if error.ambiguous:
        set_status(session, message, OutboundStatus.UNKNOWN, "dispatcher", error_code=code,
                   note=f"{error}; check the provider's log before sending again")
        report.unknown += 1
    elif error.retryable and message.attempts < MAX_ATTEMPTS:
        # Back to pending with a later due time: the row waits without holding anything else up.
        message.status = OutboundStatus.PENDING.value
        message.error_code = code
        message.error_text = str(error)[:300]
        message.due_at = now() + timedelta(seconds=retry_delay(message.attempts, rng))
        report.retried += 1
    else:
        set_status(session, message, OutboundStatus.FAILED, "dispatcher", error_code=code, note=str(error))
        report.failed += 1
        report.errors.append(f"message {message.id}: {code} {error}")


def dispatch(engine: Engine, channel: str, sender: Sender, bucket: TokenBucket, *, max_messages: int = 1000,
             time_budget_s: float = 20.0, rng: random.Random | None = None,
             monotonic: Callable[[], float] = time.monotonic) -> DispatchReport:
    """Send `channel`'s due messages at the bucket's pace until none are due, `max_messages` went, or
    the time budget is spent (so one sweep never holds the worker for long)."""
    rng = rng or random.Random()
    report = DispatchReport(expired_claims=expire_stale_claims(engine))
    token = uuid.uuid4().hex
    started = monotonic()
    for _ in range(max_messages):
        if monotonic() - started > time_budget_s:
            break
        with unit_of_work(engine) as session:
            claimed = claim_next(session, token, channel)
        if claimed is None:
            break
        message, units = claimed
        bucket.take(units)
        try:
            outcome = sender.send(message)
        except SendError as error:
            outcome = error
        except Exception as error:  # a bug or an unexpected library error: the row must not be resent blindly
            log.exception("sending message %s failed unexpectedly", message.reference)
            outcome = SendError(f"unexpected error: {type(error).__name__}", ambiguous=True)
        with unit_of_work(engine) as session:
            record_outcome(session, message.reference, token, outcome, rng, report)
    return report


def send_due_in(session: Session, senders: Mapping[str, Sender]) -> DispatchReport:
    """Send every due row inside one unit of work, each by its channel's sender: for the demo
    builder, which runs before any worker and must stay one transaction. Never for a real provider:
    a rollback would forget sends."""
    report = DispatchReport()
    token = uuid.uuid4().hex
    while (claimed := claim_next(session, token, None)) is not None:
        message, _ = claimed
        record_outcome(session, message.reference, token, senders[message.channel].send(message), random.Random(0),
                       report)
    return report

