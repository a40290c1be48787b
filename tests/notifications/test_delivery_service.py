"""notifications.delivery_service.record_status_callback, called directly: what it returns, which
rows a callback's reference may reconcile, and what it writes (the route's tests post the same
through HTTP)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import unit_of_work
from notifications.delivery_service import record_status_callback
from notifications.model import OutboundMessage, OutboundStatusEvent
from notifications.model import OutboundStatus as S
from notifications.outbox_service import queue_sms

SID, OTHER_SID = "SM" + "e" * 32, "SM" + "f" * 32


def _message(db, status: str, provider_sid: str | None = None) -> int:
    with unit_of_work(db.engine) as s:
        message = queue_sms(s, to="+447400100003", body="hello", purpose="notice", incident_id=None)
        message.status, message.provider_sid = status, provider_sid
        s.flush()
        return message.id


def _callback(db, sid: str, status: S, error_code: int | None = None, message_id: int | None = None) -> bool:
    with unit_of_work(db.engine) as s:
        return record_status_callback(s, sid, status, error_code, message_id)


def _row(db, message_id: int) -> tuple:
    with unit_of_work(db.engine) as s:
        m = s.get(OutboundMessage, message_id)
        events = list(s.scalars(select(OutboundStatusEvent.source).where(OutboundStatusEvent.message_id == m.id)
                                .order_by(OutboundStatusEvent.id)))
        return m.status, m.provider_sid, m.error_code, m.error_text, events


def test_a_callback_moves_its_row_once_and_says_so(db):
    mid = _message(db, "accepted", SID)
    assert _callback(db, SID, S.DELIVERED) is True
    assert _callback(db, SID, S.DELIVERED) is False  # replayed
    assert _callback(db, SID, S.SENT) is False  # late, out of order
    assert _row(db, mid) == ("delivered", SID, None, "", ["outbox", "callback"])


def test_an_error_code_is_kept_with_a_note(db):
    mid = _message(db, "sent", SID)
    assert _callback(db, SID, S.UNDELIVERED, error_code=30003) is True
    status, _, error_code, error_text, _ = _row(db, mid)
    assert (status, error_code, error_text) == ("undelivered", 30003, "Twilio error 30003")


@pytest.mark.parametrize("lost_as", ["sending", "unknown"])
def test_a_lost_send_takes_the_sid_of_a_callback_carrying_its_reference(db, lost_as):
    mid = _message(db, lost_as)
    assert _callback(db, SID, S.SENT, message_id=mid) is True
    assert _row(db, mid)[:2] == ("sent", SID)
    assert _callback(db, SID, S.DELIVERED) is True  # found by its SID from now on
    assert _row(db, mid)[0] == "delivered"


@pytest.mark.parametrize(("status", "provider_sid"), [
    ("pending", None),  # never handed to the provider: the callback cannot be about it
    ("sending", OTHER_SID),  # the provider knows it by another SID
    ("delivered", None),
])
def test_a_reference_does_not_reconcile_a_row_whose_send_was_not_lost(db, status, provider_sid):
    mid = _message(db, status, provider_sid)
    assert _callback(db, SID, S.DELIVERED, message_id=mid) is False
    assert _row(db, mid)[:2] == (status, provider_sid)


def test_an_unknown_sid_without_a_reference_changes_nothing(db):
    mid = _message(db, "unknown")
    assert _callback(db, SID, S.DELIVERED) is False
    assert _callback(db, SID, S.DELIVERED, message_id=mid + 1000) is False
    assert _row(db, mid) == ("unknown", None, None, "", ["outbox"])
