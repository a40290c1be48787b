"""A call-out's traffic as the notifications tests drive and read it: a text handled as the webhook
hands it over, calls placed on the console, who a call-out asked, and the state each of its
recipients is in."""

from __future__ import annotations

from sqlalchemy import func, select

from core.auth.roles import Actor
from core.db import unit_of_work
from notifications.channels.console import ConsoleSender
from notifications.dispatcher import dispatch
from notifications.inbound_service import handle_inbound
from notifications.model import CallOutRecipient, OutboundMessage
from notifications.pacing import TokenBucket

HUB = Actor.system("test")  # stands in for the hub manager who starts and cancels call-outs
_sid = iter(range(1, 1_000_000))


def sms(engine, mobile: str, body: str) -> str:
    """The reply Stand Up gives to a text from `mobile`."""
    with unit_of_work(engine) as s:
        return handle_inbound(s, sid=f"SMtest{next(_sid):026d}", from_=mobile, to="+447400000000", body=body).reply


def states(engine, callout_id: int) -> dict[str, int]:
    with unit_of_work(engine) as s:
        rows = s.execute(select(CallOutRecipient.state, func.count()).where(CallOutRecipient.callout_id == callout_id)
                         .group_by(CallOutRecipient.state)).all()
        return dict(rows)


def asked_mobiles(engine, callout_id: int) -> list[str]:
    """The mobiles a call-out has texted so far, in ranking order."""
    with unit_of_work(engine) as s:
        return list(s.scalars(select(CallOutRecipient.mobile).where(CallOutRecipient.callout_id == callout_id,
                                                                    CallOutRecipient.wave.is_not(None))
                              .order_by(CallOutRecipient.rank)))


def calls(engine, callout_id: int) -> list[tuple[int, str, str]]:
    """(outbox id, number, status) of each call a call-out made, in order."""
    with unit_of_work(engine) as s:
        return [tuple(row) for row in s.execute(
            select(OutboundMessage.id, OutboundMessage.destination, OutboundMessage.status)
            .where(OutboundMessage.callout_id == callout_id, OutboundMessage.channel == "voice")
            .order_by(OutboundMessage.id))]


def place_calls(engine, how_many: int = 1000) -> None:
    """The voice dispatcher, on the console, placing up to `how_many` due calls."""
    dispatch(engine, "voice", ConsoleSender("CA"), TokenBucket(1000), max_messages=how_many)


def call_sid(engine, message_id: int) -> str:
    with unit_of_work(engine) as s:
        return s.get(OutboundMessage, message_id).provider_sid
