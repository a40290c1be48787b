"""Thirty days of SMS traffic for the large demo, bulk inserted so 200,000 messages take seconds:
past surge call-outs (the shift each was for, the people asked in waves, their YES and NO
replies, the places they filled), screening reminders to affected people, and notices to staff.
Every message carries its status history, in the mix a busy incident produces: most delivered,
some undelivered or refused by the network, a few blocked (opted out) or cancelled.

Nothing here is pending: the worker must not find 200,000 messages to send when the demo starts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.clock import now
from core.db import BULK_CHUNK, bulk_insert
from core.demo_context import DemoContext
from incident.queries import HubFacts, hubs_of
from notifications import callout_rules as rules
from notifications.callout_code import generate_code
from notifications.exercise_texts import as_sent
from notifications.model import (
    CallOut,
    CallOutRecipient,
    CallOutStatus,
    InboundMessage,
    OptOut,
    OutboundMessage,
    OutboundStatusEvent,
    RecipientState,
)
from notifications.segments import measure
from rosters.demo_history import (
    PastPlacement,
    PastSurge,
    insert_callout_placements,
    insert_past_surges,
    staff_to_text,
)

HISTORY_DAYS = 30
CALLOUT_SHARE, REMINDER_SHARE = 0.6, 0.3  # of the messages; the rest are notices to staff
ASKED_PER_CALLOUT = (30, 70)
SURGE_ROLES = ("support worker", "support worker", "mental health practitioner", "family liaison")
NOTICES = (
    "Stand Up: briefing for today's hub shifts at 07:45 in the main hall. Bring your ID badge.",
    "Stand Up: the family assistance centre car park is closed today; use the Ashton New Road entrance.",
    "Stand Up: debrief and welfare check after your shift, 20 minutes, with the hub duty manager.",
    "Stand Up: thank you for your work this week. Support is open to you too: ask the hub manager.",
)
# How messages to responders and affected people end, and how often.
OUTCOMES = {"delivered": 0.925, "undelivered": 0.03, "failed": 0.015, "sent": 0.01, "cancelled": 0.02}
# (error code, note) a final status carries.
WHY = {"undelivered": (30003, "Twilio error 30003"), "failed": (30006, "Twilio error 30006"),
       "blocked": (21610, "not sent: this number has opted out (STOP)"), "cancelled": (None, "no longer needed")}
OPTED_OUT_SHARE = 0.01  # reminders to numbers that had sent STOP: blocked
TWILIO_NUMBER = "+447400000001"


@dataclass
class _Rows:
    surges: list[PastSurge] = field(default_factory=list)
    callouts: list[dict] = field(default_factory=list)
    recipients: list[list[dict]] = field(default_factory=list)  # per call-out
    messages: list[dict] = field(default_factory=list)
    inbound: list[dict] = field(default_factory=list)
    opt_outs: dict[str, datetime] = field(default_factory=dict)


def _insert(session: Session, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BULK_CHUNK):
        session.execute(insert(model.__table__), rows[start:start + BULK_CHUNK])


def _message(rng: random.Random, *, to: str, body: str, purpose: str, at: datetime, incident_id: int,
             callout_id: int | None = None, status: str | None = None) -> dict:
    if status is None:
        status = rng.choices(list(OUTCOMES), list(OUTCOMES.values()))[0]
    error, note = WHY.get(status, (None, ""))
    body = as_sent(body, is_exercise=True)  # the demo is an exercise, and its history says so like the outbox
    return dict(incident_id=incident_id, destination=to, body=body, segments=_segments(body), purpose=purpose,
                callout_id=callout_id, mobilisation_id=None,
                validity_seconds=rules.CALLOUT_VALIDITY_SECONDS if purpose == "callout" else None,
                status=status, due_at=at, attempts=0 if status in ("blocked", "cancelled") else 1,
                claim_token=None, claimed_at=None, provider_sid=None, error_code=error, error_text=note,
                created_at=at, status_at=at)


@lru_cache(maxsize=4096)
def _segments(body: str) -> int:
    return measure(body).segments


def _timeline(message: dict, sid: str, rng: random.Random) -> list[tuple]:
    """The statuses one message went through, (status, at, source, error code, note), with its
    row brought in line with the last of them."""
    at, final, error, note = message["created_at"], message["status"], message["error_code"], message["error_text"]
    steps = [("pending", at, "outbox", None, "")]
    if final in ("blocked", "cancelled"):
        steps.append((final, at, "outbox", error, note))
    else:
        sending = at + timedelta(seconds=rng.uniform(0.1, 60))
        message.update(claimed_at=sending, provider_sid=sid)
        if final == "failed":  # refused when handed over
            steps += [("sending", sending, "dispatcher", None, ""), (final, sending, "dispatcher", error, note)]
        else:
            steps += [("sending", sending, "dispatcher", None, ""), ("accepted", sending, "dispatcher", None, ""),
                      (final, sending + timedelta(seconds=rng.uniform(2, 30)), "callback", error, note)]
    message["status_at"] = steps[-1][1]
    return steps


def _past_callout(ctx: DemoContext, rows: _Rows, codes: set[str], hub: HubFacts, staff: list[tuple[int, str, str]],
                  at: datetime) -> None:
    """One surge call-out that ran at `at`: its shift, the people asked, their answers, the messages."""
    rng = ctx.rng
    role, quorum = rng.choice(SURGE_ROLES), rng.randint(1, 6)
    starts = at + timedelta(hours=rng.choice((1, 2, 3)))
    ends = starts + timedelta(hours=rng.choice((4, 6, 8)))
    code = generate_code(codes, rng)
    codes.add(code)
    facts = rules.ShiftFacts(code, role, hub.name, starts, ends)
    asked = rng.sample(staff, rng.randint(*ASKED_PER_CALLOUT))
    yes_share = rng.uniform(0.02, 0.4)  # some nights nobody can come: those call-outs expire
    answers = [rng.choices(("yes", "no", None), (yes_share, 0.3, 0.7 - yes_share))[0] for _ in asked]
    yes_at = [i for i, a in enumerate(answers) if a == "yes"]
    met = len(yes_at) >= quorum
    confirmed = set(yes_at[:quorum])
    recipients, index, body = [], len(rows.callouts), rules.render(rules.DEFAULT_TEMPLATE, facts)
    answered_times = []
    for i, ((staff_id, mobile, name), answer) in enumerate(zip(asked, answers, strict=True)):
        wave = 1 + min(2, i // (2 * quorum))
        asked_at = at + timedelta(minutes=15 * (wave - 1))
        answered_at = asked_at + timedelta(minutes=rng.uniform(1, 40)) if answer else None
        if i in confirmed:
            answered_times.append(answered_at)
        state = (RecipientState.CONFIRMED if i in confirmed else RecipientState.STANDBY if answer == "yes"
                 else RecipientState.DECLINED if answer == "no" else RecipientState.NO_REPLY).value
        recipients.append(dict(callout_id=None, staff_id=staff_id, mobile=mobile, display_name=name, rank=i,
                               wave=wave, state=state, asked_at=asked_at, reminded_at=None, answered_at=answered_at,
                               assignment_id=None, flag=""))
        # Whoever answered got the message; the others' went the way messages go.
        rows.messages.append(_message(rng, to=mobile, body=body, purpose="callout", at=asked_at,
                                      incident_id=ctx.incident_id, callout_id=index,
                                      status="delivered" if answer else None))
        if answer is None and rng.random() < 0.3:
            reminded = asked_at + timedelta(minutes=10)
            recipients[-1]["reminded_at"] = reminded
            rows.messages.append(_message(rng, to=mobile, body=rules.reminder_text(facts), purpose="reminder",
                                          at=reminded, incident_id=ctx.incident_id, callout_id=index))
        if answer:
            reply = (rules.confirmed_text(facts) if i in confirmed else rules.standby_text(code) if answer == "yes"
                     else f"Thank you, noted: not available for {code}.")
            rows.inbound.append(dict(
                provider_sid="", sender=mobile, to_number=TWILIO_NUMBER, body=f"{answer.upper()} {code}",
                received_at=answered_at, sender_kind="staff", intent=answer, code=code, number=None,
                incident_id=ctx.incident_id, callout_id=index, mobilisation_id=None,
                outcome=f"{answer} -> {state}", reply_text=reply, needs_attention=False))
    met_at = max(answered_times) if met else None
    expires = rules.default_expiry(starts, ends, at)
    rows.surges.append(PastSurge(ctx.incident_id, hub.id, role, quorum, starts, ends,
                                 needs_enhanced_dbs=role != "support worker", planned_at=at,
                                 planned_by=ctx.actor.username))
    rows.callouts.append(dict(
        incident_id=ctx.incident_id, code=code, requirement_id=None, template=rules.DEFAULT_TEMPLATE, quorum=quorum,
        wave_interval_minutes=15, reminder_after_minutes=10,
        status=(CallOutStatus.QUORUM_MET if met else CallOutStatus.EXPIRED).value, created_at=at,
        created_by_id=ctx.users.get("hub_manager"), expires_at=expires, next_wave_at=None, quorum_met_at=met_at,
        closed_at=met_at or expires, exercise_yes_share=None, exercise_reply_seconds=None))
    rows.recipients.append(recipients)


def _when(rng: random.Random, days: int) -> datetime:
    # Busiest in the first days of the response, quieter since; the latest call-out's shift is over.
    return now() - timedelta(days=days * (1 - rng.random() ** 2), hours=12)


def seed_message_history(ctx: DemoContext, people_mobiles: list[str], reminder_text: str, *, messages: int,
                         days: int = HISTORY_DAYS) -> int:
    """`messages` SMS over the last `days` days (people_mobiles: affected people who agreed to SMS;
    reminder_text: what their screening reminders say). Returns how many messages were written."""
    session, rng = ctx.session, ctx.rng
    hubs = sorted(hubs_of(session, ctx.incident_id), key=lambda hub: hub.id)
    staff = staff_to_text(session)
    if not hubs or len(staff) < ASKED_PER_CALLOUT[1] or not people_mobiles or messages <= 0:
        return 0
    rows, codes = _Rows(), set(session.scalars(select(CallOut.code)))
    while len(rows.messages) < messages * CALLOUT_SHARE:
        _past_callout(ctx, rows, codes, rng.choice(hubs), staff, _when(rng, days))
    del rows.messages[messages:]  # a tiny total: the call-outs alone may pass it
    for _ in range(min(round(messages * REMINDER_SHARE), messages - len(rows.messages))):
        mobile, at = rng.choice(people_mobiles), _when(rng, days)
        opted_out = rng.random() < OPTED_OUT_SHARE
        if opted_out:
            rows.opt_outs[mobile] = min(at, rows.opt_outs.get(mobile, at))
        rows.messages.append(_message(rng, to=mobile, body=reminder_text, purpose="reminder", at=at,
                                      incident_id=ctx.incident_id, status="blocked" if opted_out else None))
    while len(rows.messages) < messages:
        rows.messages.append(_message(rng, to=rng.choice(staff)[1], body=rng.choice(NOTICES), purpose="notice",
                                      at=_when(rng, days), incident_id=ctx.incident_id))
    _write(session, rng, rows)
    return len(rows.messages)


def _write(session: Session, rng: random.Random, rows: _Rows) -> None:
    requirement_ids = insert_past_surges(session, rows.surges)
    for callout, requirement_id in zip(rows.callouts, requirement_ids, strict=True):
        callout["requirement_id"] = requirement_id
    callout_ids = bulk_insert(session, CallOut, rows.callouts)
    placements, confirmed = [], []
    for callout_id, requirement_id, recipients in zip(callout_ids, requirement_ids, rows.recipients, strict=True):
        for person in recipients:
            person["callout_id"] = callout_id
            if person["state"] == RecipientState.CONFIRMED.value:
                confirmed.append(person)
                placements.append(PastPlacement(requirement_id, person["staff_id"], person["answered_at"]))
    assignment_ids = insert_callout_placements(session, placements, assigned_by="sms")
    for person, assignment_id in zip(confirmed, assignment_ids, strict=True):
        person["assignment_id"] = assignment_id
    _insert(session, CallOutRecipient, [p for recipients in rows.recipients for p in recipients])
    for row in (*rows.messages, *rows.inbound):  # call-outs were numbered by position until now
        if row["callout_id"] is not None:
            row["callout_id"] = callout_ids[row["callout_id"]]
    token = f"{rng.getrandbits(32):08x}"  # another demo in the same database has other SIDs
    for n, row in enumerate(rows.inbound):
        row["provider_sid"] = f"SMi{token}{n:020d}"
    _insert(session, InboundMessage, rows.inbound)
    timelines = [_timeline(m, f"SMh{token}{n:020d}", rng) for n, m in enumerate(rows.messages)]
    message_ids = bulk_insert(session, OutboundMessage, rows.messages)
    _insert(session, OutboundStatusEvent, [
        dict(message_id=message_id, status=status, at=at, source=source, error_code=error, note=note)
        for message_id, steps in zip(message_ids, timelines, strict=True)
        for status, at, source, error, note in steps])
    existing = set(session.scalars(select(OptOut.address).where(OptOut.channel == "sms",
                                                                  OptOut.address.in_(list(rows.opt_outs)))))
    _insert(session, OptOut, [dict(channel="sms", address=m, opted_out=True, changed_at=at, via_message_sid="")
                              for m, at in rows.opt_outs.items() if m not in existing])
