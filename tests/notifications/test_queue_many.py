"""Queueing many messages at once stores what queueing each would: checked by its channel, marked
EXERCISE for an exercise, an opted-out address blocked with the reason, every status kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import unit_of_work
from core.errors import InputError
from notifications.model import OutboundMessage, OutboundStatusEvent
from notifications.outbox_service import NewMessage, cancel_messages, queue, queue_many, set_opt_out
from tests import factories

UNSUBSCRIBE = {"unsubscribe_url": "https://support.example.org/stop/x"}


def _rows(s, ids):
    return [s.get(OutboundMessage, i) for i in ids]


def _stored(message: OutboundMessage) -> tuple:
    return (message.channel, message.destination, message.subject, message.body, message.payload, message.segments,
            message.purpose, message.status, message.error_code, message.error_text)


def test_many_at_once_store_what_one_at_a_time_would(db, frozen_clock):
    incident_id = factories.incident(db, "Drill")  # an exercise
    batch = [NewMessage("sms", "07400 300001", "Hello"), NewMessage("sms", "07400 300002", "Hello"),
             NewMessage("email", "Jo@Example.org", "Hello", "Check", UNSUBSCRIBE)]
    with unit_of_work(db.engine) as s:
        set_opt_out(s, "sms", "+447400300002", True)
        ids = queue_many(s, batch, purpose="outreach", incident_id=incident_id)
        singly = [queue(s, channel=m.channel, to=m.to, body=m.body, subject=m.subject, payload=m.payload,
                        purpose="outreach", incident_id=incident_id).id for m in batch]
        assert [_stored(m) for m in _rows(s, ids)] == [_stored(m) for m in _rows(s, singly)]
        first, blocked, email = _rows(s, ids)
        assert (first.body, first.status, blocked.status, email.destination, email.subject) == (
            "EXERCISE Hello", "pending", "blocked", "jo@example.org", "EXERCISE Check")
        events = {i: [e.status for e in s.scalars(select(OutboundStatusEvent).where(OutboundStatusEvent.message_id == i)
                                               .order_by(OutboundStatusEvent.id))] for i in [*ids, *singly]}
        assert [events[i] for i in ids] == [events[i] for i in singly] == [["pending"], ["pending", "blocked"], ["pending"]]


def test_one_bad_message_refuses_the_batch(db, frozen_clock):
    incident_id = factories.incident(db)
    with pytest.raises(InputError, match="Cannot send SMS to '0161 496 0000'"), unit_of_work(db.engine) as s:
        queue_many(s, [NewMessage("sms", "07400 300001", "Hi"), NewMessage("sms", "0161 496 0000", "Hi")],
                   purpose="outreach", incident_id=incident_id)
    with pytest.raises(InputError, match="unsubscribe link"), unit_of_work(db.engine) as s:
        queue_many(s, [NewMessage("email", "jo@example.org", "Hi", "Subject")], purpose="outreach",
                   incident_id=incident_id)
    with unit_of_work(db.engine) as s:
        assert s.scalars(select(OutboundMessage)).all() == []


def test_cancelling_withdraws_only_what_has_not_gone(db, frozen_clock):
    with unit_of_work(db.engine) as s:
        ids = queue_many(s, [NewMessage("sms", f"07400 30000{n}", "Hi") for n in range(3)], purpose="outreach",
                         incident_id=None)
        s.get(OutboundMessage, ids[0]).status = "delivered"
        assert cancel_messages(s, ids, "the person unsubscribed") == 2
        assert [m.status for m in _rows(s, ids)] == ["delivered", "cancelled", "cancelled"]
