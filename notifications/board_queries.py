"""The call-out board: per wave how many were sent, delivered, failed, said yes or no, or have
not answered, and each person's state, how they asked to be reached and the channels their
messages actually went by; read-only."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.roles import Actor, Permission, require
from notifications.channels import channels
from notifications.delivery_rules import describe_error
from notifications.model import (
    CallOut,
    CallOutRecipient,
    CallOutStatus,
    OutboundMessage,
    OutboundStatus,
    RecipientState,
)
from notifications.preference_queries import preference_labels

R = RecipientState
S = OutboundStatus
_SENT = {S.ACCEPTED, S.SENT, S.DELIVERED, S.UNDELIVERED}
_FAILED = {S.FAILED, S.UNDELIVERED, S.BLOCKED, S.UNKNOWN}
_YES = {R.CONFIRMED, R.STANDBY, R.REFUSED_BY_RULE, R.WITHDRAWN}


@dataclass(frozen=True)
class WaveRow:
    wave: int
    asked: int
    sent: int
    delivered: int
    failed: int
    yes: int
    no: int
    no_reply: int


@dataclass(frozen=True)
class RecipientRow:
    recipient_id: int
    name: str
    wave: int | None
    state: str
    message_status: str  # of the newest message to them
    message_id: int | None
    sent_by: tuple[str, ...]  # each message's channel, oldest first: ("SMS", "SMS", "Phone call")
    prefers: str  # how they asked to be reached, as it stands now ("SMS only (no calls)"); "" if unknown
    error: str
    flag: str
    answered_at: datetime | None


@dataclass(frozen=True)
class Board:
    callout: CallOut
    confirmed: int
    minutes_to_quorum: float | None
    waves: list[WaveRow]
    recipients: list[RecipientRow]


FINISHED_LISTED = 30  # a long incident runs thousands of call-outs; nobody picks from all of them


def callouts_for_incident(session: Session, actor: Actor, incident_id: int | None) -> list[CallOut]:
    """The call-outs to pick from on the board, newest first: every one still asking, and the newest
    finished ones."""
    require(actor, Permission.CALLOUT_RUN)
    newest = select(CallOut).where(CallOut.incident_id == incident_id).order_by(CallOut.id.desc())
    asking = CallOut.status == CallOutStatus.OPEN.value
    listed = [*session.scalars(newest.where(asking)), *session.scalars(newest.where(~asking).limit(FINISHED_LISTED))]
    return sorted(listed, key=lambda c: c.id, reverse=True)


def callout_board(session: Session, actor: Actor, callout_id: int) -> Board | None:
    require(actor, Permission.CALLOUT_RUN)
    callout = session.get(CallOut, callout_id)
    if callout is None:
        return None
    recipients = list(session.scalars(select(CallOutRecipient).where(CallOutRecipient.callout_id == callout.id)
                                  .order_by(CallOutRecipient.rank)))
    # The newest message to each number in this call-out (a reminder or re-send replaces the first),
    # and the channel each went by.
    latest: dict[str, OutboundMessage] = {}
    sent_by: dict[str, list[str]] = defaultdict(list)
    for message in session.scalars(select(OutboundMessage).where(OutboundMessage.callout_id == callout.id)
                                   .order_by(OutboundMessage.id)):
        latest[message.destination] = message
        kind = channels().get(message.channel)
        sent_by[message.destination].append(kind.title if kind else message.channel)
    prefers = preference_labels(session, [r.staff_id for r in recipients])
    per_wave: dict[int, Counter] = defaultdict(Counter)
    rows = []
    for recipient in recipients:
        message = latest.get(recipient.mobile)
        status = S(message.status) if message else None
        if recipient.wave is not None:
            counts = per_wave[recipient.wave]
            counts["asked"] += 1
            counts["sent"] += status in _SENT
            counts["delivered"] += status == S.DELIVERED
            counts["failed"] += status in _FAILED
            counts["yes"] += R(recipient.state) in _YES
            counts["no"] += recipient.state == R.DECLINED.value
            counts["no_reply"] += recipient.state in (R.ASKED.value, R.NO_REPLY.value)
        rows.append(RecipientRow(recipient.id, recipient.display_name, recipient.wave, recipient.state,
                              message.status if message else "", message.id if message else None,
                              tuple(sent_by.get(recipient.mobile, ())), prefers.get(recipient.staff_id, ""),
                              (describe_error(message.error_code, message.error_text) if message else ""),
                              recipient.flag, recipient.answered_at))
    waves = [WaveRow(w, c["asked"], c["sent"], c["delivered"], c["failed"], c["yes"], c["no"], c["no_reply"])
             for w, c in sorted(per_wave.items())]
    minutes = ((callout.quorum_met_at - callout.created_at).total_seconds() / 60
               if callout.quorum_met_at else None)
    # Not audited: it refreshes every few seconds and shows staff states, not a person's record.
    return Board(callout, sum(r.state == R.CONFIRMED.value for r in rows), minutes, waves, rows)
