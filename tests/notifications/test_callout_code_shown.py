"""The reply code the hub manager reads in the preview is the code texted, the code a reply is
matched on, and the code the console suggests (issue 19, item 1)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.auth.roles import Actor
from core.db import unit_of_work
from core.errors import InputError
from notifications.callout_service import preview_callout, start_callout
from notifications.console_service import codes_awaiting_reply
from notifications.inbound_service import handle_inbound
from notifications.mobilisation_service import request_staff
from notifications.model import CallOut, CallOutRecipient, OutboundMessage

HUB = Actor.system("test")


def _preview(engine, world, code=None):
    with unit_of_work(engine) as s:
        return preview_callout(s, HUB, world.requirement_id, code=code)


def test_the_code_previewed_is_the_code_texted_and_a_reply_quoting_it_confirms(db, world):
    w = world(headcount=1, staff=3)
    preview = _preview(db.engine, w)
    assert preview.code in preview.text
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, code=preview.code)
        assert callout.code == preview.code
        bodies = list(s.scalars(select(OutboundMessage.body).where(OutboundMessage.callout_id == callout.id)))
    assert bodies and all(body == preview.text for body in bodies)
    with unit_of_work(db.engine) as s:
        assert codes_awaiting_reply(s, HUB, w.mobile(0)) == [preview.code]
        reply = handle_inbound(s, sid="SM" + "a" * 32, from_=w.mobile(0), to="+447400000000",
                               body=f"yes {preview.code.lower()}").reply
    assert reply.startswith("Confirmed"), reply
    with unit_of_work(db.engine) as s:
        assert codes_awaiting_reply(s, HUB, w.mobile(0)) == []  # answered: nothing left to suggest


def test_the_preview_keeps_its_code_across_renders_and_draws_a_new_one_once_taken(db, world):
    w = world(headcount=1, staff=3)
    first = _preview(db.engine, w)
    assert _preview(db.engine, w, first.code).code == first.code
    with unit_of_work(db.engine) as s:  # a mobilisation request shares the codes' space
        request = request_staff(s, HUB, w.incident_id, w.agency_id)
    again = _preview(db.engine, w, request.code)
    assert again.code != request.code and again.code in again.text


def test_starting_with_a_code_taken_since_the_preview_sends_nothing_and_says_so(db, world):
    w = world(headcount=1, staff=3)
    with unit_of_work(db.engine) as s:
        request = request_staff(s, HUB, w.incident_id, w.agency_id)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match=f"{request.code} is no longer free"):
        start_callout(s, HUB, w.requirement_id, code=request.code)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(CallOut.id)) is None
        assert s.scalar(select(CallOutRecipient.id)) is None
        assert s.scalar(select(OutboundMessage.id).where(OutboundMessage.purpose == "callout")) is None


def test_a_code_that_is_not_a_code_is_refused(db, world):
    w = world(headcount=1, staff=3)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="no longer free"):
        start_callout(s, HUB, w.requirement_id, code="OOPS")
