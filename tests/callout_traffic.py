"""A call-out's traffic as the notifications tests drive and read it: a text handled as the webhook
hands it over, who a call-out asked, and the state each of its recipients is in."""

from __future__ import annotations

from sqlalchemy import func, select

from core.auth.roles import Actor
from core.db import unit_of_work
from notifications.inbound_service import handle_inbound
from notifications.model import CallOutRecipient

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
