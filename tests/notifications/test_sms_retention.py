"""SMS content is anonymised after its period; the traffic record stays; nothing else is touched."""

from datetime import timedelta

from sqlalchemy import select

from core.db import unit_of_work
from core.retention import ErasureLog
from notifications.model import InboundMessage, OutboundMessage
from notifications.retention import ERASED
from standup.retention import run_retention


def _messages(db, frozen_clock):
    with unit_of_work(db.engine) as s:
        s.add(OutboundMessage(destination="+447400123001", body="Call-out K7QX: can you work?", segments=1,
                              purpose="callout", status="delivered"))
        s.add(InboundMessage(provider_sid="SM" + "1" * 32, sender="+447400123001", body="YES K7QX",
                             sender_kind="staff", intent="yes"))
    frozen_clock.advance(timedelta(days=60))
    with unit_of_work(db.engine) as s:
        s.add(OutboundMessage(destination="+447400123002", body="Reminder", segments=1, purpose="notice",
                              status="sent"))
    frozen_clock.advance(timedelta(days=31))  # the first two are 91 days old, the last 31


def test_messages_past_ninety_days_are_anonymised_and_logged(db, frozen_clock):
    _messages(db, frozen_clock)
    outcomes = {o.record_type: o for o in run_retention(dry_run=False)}
    assert len(outcomes["sms_sent"].ids) == 1 and len(outcomes["sms_received"].ids) == 1
    with unit_of_work(db.engine) as s:
        sent = s.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()
        assert [(m.body, m.destination, m.status) for m in sent] == [
            (ERASED, ERASED, "delivered"), ("Reminder", "+447400123002", "sent")]
        received = s.scalar(select(InboundMessage))
        assert (received.body, received.sender, received.intent) == (ERASED, ERASED, "yes")
        logged = s.scalars(select(ErasureLog.record_type)).all()
        assert sorted(logged) == ["sms_received", "sms_sent"]
    # Running again finds nothing new: erasure is not repeated.
    assert all(not o.ids for o in run_retention(dry_run=False) if o.record_type.startswith("sms"))


def test_a_dry_run_reports_and_keeps_the_text(db, frozen_clock):
    _messages(db, frozen_clock)
    outcomes = {o.record_type: o for o in run_retention(dry_run=True)}
    assert len(outcomes["sms_sent"].ids) == 1
    with unit_of_work(db.engine) as s:
        assert ERASED not in s.scalars(select(OutboundMessage.body)).all()
