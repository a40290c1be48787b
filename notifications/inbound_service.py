"""Every inbound SMS, whether Twilio's webhook delivered it or someone typed it on the console
page, is handled by `handle`: one code path, one record, one reply.

Twilio's webhook only stores the message (`accept_inbound`: one INSERT, its words encrypted until
it is read) and wakes the worker, which handles the stored messages in batches (`process_batch`)
and sends the replies through the outbox. Typed replies, the demo and the exercise's simulated
responders store and handle at once (`handle_inbound`), and the reply is returned to them.

Decisions:
- Idempotent on the provider's MessageSid: a replay changes nothing (the unique constraint
  settles a race between two deliveries); `handle_inbound` returns the reply already given.
- Handled exactly once: the worker claims a stored message (PostgreSQL: FOR UPDATE SKIP LOCKED;
  SQLite: the single writer) and handles it in the same transaction that marks it processed, so a
  crash part-way leaves it waiting, untouched, for the next run, and two workers never share one.
- A batch's senders are read, and the call-outs its answers are for locked, in a few statements
  before its messages are handled (notifications.inbound_senders); its replies are queued together
  once every message is handled. A message handled alone (`handle_inbound`) is a batch of one.
- STOP / START are honoured from any number, known or not: it is that number's choice.
  No reply is sent to them; Twilio answers opt-out keywords itself.
- A number we do not know gets no reply at all (it learns nothing about a call-out) and the
  message is kept for the hub manager; a known sender's unreadable reply gets the short help.
- A number offer counts only from an agency coordinator; from a responder it is unreadable.
- Staff record their own time away: "AWAY 3/12-10/12", then "BACK" (notifications.away_service).
- Affected people (victims answering a screening reminder) are not ours to read: whatever
  they send, except STOP/START and a staff member's call-out answer, goes through the
  PERSON_REPLIES port the composition layer plugs in at start-up (pathways keeps it, encrypted,
  for their caseworkers). Our row keeps PERSON_MARKER instead of their words and is never shown to
  hub managers; the person gets the port's acknowledgement. Nothing plugged in: nothing is handled
  (it raises before a row is written), since we could not tell a person's words from a stranger's.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Protocol

from sqlalchemy import bindparam, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.clock import london, now
from core.db import OneStatement, as_arrays
from core.errors import InputError
from core.phone import mask_mobile, normalise_mobile
from core.plugin_shapes import Port
from core.wakeup import wake
from notifications.away_rules import Back, read_away
from notifications.away_service import answer_away
from notifications.callout_service import SMS_ACTOR, answer
from notifications.inbound_senders import ANSWERS, Senders, place_answered, places_answered, read_senders
from notifications.mobilisation_service import offer_by_sms
from notifications.model import CallOut, InboundMessage
from notifications.outbox_service import NewMessage, check_message, queue_many, set_opt_out
from notifications.replies import Reply, help_text, parse_reply, unknown_reply_text
from rosters.assignment_service import set_sms_opt_out

log = logging.getLogger("standup.notifications.inbound")

MAX_STORED_BODY = 2000  # Twilio's own limit is 1,600; anything longer is cut, not refused
PERSON_MARKER = "[kept in the person's record]"
WAKE_TOPIC = "inbound_sms"  # the worker's inbound sweep answers to it (notifications.plugin)
WAITING_INTENT = "waiting"  # a stored message's intent until the worker reads it
FAILED_INTENT = "failed"  # a stored message the worker gave up on (process_claimed)
MAX_ATTEMPTS = 5  # tries at a stored message that fails before it is parked for a person


class PersonReplies(Protocol):
    def take(self, session: Session, *, mobile: str, body: str, received_at: datetime,
             provider_sid: str) -> str | None:
        """Keep the message for the person's support team when `mobile` (E.164) is a registered
        person's, returning the acknowledgement to send back; None when it is nobody's."""


PERSON_REPLIES: Port[PersonReplies] = Port(
    "notifications' person-replies port",
    "an affected person's own SMS would be kept in clear in the SMS record and shown to hub managers")


@dataclass(frozen=True)
class InboundResult:
    reply: str  # empty: send nothing back
    replay: bool
    message_id: int


def storable(text: str | None, limit: int) -> str:
    # PostgreSQL text cannot hold NUL; keep a visible mark of it instead of failing the webhook.
    return (text or "")[:limit].replace("\x00", "\ufffd")


def _mobile(raw: str) -> str:
    try:
        return normalise_mobile(raw)
    except ValueError:
        return storable(raw.strip() if raw else "", 32)


def _earlier(session: Session, sid: str) -> InboundResult | None:
    existing = session.scalar(select(InboundMessage).where(InboundMessage.provider_sid == sid))
    return None if existing is None else InboundResult(existing.reply_text, True, existing.id)


def first_delivery(session: Session, row: InboundMessage) -> InboundResult | None:
    """Store `row` unless its provider SID was received before: None when it is new (stored now,
    the caller handles it), else the answer given the first time (a replay changes nothing)."""
    earlier = _earlier(session, row.provider_sid)
    if earlier is not None:
        return earlier
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # the same SID arrived twice at once: the other delivery handles it
        return _earlier(session, row.provider_sid)
    return None


# A stored message before the worker reads it: only its SID, sender, number and words (encrypted
# until read) vary, and the time it came, one per batch.
_GIVEN = ("provider_sid", "sender", "to_number", "pending_body")
_WAITING = dict(channel="sms", body="", sender_kind="unknown", intent=WAITING_INTENT, outcome="", reply_text="",
                needs_attention=False, processed_at=None)


@cache
def _insert_new(dialect_name: str):
    """The webhook's INSERT … ON CONFLICT DO NOTHING RETURNING (the SIDs new), built once per dialect
    and bound at each execution. On PostgreSQL a batch's values go as one array per column,
    unnested, so the statement's text is the same for a batch of any size: SQLAlchemy, psycopg and
    the server keep it parsed (a VALUES row per message made a new text each time, and psycopg
    spent 0.7 ms of a 2 ms batch reading it). SQLite, which has no arrays, gets a VALUES row each."""
    table = InboundMessage.__table__
    if dialect_name != "postgresql":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=["provider_sid"]).returning(table.c.provider_sid)
    given = func.unnest(*(bindparam(name, type_=ARRAY(table.c[name].type)) for name in _GIVEN)).table_valued(*_GIVEN).render_derived()
    values = select(*(given.c[name] for name in _GIVEN), bindparam("received_at", type_=table.c.received_at.type),
                    *(literal(value, table.c[name].type) for name, value in _WAITING.items()))
    return (postgresql.insert(table).from_select([*_GIVEN, "received_at", *_WAITING], values)
            .on_conflict_do_nothing(index_elements=["provider_sid"]).returning(table.c.provider_sid))


@dataclass(frozen=True)
class Delivered:
    """An SMS as Twilio's webhook delivered it."""

    sid: str
    from_: str
    to: str
    body: str


