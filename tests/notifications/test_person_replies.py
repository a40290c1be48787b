"""Replies from affected people (victims answering a screening reminder) go through the
PersonReplies port to their support team: the SMS record keeps none of their words, hub
managers never see them, and the person gets the port's acknowledgement. Tested here with a
fake port; tests/standup/test_person_replies.py joins the real pathways side."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import select, text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.audit.model import AuditEvent
from core.db import unit_of_work
from core.inert_text import md
from core.plugin_shapes import Port
from notifications import inbound_service
from notifications.callout_service import start_callout
from notifications.console_service import inbound_messages
from notifications.inbound_service import PERSON_MARKER, PERSON_REPLIES, handle_inbound
from notifications.mobilisation_service import request_staff
from notifications.model import InboundMessage, MobilisationRequest, OptOut
from notifications.outbox_service import queue_sms
from notifications.webhooks import ROUTES
from tests.callout_traffic import HUB, asked_mobiles
from tests.twilio_requests import handle_stored, inbound, post_sms, replies_to

VICTIM = "+447400777001"
WORDS = "I keep having nightmares since the 14th and took 30 of my pills"
ACK = "Thank you, your message has reached your support team. If you are in danger now call 999."
_sid = iter(range(1, 1_000_000))


class FakePersonReplies:
    """Knows some mobiles as registered people; remembers what it was handed."""

    def __init__(self, *mobiles: str) -> None:
        self.mobiles = set(mobiles)
        self.taken: list[tuple[str, str, datetime, str]] = []

    def take(self, session, *, mobile: str, body: str, received_at: datetime, provider_sid: str) -> str | None:
        if mobile not in self.mobiles:
            return None
        self.taken.append((mobile, body, received_at, provider_sid))
        return ACK


@pytest.fixture
def port() -> Iterator[FakePersonReplies]:
    fake = FakePersonReplies(VICTIM)
    started_with = PERSON_REPLIES.get()  # the suite's own, as standup/bootstrap.py plugs it
    PERSON_REPLIES.plug(fake)
    yield fake
    PERSON_REPLIES.plug(started_with)


def sms(engine, mobile: str, body: str, sid: str | None = None):
    with unit_of_work(engine) as s:
        return handle_inbound(s, sid=sid or f"SMperson{next(_sid):024d}", from_=mobile, to="+447400000000",
                              body=body)


def stored(engine, message_id: int) -> InboundMessage:
    with unit_of_work(engine) as s:
        row = s.get(InboundMessage, message_id)
        s.expunge(row)
        return row


def test_a_persons_message_reaches_the_port_and_the_sms_record_keeps_none_of_their_words(db, frozen_clock, port):
    result = sms(db.engine, "07400 777001", WORDS, sid="SM" + "p" * 32)
    assert result.reply == ACK and not result.replay
    assert port.taken == [(VICTIM, WORDS, frozen_clock(), "SM" + "p" * 32)]
    row = stored(db.engine, result.message_id)
    assert (row.sender_kind, row.body, row.needs_attention) == ("person", PERSON_MARKER, False)
    assert row.number is None and row.code is None  # "30" is not kept as a reading of their words
    assert row.reply_text == ACK
    with unit_of_work(db.engine) as s:
        details = " ".join(e.detail + e.reason for e in s.scalars(select(AuditEvent)))
    assert "nightmares" not in details and "pills" not in details


def test_a_replayed_person_message_is_answered_the_same_and_handed_over_once(db, frozen_clock, port):
    first = sms(db.engine, VICTIM, WORDS, sid="SM" + "q" * 32)
    again = sms(db.engine, VICTIM, WORDS, sid="SM" + "q" * 32)
    assert again.replay and again.reply == first.reply == ACK
    assert len(port.taken) == 1


@pytest.mark.parametrize("body", ["HELP", "yes", "no", "4", "👍", ""])
def test_anything_a_person_sends_but_stop_or_start_is_theirs_to_keep(db, frozen_clock, port, body):
    # HELP from a victim may mean "I need help": their support team must see it, with the 999 line.
    assert sms(db.engine, VICTIM, body).reply == ACK
    assert [t[1] for t in port.taken] == [body]


def test_stop_from_a_person_opts_them_out_and_is_not_handed_over(db, frozen_clock, port):
    result = sms(db.engine, VICTIM, "STOP")
    assert result.reply == "" and port.taken == []
    with unit_of_work(db.engine) as s:
        assert s.get(OptOut, ("sms", VICTIM)).opted_out


def test_with_nothing_plugged_in_no_message_is_handled_or_kept(db, frozen_clock, monkeypatch):
    # An entry point that never started its ports: a person's words would be kept in clear. Refused.
    monkeypatch.setattr(inbound_service, "PERSON_REPLIES", Port(PERSON_REPLIES.name, PERSON_REPLIES.unplugged_harm))
    for body in (WORDS, "STOP"):
        with pytest.raises(RuntimeError, match="notifications' person-replies port is not plugged in .*"
                                               "standup.bootstrap.start"):
            sms(db.engine, VICTIM, body)
    with unit_of_work(db.engine) as s:
        assert s.scalars(select(InboundMessage)).all() == [] and s.get(OptOut, ("sms", VICTIM)) is None


def test_a_staff_members_callout_answers_stay_call_out_answers_and_their_other_words_are_theirs(db, world, port):
    w = world(headcount=1, staff=2)
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=1)
    mobile = asked_mobiles(db.engine, callout.id)[0]
    port.mobiles.add(mobile)  # a first responder on the roster who was also at the scene
    assert sms(db.engine, mobile, f"YES {callout.code}").reply.startswith("Confirmed")
    assert port.taken == []
    told = sms(db.engine, mobile, "I cannot stop shaking since that night")
    assert told.reply == ACK and stored(db.engine, told.message_id).body == PERSON_MARKER


def test_a_staff_yes_with_no_callout_at_all_goes_to_the_port_when_the_person_is_registered(db, world, port):
    w = world(headcount=1, staff=2)
    port.mobiles.add(w.mobile(0))
    assert sms(db.engine, w.mobile(0), "yes").reply == ACK
    # Without a registration it stays what it was: unreadable, for the hub manager.
    result = sms(db.engine, w.mobile(1), "yes")
    assert result.reply.startswith("Sorry, we could not read that")
    assert stored(db.engine, result.message_id).needs_attention


def test_a_coordinators_offer_is_still_recorded_when_the_port_knows_the_number(db, world, port):
    w = world(headcount=1, staff=1)
    port.mobiles.add(w.coordinator_mobile)
    with unit_of_work(db.engine) as s:
        request = request_staff(s, HUB, w.incident_id, w.agency_id)
    assert "3 staff offered" in sms(db.engine, w.coordinator_mobile, "3").reply
    with unit_of_work(db.engine) as s:
        assert s.get(MobilisationRequest, request.id).offered == 3
    assert port.taken == []


def test_the_hub_managers_list_of_replies_never_holds_a_persons_message(db, world, port):
    w = world(headcount=1, staff=1)
    sms(db.engine, VICTIM, WORDS)
    sms(db.engine, "+447400999888", "who is this?")  # an unknown sender: still for the hub manager
    with unit_of_work(db.engine) as s:
        rows = inbound_messages(s, HUB, w.incident_id)
        assert [r.sender_kind for r in rows] == ["unknown"]


def test_a_signed_webhook_from_a_person_is_answered_with_the_acknowledgement(db, twilio_env, port):
    client = TestClient(Starlette(routes=ROUTES))
    response = post_sms(client, inbound(WORDS, sender=VICTIM))
    assert response.status_code == 200
    with db.engine.connect() as raw:  # waiting for the worker: the words are stored, but never in clear
        [(body, pending)] = raw.execute(text("SELECT body, pending_body FROM inbound_message")).all()
    assert body == "" and WORDS not in pending and len(port.taken) == 0
    handle_stored()
    assert [r.startswith("Thank you, your message has reached your support team")
            for r in replies_to(db.engine, VICTIM)] == [True]
    assert len(port.taken) == 1


def test_the_console_page_shows_the_acknowledgement_and_never_the_persons_words(app_as, db, world, make_actor, port):
    w = world(headcount=1, staff=1)
    with unit_of_work(db.engine) as s:  # a screening reminder went to the person: their number is on the console
        queue_sms(s, to=VICTIM, body="A reminder", purpose="reminder", incident_id=w.incident_id)
    hub = make_actor("hub_manager")
    page = app_as("hub_manager", "notifications/pages/outbox.py", actor=hub, incident_id=w.incident_id)
    [sender] = [b for b in page.selectbox if b.label == "From"]
    sender.set_value(VICTIM)
    [message] = [t for t in page.text_input if t.label == "Message"]
    message.input(WORDS)
    [submit] = [b for b in page.button if b.label == "Send reply"]
    submit.click().run()
    assert not page.exception
    assert any(s.value.startswith(f"Answered: “{md(ACK)}") for s in page.success)  # shown as typed
    page = app_as("hub_manager", "notifications/pages/outbox.py", actor=hub, incident_id=w.incident_id)
    shown = " ".join(str(d.value.to_dict()) for d in page.dataframe) + " ".join(
        str(e.value) for e in (*page.markdown, *page.caption, *page.selectbox, *page.warning))
    assert "nightmares" not in shown and PERSON_MARKER not in shown
    callouts = app_as("hub_manager", "notifications/pages/callouts.py", actor=hub, incident_id=w.incident_id)
    assert not [x for x in callouts.warning if "need a person" in x.value or "needs a person" in x.value]
