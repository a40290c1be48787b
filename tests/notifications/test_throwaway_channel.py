"""A channel is a module and a registration, never a migration (issue 13): a throwaway channel,
carrier pigeons to mobile numbers, is registered here and unregistered after. Its messages go
through `queue` and `dispatch` on the migrated database as it is, paced at its own rate in its own
units, with the outbox's statuses, retries and per-channel opt-outs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import unit_of_work
from core.errors import InputError
from core.phone import normalise_mobile
from core.settings import get_settings
from notifications.channels import Accepted, Channel, Outgoing, SendError, channel_named, register, unregister
from notifications.dispatcher import dispatch
from notifications.model import OutboundMessage, OutboundStatusEvent
from notifications.outbox_service import queue, queue_sms, set_opt_out
from notifications.pacing import TokenBucket

MOBILE = "+447400123456"


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


class Loft:
    """The pigeon backend: keeps what it sent; raises the errors it is given first, in turn."""

    name = "loft"

    def __init__(self, *errors: SendError) -> None:
        self.errors = list(errors)
        self.sent: list[Outgoing] = []

    def send(self, message: Outgoing) -> Accepted:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(message)
        return Accepted(f"PG{message.reference:08d}", "delivered")


def weight(body: str) -> int:
    """A pigeon carries 20 characters a unit and three units at most."""
    units = 1 + (len(body) - 1) // 20
    if units > 3:
        raise ValueError(f"This message weighs {units} units; a pigeon carries 3.")
    return units


PIGEON = Channel(name="pigeon", title="Carrier pigeon", normalise=normalise_mobile, cost=weight,
                 rate=lambda settings: 2.0, sender=lambda settings: Loft(), retention="pigeon_sent",
                 opt_out_hint="this loft takes no more pigeons")


@pytest.fixture
def pigeon() -> Iterator[Channel]:
    register(PIGEON)
    yield PIGEON
    unregister("pigeon")
    with pytest.raises(ValueError, match="no channel 'pigeon'"):
        channel_named("pigeon")


def _queue(db, *bodies: str, to: str = MOBILE) -> list[int]:
    with unit_of_work(db.engine) as s:
        return [queue(s, channel="pigeon", to=to, body=body, purpose="notice", incident_id=None).id
                for body in bodies]


def _rows(db) -> dict[int, OutboundMessage]:
    with unit_of_work(db.engine) as s:
        return {m.id: m for m in s.scalars(select(OutboundMessage))}


def test_a_message_goes_by_a_channel_registered_in_a_test_paced_in_its_own_units(db, frozen_clock, pigeon):
    light, medium, heavy = _queue(db, "Shift at 9", "x" * 40, "y" * 60)
    with unit_of_work(db.engine) as s:
        text = queue_sms(s, to=MOBILE, body="By SMS", purpose="notice", incident_id=None).id
    loft, clock = Loft(), FakeClock()
    bucket = TokenBucket(pigeon.rate(get_settings()), clock=clock, sleep=clock.sleep)
    report = dispatch(db.engine, "pigeon", loft, bucket)
    assert report.sent == 3 and [m.reference for m in loft.sent] == [light, medium, heavy]
    # 2 units a second from a full bucket of 2: 1 at once, 2 after half a second, 3 a second later.
    assert clock.t == pytest.approx(1.5)
    rows = _rows(db)
    assert [(rows[i].channel, rows[i].segments, rows[i].status) for i in (light, medium, heavy)] == [
        ("pigeon", 1, "delivered"), ("pigeon", 2, "delivered"), ("pigeon", 3, "delivered")]
    assert rows[light].provider_sid == f"PG{light:08d}" and rows[light].destination == MOBILE
    assert rows[text].status == "pending"  # SMS waits for its own dispatcher
    with unit_of_work(db.engine) as s:
        assert list(s.scalars(select(OutboundStatusEvent.status).where(OutboundStatusEvent.message_id == light)
                              .order_by(OutboundStatusEvent.id))) == ["pending", "sending", "accepted", "delivered"]


def test_a_channels_errors_retry_fail_or_ask_a_person(db, frozen_clock, pigeon):
    retried, failed, unknown = _queue(db, "one", "two", "three")
    loft = Loft(SendError("the loft is full", code=503, retryable=True),
                SendError("no such loft", code=404),
                SendError("the pigeon flew off mid-message", ambiguous=True))
    report = dispatch(db.engine, "pigeon", loft, TokenBucket(1e9))
    assert (report.retried, report.failed, report.unknown, report.sent) == (1, 1, 1, 0)
    rows = _rows(db)
    assert (rows[retried].status, rows[retried].error_code) == ("pending", 503)
    assert (rows[failed].status, rows[failed].error_code, rows[failed].error_text) == ("failed", 404, "no such loft")
    assert rows[unknown].status == "unknown"
    frozen_clock.advance(timedelta(minutes=1))
    assert dispatch(db.engine, "pigeon", loft, TokenBucket(1e9)).sent == 1  # the retry; the others stay
    assert [m.reference for m in loft.sent] == [retried]


def test_opt_outs_are_per_channel_for_one_number(db, frozen_clock, pigeon):
    with unit_of_work(db.engine) as s:
        set_opt_out(s, "pigeon", MOBILE, True, via="a note on the loft")
        by_pigeon = queue(s, channel="pigeon", to="07400 123456", body="Hello", purpose="notice",
                          incident_id=None).id
        by_text = queue_sms(s, to=MOBILE, body="Hello", purpose="notice", incident_id=None).id
        set_opt_out(s, "sms", "+447400123457", True, via="STOP")
        other = queue(s, channel="pigeon", to="+447400123457", body="Hello", purpose="notice", incident_id=None).id
    loft = Loft()
    dispatch(db.engine, "pigeon", loft, TokenBucket(1e9))
    rows = _rows(db)
    assert rows[by_pigeon].status == "blocked" and "this loft takes no more pigeons" in rows[by_pigeon].error_text
    assert rows[by_text].status == "pending"  # the same number by SMS is not stopped
    assert rows[other].status == "delivered"  # a STOP by SMS does not stop pigeons
    assert [m.reference for m in loft.sent] == [other]


@pytest.mark.parametrize(("to", "body", "refusal"), [
    ("07700 900123", "Hello", "Cannot send Carrier pigeon to '07700 900123'"),
    (MOBILE, "z" * 61, "weighs 4 units; a pigeon carries 3"),
])
def test_the_channel_refuses_what_it_cannot_carry_when_queued(db, frozen_clock, pigeon, to, body, refusal):
    with pytest.raises(InputError, match=refusal):
        _queue(db, body, to=to)
    assert _rows(db) == {}