def accept_inbound(statement: OneStatement, messages: Sequence[Delivered]) -> list[bool]:
    """Store messages for the worker to handle: one INSERT for all of them (the webhooks that arrived
    together, core.group_commit), nothing read; for each, whether it was new. A replay of a SID
    already stored changes nothing (PostgreSQL makes a second delivery wait for the first's commit).
    The words wait encrypted (they may be an affected person's, which notifications never keeps in
    clear). The worker is woken once they are kept, unless all were replays."""
    rows = [dict(provider_sid=m.sid, sender=storable(m.from_.strip() if m.from_ else "", 320),
                 to_number=storable(m.to, 32), pending_body=storable(m.body, MAX_STORED_BODY)) for m in messages]
    at, dialect = now(), statement.dialect.name
    if dialect == "postgresql":
        values = as_arrays(rows, _GIVEN) | {"received_at": at}
    else:
        values = [row | _WAITING | {"received_at": at} for row in rows]
    new = set(statement.execute(_insert_new(dialect), values).scalars())
    if new:
        wake(statement, WAKE_TOPIC)
    fresh = []
    for m in messages:  # a SID twice in one batch is new once
        fresh.append(m.sid in new)
        new.discard(m.sid)
    return fresh


def handle_inbound(session: Session, *, sid: str, from_: str, to: str, body: str) -> InboundResult:
    """Store and handle a message at once; the reply is the caller's to give."""
    person_replies = PERSON_REPLIES.get()  # unplugged: refuse before anything is stored
    row = InboundMessage(provider_sid=sid, sender=_mobile(from_), to_number=storable(to, 32), body="",
                         received_at=now(), sender_kind="unknown", intent=WAITING_INTENT)
    if (earlier := first_delivery(session, row)) is not None:
        return earlier
    return _handle(session, person_replies, read_senders(session, [(row.sender, parse_reply(body))]), row, body)


