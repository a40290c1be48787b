"""Email through the outbox: a malformed address, or an email to the public without an unsubscribe
link, is refused at `queue` with nothing stored; opt-outs are per channel (an email unsubscribe
stops email, not SMS to the same person, and a STOP by SMS does not stop email); the console
backend sends nothing and the outbox page shows each message's channel and an email's subject."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import unit_of_work
from core.errors import InputError
from core.settings import get_settings
from notifications.channels import channel_named
from notifications.dispatcher import dispatch
from notifications.model import OutboundMessage
from notifications.outbox_service import queue, queue_sms, set_opt_out
from notifications.pacing import TokenBucket
from tests import factories
from tests.stored_rows import every_row

OUTBOX = "notifications/pages/outbox.py"
UNSUBSCRIBE = {"unsubscribe_url": "https://standup.example.org/outreach/unsubscribe/k7qx"}
MOBILE = "+447400123456"


def _email(session, to: str = "jo.smith@example.org", *, payload: dict | None = None,
           incident_id: int | None = None) -> OutboundMessage:
    return queue(session, channel="email", to=to, subject="Your wellbeing check", body="We are here if you need us.",
                 purpose="notice", incident_id=incident_id, payload=UNSUBSCRIBE if payload is None else payload)


def _send_all(db) -> None:
    for name in ("email", "sms"):
        dispatch(db.engine, name, channel_named(name).sender(get_settings()), TokenBucket(1e9))


@pytest.mark.parametrize(("to", "reason"), [
    ("jo.smith", "is not an email address"),
    ("jo@localhost", "no dotted domain"),
    ("jo smith@example.org", "a space"),
    ("jo@@example.org", "more than one @"),
])
def test_a_malformed_address_is_refused_at_queue_with_nothing_stored(db, frozen_clock, to, reason):
    before = every_row(db.engine)
    with pytest.raises(InputError, match=f"^Cannot send Email to {to!r}: .*{reason}"), unit_of_work(db.engine) as s:
        _email(s, to)
    assert every_row(db.engine) == before


@pytest.mark.parametrize(("payload", "reason"), [
    ({}, "to the public needs an unsubscribe link"),
    ({"audience": "public", "unsubscribe_url": "http://standup.example.org/u/1"}, "must be an https:// address"),
])
def test_an_email_to_the_public_without_a_one_click_unsubscribe_is_refused(db, frozen_clock, payload, reason):
    before = every_row(db.engine)
    with pytest.raises(InputError, match=reason), unit_of_work(db.engine) as s:
        _email(s, payload=payload)
    assert every_row(db.engine) == before


def test_an_email_to_staff_needs_no_unsubscribe_link(db, frozen_clock):
    with unit_of_work(db.engine) as s:
        assert _email(s, payload={"audience": "staff"}).status == "pending"


def test_an_email_unsubscribe_stops_email_and_not_sms_to_the_same_person(db, frozen_clock):
    with unit_of_work(db.engine) as s:
        waiting = _email(s).id
        set_opt_out(s, "email", "jo.smith@example.org", True, via="unsubscribe link")
        later = _email(s, "Jo.Smith@Example.org").id  # the address as stored: lower case
        text = queue_sms(s, to=MOBILE, body="We are here if you need us.", purpose="notice", incident_id=None).id
    _send_all(db)
    with unit_of_work(db.engine) as s:
        rows = {m.id: m for m in s.scalars(select(OutboundMessage))}
    assert rows[waiting].status == rows[later].status == "blocked"  # queued before the unsubscribe, and after
    assert "has unsubscribed from these emails" in rows[later].error_text
    assert rows[text].status == "delivered"


def test_a_stop_by_sms_does_not_stop_email(db, frozen_clock):
    with unit_of_work(db.engine) as s:
        set_opt_out(s, "sms", MOBILE, True, via="STOP")
        text = queue_sms(s, to=MOBILE, body="Hello", purpose="notice", incident_id=None).id
        email = _email(s).id
    _send_all(db)
    with unit_of_work(db.engine) as s:
        assert (s.get(OutboundMessage, text).status, s.get(OutboundMessage, email).status) == ("blocked", "sent")


def test_the_console_sends_nothing_and_the_outbox_shows_each_channel_and_an_emails_subject(
        db, frozen_clock, app_as, make_actor):
    incident = factories.incident(db, is_exercise=True)
    with unit_of_work(db.engine) as s:
        email = _email(s, incident_id=incident).id
        queue_sms(s, to=MOBILE, body="Call-out K7QX: reply YES K7QX", purpose="callout", incident_id=incident)
    _send_all(db)
    with unit_of_work(db.engine) as s:
        sent = s.get(OutboundMessage, email)
        assert (sent.status, sent.provider_sid[:9]) == ("sent", "EMconsole")
    page = app_as("hub_manager", OUTBOX, actor=make_actor("hub_manager"), incident_id=incident)
    assert not page.exception
    rows = {row["by"]: row for row in page.dataframe[0].value.to_dict("records")}
    assert rows["Email"]["subject"] == "EXERCISE Your wellbeing check"
    assert rows["Email"]["to"] == "j***h@example.org" and rows["Email"]["text"].startswith("EXERCISE We are here")
    assert rows["SMS"]["subject"] == "—" and rows["SMS"]["to"] == "+44 7*** ***456"
    assert any("Email console" in c.value for c in page.caption)
    [replying_as] = [b for b in page.selectbox if b.label == "From"]
    assert replying_as.options == [MOBILE]  # a reply by SMS comes from a mobile, never an email address
