"""An SMS the webhook stored is handled by the worker exactly once: after a crash part-way through
handling it, and with two workers taking stored messages at the same time. Messages are taken in
batches; one that always fails is counted and, after a few tries, parked for a person."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.audit.model import AuditEvent
from core.db import unit_of_work
from notifications import inbound_service
from notifications import plugin as notifications_plugin
from notifications.callout_service import start_callout
from notifications.console_service import inbound_messages
from notifications.model import InboundMessage, OutboundMessage
from notifications.plugin import handle_stored_messages
from notifications.replies import help_text
from notifications.webhooks import ROUTES
from rosters.assignment_service import live_assignments
from tests.callout_traffic import HUB, asked_mobiles
from tests.twilio_requests import inbound, post_sms, replies_to


class Crash(BaseException):
    """The worker process dying: not an error it could catch and carry on from."""


@pytest.fixture
def client(db, twilio_env):
    return TestClient(Starlette(routes=ROUTES))


def receipts(engine) -> dict[int, int]:
    """How many times each inbound message was handled, by its audit events."""
    with unit_of_work(engine) as s:
        return {int(entity_id): n for entity_id, n in s.execute(
            select(AuditEvent.entity_id, func.count()).where(AuditEvent.entity == "inbound_message",
                                                            AuditEvent.action == "receive")
            .group_by(AuditEvent.entity_id))}


def assigned(engine, requirement_id: int) -> int:
    with unit_of_work(engine) as s:
        return len(live_assignments(s, [requirement_id])[requirement_id])


def test_a_message_stored_before_a_crash_is_handled_once_by_the_next_run(db, client, world, monkeypatch):
    w = world(headcount=1, staff=2)
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=1)
    mobile = asked_mobiles(db.engine, callout.id)[0]
    assert post_sms(client, inbound(f"YES {callout.code}", sender=mobile)).status_code == 200

    def crash(*_args, **_kwargs):
        raise Crash  # after the assignment and the audit event were made, before the commit

    monkeypatch.setattr(inbound_service, "queue_many", crash)  # the batch's replies
    with pytest.raises(Crash):
        handle_stored_messages()
    with unit_of_work(db.engine) as s:
        row = s.scalar(select(InboundMessage))
        assert row.processed_at is None and row.intent == inbound_service.WAITING_INTENT and row.pending_body
    assert receipts(db.engine) == {} and assigned(db.engine, w.requirement_id) == 0
    assert replies_to(db.engine, mobile) == []

    monkeypatch.undo()
    assert handle_stored_messages() == 1
    assert handle_stored_messages() == 0  # and never again
    assert receipts(db.engine) == {row.id: 1}
    assert assigned(db.engine, w.requirement_id) == 1
    assert [r.startswith("EXERCISE Confirmed") for r in replies_to(db.engine, mobile)] == [True]
    with unit_of_work(db.engine) as s:
        row = s.get(InboundMessage, row.id)
        assert (row.intent, row.sender_kind, row.pending_body) == ("yes", "staff", None)
        assert row.processed_at is not None and row.body == f"YES {callout.code}"


def test_a_message_that_fails_waits_and_the_others_still_go(db, client, world, monkeypatch):
    w = world(headcount=1, staff=2)
    post_sms(client, inbound("HELP", sid="SM" + "1" * 32, sender=w.mobile(0)))
    post_sms(client, inbound("HELP", sid="SM" + "2" * 32, sender=w.mobile(1)))
    handle = inbound_service._handle

    def fails_for_the_first(session, person_replies, senders, row, body):
        if row.provider_sid == "SM" + "1" * 32:
            raise RuntimeError("a bug met by one message")
        return handle(session, person_replies, senders, row, body)

    monkeypatch.setattr(inbound_service, "_handle", fails_for_the_first)
    assert handle_stored_messages() == 1
    assert replies_to(db.engine, w.mobile(0)) == [] and replies_to(db.engine, w.mobile(1)) == [help_text()]
    monkeypatch.undo()
    assert handle_stored_messages() == 1
    assert replies_to(db.engine, w.mobile(0)) == [help_text()]
    assert sorted(receipts(db.engine).values()) == [1, 1]


def test_a_message_that_breaks_reading_the_batchs_senders_fails_alone(db, client, world, monkeypatch):
    w = world(headcount=1, staff=2)
    poison = "SM" + "5" * 32
    post_sms(client, inbound("HELP", sid=poison, sender=w.mobile(0)))
    post_sms(client, inbound("HELP", sid="SM" + "6" * 32, sender=w.mobile(1)))
    read = inbound_service.read_senders

    def breaks_for_the_first(session, messages):
        if any(mobile == w.mobile(0) for mobile, _ in messages):
            raise RuntimeError("a sender the reading cannot take")
        return read(session, messages)

    monkeypatch.setattr(inbound_service, "read_senders", breaks_for_the_first)
    assert handle_stored_messages() == 1  # the batch's reading failed: each message read its own
    assert replies_to(db.engine, w.mobile(0)) == [] and replies_to(db.engine, w.mobile(1)) == [help_text()]
    with unit_of_work(db.engine) as s:
        row = s.scalar(select(InboundMessage).where(InboundMessage.provider_sid == poison))
        assert (row.attempts, row.processed_at) == (1, None)  # counted against it alone, on its way to parking
        assert row.failure.startswith("RuntimeError at test_inbound_worker.py:")


def test_two_workers_at_once_handle_each_message_once_and_never_overfill_a_shift(db, client, world, monkeypatch):
    # Batches of two, one worker's a HELP then a YES, the other's a YES then a HELP: on PostgreSQL
    # the first audits before it locks the call-out, the second locks the call-out before it
    # audits; recording an event takes no lock (it is sequenced later), so neither waits on the other.
    monkeypatch.setattr(notifications_plugin, "INBOUND_BATCH", 2)
    w = world(headcount=2, staff=6)
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=2)
    yes = asked_mobiles(db.engine, callout.id)
    helped = [w.mobile(n) for n in range(6) if w.mobile(n) not in yes]
    stored = len(yes) + len(helped)
    assert (len(yes), len(helped)) == (4, 2)  # the first wave asks twice the quorum
    pattern = [("HELP", helped[0]), ("YES", yes[0]), ("YES", yes[1]), ("HELP", helped[1]), ("YES", yes[2]),
               ("YES", yes[3])]
    for n, (kind, mobile) in enumerate(pattern):
        post_sms(client, inbound(f"YES {callout.code}" if kind == "YES" else "HELP", sid=f"SMrace{n:029d}",
                                 sender=mobile))

    barrier = threading.Barrier(2)
    handled: list[int] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            handled.append(handle_stored_messages())
        except BaseException as problem:  # noqa: BLE001  reported below, with the test's own assertion
            failures.append(problem)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failures == [] and sum(handled) == stored
    assert sorted(receipts(db.engine).values()) == [1] * stored
    assert assigned(db.engine, w.requirement_id) == 2  # the shift's headcount, however the replies raced
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(InboundMessage)
                        .where(InboundMessage.processed_at.is_(None))) == 0
        assert s.scalar(select(func.count()).select_from(OutboundMessage)
                        .where(OutboundMessage.purpose == "reply")) == stored
    for mobile in helped:
        assert replies_to(db.engine, mobile) == [help_text()]


def test_a_stored_message_wakes_the_worker_and_a_replay_does_not(db, client, world):
    from core.wakeup import WakeListener

    w = world(headcount=1, staff=1)
    listener = WakeListener(db.engine)
    try:
        post_sms(client, inbound("HELP", sender=w.mobile(0)))
        assert listener.wait(timeout=5) == {inbound_service.WAKE_TOPIC}
        post_sms(client, inbound("HELP", sender=w.mobile(0)))  # the same MessageSid again
        assert listener.wait(timeout=0.5) == set()
    finally:
        listener.close()


def test_a_message_that_always_fails_is_counted_then_parked_for_a_person(db, client, world, monkeypatch):
    w = world(headcount=1, staff=2)
    poison, good = "SM" + "3" * 32, "SM" + "4" * 32
    post_sms(client, inbound("HELP me please", sid=poison, sender=w.mobile(0)))
    handle = inbound_service._handle

    def always_fails(session, person_replies, senders, row, body):
        if row.provider_sid == poison:
            raise RuntimeError(f"cannot read {body!r}")  # the words in the message: never kept
        return handle(session, person_replies, senders, row, body)

    monkeypatch.setattr(inbound_service, "_handle", always_fails)

    def stored():
        with unit_of_work(db.engine) as s:
            return s.scalar(select(InboundMessage).where(InboundMessage.provider_sid == poison))

    for tried in range(1, inbound_service.MAX_ATTEMPTS):
        assert handle_stored_messages() == 0
        row = stored()
        assert (row.attempts, row.processed_at, row.intent) == (tried, None, inbound_service.WAITING_INTENT)
        assert row.failure.startswith("RuntimeError at test_inbound_worker.py:") and "HELP" not in row.failure
    post_sms(client, inbound("HELP", sid=good, sender=w.mobile(1)))
    assert handle_stored_messages() == 1  # the other one; the poison's last try
    row = stored()
    assert row.attempts == inbound_service.MAX_ATTEMPTS and row.processed_at is not None
    assert (row.intent, row.needs_attention, row.body, row.reply_text) == (inbound_service.FAILED_INTENT, True, "", "")
    assert row.outcome == f"not handled: failed {inbound_service.MAX_ATTEMPTS} times"
    assert handle_stored_messages() == 0 and stored().attempts == inbound_service.MAX_ATTEMPTS  # never tried again
    assert replies_to(db.engine, w.mobile(0)) == [] and replies_to(db.engine, w.mobile(1)) == [help_text()]
    with unit_of_work(db.engine) as s:
        parked = [r for r in inbound_messages(s, HUB, w.incident_id, attention_only=True) if r.provider_sid == poison]
        assert [r.failure for r in parked] == [row.failure]  # where the hub manager reads replies needing a person
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "park", AuditEvent.entity_id == str(row.id))) == 1


def test_messages_are_handled_in_batches_until_none_wait(db, client, world, monkeypatch):
    w = world(headcount=1, staff=5)
    monkeypatch.setattr(notifications_plugin, "INBOUND_BATCH", 2)
    claimed: list[int] = []
    claim = inbound_service.claim

    def counted(session, limit, **kw):
        found = claim(session, limit, **kw)
        claimed.append(len(found))
        return found

    monkeypatch.setattr(notifications_plugin, "claim", counted)
    for n in range(5):
        post_sms(client, inbound("HELP", sid=f"SMbatch{n:028d}", sender=w.mobile(n)))
    assert handle_stored_messages() == 5
    assert claimed == [2, 2, 1, 0]
    assert sorted(receipts(db.engine).values()) == [1] * 5