def claim(session: Session, limit: int, *, skip: Collection[int] = ()) -> list[InboundMessage]:
    """The oldest `limit` messages the webhook stored that nobody has handled (none of `skip`),
    claimed for this unit of work: another worker never gets them while it is open (it takes the
    next ones), and gets them back untouched if it rolls back."""
    q = select(InboundMessage).where(InboundMessage.processed_at.is_(None)).order_by(InboundMessage.id).limit(limit)
    if skip:
        q = q.where(InboundMessage.id.not_in(skip))
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)  # SQLite: the unit of work holds the only write lock
    return list(session.scalars(q))


def process_batch(session: Session, batch: list[InboundMessage]) -> int:
    """Handle claimed messages in the claiming unit of work, each in a savepoint of its own
    (`process_claimed`), once their senders are read and the call-outs they answer locked
    (inbound_senders); the replies of those handled are queued together at the end. How many
    were handled."""
    person_replies = PERSON_REPLIES.get()  # unplugged: nothing handled, nothing counted against a message
    senders = _read_together(session, batch) if len(batch) > 1 else None  # one alone reads in its savepoint
    replies: dict[int | None, list[NewMessage]] = {}
    handled = 0
    for row in batch:
        reply = process_claimed(session, person_replies, senders, row)
        if reply is not None:
            handled += 1
            if reply.body:
                replies.setdefault(row.incident_id, []).append(reply)
    for incident_id, messages in replies.items():
        queue_many(session, messages, purpose="reply", incident_id=incident_id)
    return handled


def _read_together(session: Session, batch: list[InboundMessage]) -> Senders | None:
    """The batch's senders, read at once; None when that fails, and each message reads its own, so
    one that breaks the reading fails alone and is parked in time."""
    try:
        with session.begin_nested():
            return read_senders(session, [(_mobile(row.sender), parse_reply(row.pending_body)) for row in batch])
    except Exception:
        log.exception("the senders of inbound messages %s could not be read together", [row.id for row in batch])
        return None


def process_claimed(session: Session, person_replies: PersonReplies, senders: Senders | None,
                    row: InboundMessage) -> NewMessage | None:
    """Handle a claimed message inside a savepoint of the claiming unit of work: the reply to queue
    when handled (an empty body: none), None when not. One that raises is rolled back alone (the
    others claimed with it still go), its try counted with the reason; after MAX_ATTEMPTS tries it is
    parked: marked done without being handled, for a person to read (`needs_attention`, the outcome
    says why). Its words stay encrypted and unread: they may be an affected person's. A crash (the
    process dying) rolls back the whole unit of work and counts nothing: every message claimed
    waits, untouched, for the next run."""
    try:
        with session.begin_nested():
            return process(session, person_replies, senders, row)
    except Exception as problem:  # a bug met by one message must not stop the others
        log.exception("inbound message %s could not be handled", row.id)
        row.attempts += 1
        row.failure = storable(_where_it_failed(problem), 300)
        if row.attempts >= MAX_ATTEMPTS:
            row.processed_at = now()
            row.intent = FAILED_INTENT
            row.needs_attention = True
            row.outcome = f"not handled: failed {row.attempts} times"
            record(session, SMS_ACTOR, "park", "inbound_message", row.id, detail=f"failed {row.attempts} times")
        return None


def _where_it_failed(problem: Exception) -> str:
    """The error's kind and the line that raised it: enough for whoever fixes it, and never the
    error's message, which may quote the words (perhaps an affected person's)."""
    frames = traceback.extract_tb(problem.__traceback__)
    if not frames:
        return type(problem).__name__
    last = frames[-1]
    return f"{type(problem).__name__} at {Path(last.filename).name}:{last.lineno} ({last.name})"


def process(session: Session, person_replies: PersonReplies, senders: Senders | None,
            row: InboundMessage) -> NewMessage:
    """Handle a claimed message in the claiming unit of work, its sender read with the batch's or,
    when `senders` is None, alone: its reply, for the batch to queue (checked now, so a reply the
    outbox would refuse fails this message alone)."""
    body, row.pending_body = row.pending_body or "", None
    row.sender = _mobile(row.sender)
    senders = senders or read_senders(session, [(row.sender, parse_reply(body))])
    reply = NewMessage("sms", row.sender, _handle(session, person_replies, senders, row, body).reply)
    if reply.body:
        check_message(reply)
    return reply


