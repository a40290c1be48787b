"""The large demo's 30 days of SMS (notifications.demo_history), at a smaller count: closed
call-outs that hold together, every message with the status history that led to its status,
and nothing left for the worker to send."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import timedelta

from faker import Faker
from sqlalchemy import select

from core.auth.roles import Actor
from core.clock import now
from core.db import unit_of_work
from core.demo_context import DemoContext
from notifications.demo_history import HISTORY_DAYS, seed_message_history
from notifications.model import (
    CallOut,
    CallOutRecipient,
    InboundMessage,
    OptOut,
    OutboundMessage,
    OutboundStatusEvent,
)
from rosters.model import Assignment, ShiftRequirement
from standup.demo import build_demo

MESSAGES = 3000
FINAL = {"delivered", "undelivered", "failed", "sent", "cancelled", "blocked"}


def _history(db) -> tuple[int, set[int]]:
    incident_id = build_demo(db.engine, scale="small").incident_id
    with unit_of_work(db.engine) as session:
        before = set(session.scalars(select(OutboundMessage.id)))
        ctx = DemoContext(session, Actor.system("demo"), incident_id, "small", random.Random(5), Faker("en_GB"))
        people = [f"+447400{900000 + n:06d}" for n in range(400)]
        written = seed_message_history(ctx, people, "Your screening is due: reply to book.", messages=MESSAGES)
    return written, before


def test_the_sms_history_is_whole_and_leaves_nothing_to_send(db):
    """One demo per database (building it is the slow part), both checks on it."""
    written, before = _history(db)
    _every_message_has_its_history(db, written, before)
    _each_past_callout_holds_together(db)


def _every_message_has_its_history(db, written: int, before: set[int]) -> None:
    with unit_of_work(db.engine) as session:
        messages = [m for m in session.scalars(select(OutboundMessage)) if m.id not in before]
        events = defaultdict(list)
        for e in session.scalars(select(OutboundStatusEvent).order_by(OutboundStatusEvent.id)):
            events[e.message_id].append(e)
        opted_out = set(session.scalars(select(OptOut.address).where(OptOut.opted_out.is_(True))))
    assert written == len(messages) == MESSAGES
    assert {m.status for m in messages} <= FINAL  # nothing pending, nothing mid-send
    purposes = Counter(m.purpose for m in messages)
    assert set(purposes) == {"callout", "reminder", "notice"}
    assert purposes["callout"] > purposes["reminder"] > purposes["notice"]
    statuses = Counter(m.status for m in messages)
    assert statuses["delivered"] > 0.8 * MESSAGES and statuses["undelivered"] and statuses["failed"]
    cutoff = now()
    sids = [m.provider_sid for m in messages if m.provider_sid]
    assert len(sids) == len(set(sids))
    for m in messages:
        history = events[m.id]
        assert history[0].status == "pending" and history[-1].status == m.status, m.id
        assert m.status_at == history[-1].at
        assert (m.provider_sid is None) == (m.status in ("blocked", "cancelled")), m.id
        assert cutoff - timedelta(days=HISTORY_DAYS, hours=13) < m.created_at < cutoff - timedelta(hours=11)
        if m.status == "blocked":
            assert m.purpose == "reminder" and m.destination in opted_out and m.error_code == 21610


def _each_past_callout_holds_together(db) -> None:
    cutoff = now()
    with unit_of_work(db.engine) as session:
        callouts = list(session.scalars(select(CallOut).where(CallOut.status != "open")))
        recipients = defaultdict(list)
        for r in session.scalars(select(CallOutRecipient)):
            recipients[r.callout_id].append(r)
        messages = defaultdict(dict)
        for m in session.scalars(select(OutboundMessage).where(OutboundMessage.purpose == "callout")):
            messages[m.callout_id][m.destination] = m
        replies = {(i.callout_id, i.sender): i for i in session.scalars(select(InboundMessage))}
        requirements = {r.id: r for r in session.scalars(select(ShiftRequirement))}
        assignments = {(a.requirement_id, a.staff_id): a for a in session.scalars(select(Assignment))}
    history = [c for c in callouts if requirements[c.requirement_id].pattern.startswith("surge-hist")]
    assert len(history) > 20 and {c.status for c in history} == {"quorum_met", "expired"}
    for c in history:
        shift = requirements[c.requirement_id]
        assert shift.incident_id == c.incident_id and shift.ends_at < cutoff and shift.headcount == c.quorum
        people = recipients[c.id]
        confirmed = [r for r in people if r.state == "confirmed"]
        assert len(confirmed) == c.quorum if c.status == "quorum_met" else len(confirmed) < c.quorum
        assert c.closed_at is not None and (c.quorum_met_at is not None) == (c.status == "quorum_met")
        for r in people:
            assert r.mobile in messages[c.id], (c.code, r.mobile)  # everyone asked was texted
            if r.answered_at is not None:
                reply = replies[(c.id, r.mobile)]
                assert reply.code == c.code and reply.intent in ("yes", "no")
                assert messages[c.id][r.mobile].status == "delivered"  # they answered what reached them
            if r.state == "confirmed":
                assert assignments[(c.requirement_id, r.staff_id)].id == r.assignment_id