def _handle(session: Session, person_replies: PersonReplies, senders: Senders, row: InboundMessage,
            body: str) -> InboundResult:
    """What the message says and does: the row (stored, not yet handled) completed and audited."""
    mobile, sid = row.sender, row.provider_sid
    reply = parse_reply(body)
    text = storable(body, MAX_STORED_BODY)
    # The words are written only once it is known they are not a person's (below).
    row.intent, row.code, row.number, row.processed_at = reply.intent, reply.code, reply.number, now()

    coordinator, is_staff = senders.coordinators.get(mobile), mobile in senders.staff
    row.sender_kind = "coordinator" if coordinator else "staff" if is_staff else "unknown"

    if reply.intent in ("stop", "start"):
        _opt(session, mobile, reply.intent == "stop", sid)
        row.outcome = "opted out" if reply.intent == "stop" else "opted back in"
    elif _answered_as_staff(session, senders, row, reply, coordinator, is_staff, text):
        pass
    elif _taken_for_a_person(session, person_replies, row, text):
        pass
    elif row.sender_kind == "unknown":
        row.outcome = "unknown sender: not answered"
        row.needs_attention = True
        log.info("SMS from an unknown number %s ignored", _masked(mobile))
    else:
        row.reply_text, row.outcome, row.needs_attention = unknown_reply_text(), "not understood", True
    if row.sender_kind != "person":
        row.body = text
    record(session, SMS_ACTOR, "receive", "inbound_message", row.id, incident_id=row.incident_id,
           detail=f"{row.sender_kind}: {row.intent} -> {row.outcome}")
    return InboundResult(row.reply_text, False, row.id)


def _answered_as_staff(session: Session, senders: Senders, row: InboundMessage, reply: Reply,
                       coordinator: Agency | None, is_staff: bool, text: str) -> bool:
    """HELP, a coordinator's offer, a call-out answer or AWAY / BACK, handled; False when it is none."""
    if row.sender_kind == "unknown":
        return False
    if reply.intent == "help":
        row.reply_text, row.outcome = help_text(), "help sent"
    elif reply.intent == "number" and coordinator is not None:
        offer = offer_by_sms(session, SMS_ACTOR, coordinator, reply.number, reply.code)
        row.reply_text, row.outcome, row.needs_attention = offer.reply, offer.outcome, offer.needs_attention
        if offer.request is not None:
            row.mobilisation_id, row.incident_id = offer.request.id, offer.request.incident_id
    elif reply.intent in ANSWERS and is_staff:
        answered = _callout_answer(session, senders, row, reply)
        if answered is None:
            return False
        row.reply_text, row.outcome, row.needs_attention = answered
    elif is_staff and (away := read_away(text, london(now()).date())) is not None:
        row.intent = "back" if isinstance(away, Back) else "away"
        row.reply_text, row.outcome, row.needs_attention = answer_away(session, row.sender, away)
    else:
        return False
    return True


def _taken_for_a_person(session: Session, person_replies: PersonReplies, row: InboundMessage,
                        body: str) -> bool:
    acknowledgement = person_replies.take(session, mobile=row.sender, body=body,
                                          received_at=row.received_at, provider_sid=row.provider_sid)
    if acknowledgement is None:
        return False
    row.sender_kind, row.body, row.intent, row.code, row.number = "person", PERSON_MARKER, "person", None, None
    row.reply_text, row.outcome, row.needs_attention = acknowledgement, "kept for their support team", False
    return True


def _masked(mobile: str) -> str:
    try:
        return mask_mobile(mobile)
    except ValueError:
        return "an unreadable number"


def _opt(session: Session, mobile: str, opted_out: bool, sid: str) -> None:
    set_opt_out(session, "sms", mobile, opted_out, via=sid)
    try:
        set_sms_opt_out(session, SMS_ACTOR, mobile, opted_out)
    except InputError:  # not a mobile number rosters could hold: nothing there to mark
        pass


def _callout_answer(session: Session, senders: Senders, row: InboundMessage,
                    reply: Reply) -> tuple[str, str, bool] | None:
    """(reply, outcome, needs attention); None when this number was never asked anything."""
    places = places_answered(senders, row.sender, reply)
    person = place_answered(places, reply)
    if person is None and reply.code:
        return (f"We have no call-out {reply.code} for this number. Check the code in our message.",
                "unknown code", True)
    if person is None and places:
        return ("You have more than one call-out open. Reply YES or NO with the 4-character code "
                "from the message you are answering.", "ambiguous: no code", True)
    if person is None:
        return None
    text, attention = answer(session, SMS_ACTOR, person, reply.intent, senders.locked.get(person.callout_id))
    callout = session.get(CallOut, person.callout_id)  # the batch's copy (inbound_senders), read under the lock
    row.callout_id, row.incident_id = callout.id, callout.incident_id
    return text, f"{reply.intent} -> {person.state}", attention
