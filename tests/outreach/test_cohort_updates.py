"""Keeping a cohort informed: an update to everyone on an outreach cohort's list reaches each contact
once — a registered person by the channel they chose and consented to (kept on their record), the
others by the list's mobile, else its email with a link to stop the cohort's messages — none to a
contact who unsubscribed or whose only address opted out; the emailed link unsubscribes them."""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, update
from starlette.testclient import TestClient

from core.auth.roles import Actor
from core.db import unit_of_work
from core.errors import InputError
from incident.team_service import assign_to_team
from notifications.model import OutboundMessage
from notifications.outbox_service import set_opt_out
from outreach.cohort_update_service import cohort_update_audience, send_cohort_update
from outreach.model import CohortUpdate, Contact
from pathways.consent_service import record_consent, set_contact_by
from pathways.registration_service import NewPerson, register_person
from pathways.update_service import updates_sent_to
from standup.webhook_app import app
from tests import factories

COHORT = "Arena ticket purchasers"
BODY = "The venue reopens on Saturday; the hub at the town hall stays open until 8pm."
PEOPLE = (
    "Order No,First name,Surname,Email,Mobile\r\n"
    "A1,Amira,Haddad,amira@example.org,07400 200001\r\n"  # both: a text
    "A2,Ben,Jones,ben@example.org,\r\n"  # email only
    "A3,Cara,Lee,cara@example.org,07400 200003\r\n"  # texted STOP: an email
    "A4,Dev,Patel,,07400 200004\r\n"  # texted STOP and has nothing else
    "A5,Eve,Adams,eve@example.org,07400 200005\r\n"  # unsubscribed from the cohort
    "A6,Fay,Khan,fay@example.org,07400 200006\r\n"  # registered: chose email
    "A7,Gus,Khan,,07400 200007\r\n"  # registered: asked to be phoned
)


@pytest.fixture
def incident_id(db, frozen_clock):
    return factories.incident(db, "Arena", is_exercise=True)


@pytest.fixture
def caseworker(db, make_actor, incident_id):
    actor = make_actor("caseworker")
    with unit_of_work(db.engine) as s:
        assign_to_team(s, Actor.system("test"), incident_id, actor.user_id)
    return actor


def _register(db, caseworker, incident_id, given, *, email="", mobile="", contact_by, consents) -> int:
    with unit_of_work(db.engine) as s:
        pid = register_person(s, caseworker, incident_id, NewPerson(
            given, "Khan", ["survivor"], "reception_centre", date_of_birth=date(1990, 1, 1), email=email,
            mobile=mobile)).id
        for purpose in consents:
            record_consent(s, caseworker, pid, purpose, given=True, lawful_basis="consent")
        set_contact_by(s, caseworker, pid, contact_by)
    return pid


@pytest.fixture
def cohort(db, frozen_clock, incident_id, caseworker):
    fay = _register(db, caseworker, incident_id, "Fay", email="fay@example.org", mobile="07400 200006",
                    contact_by="email", consents=("sms", "email"))
    gus = _register(db, caseworker, incident_id, "Gus", mobile="07400 200007", contact_by="phone", consents=("sms",))
    factories.outreach_ready(db, incident_id, service_name="Manchester Resilience Hub")
    factories.cohort(db, incident_id, PEOPLE, COHORT)  # Fay and Gus linked to their records, not duplicated
    with unit_of_work(db.engine) as s:
        s.execute(update(Contact).where(Contact.contact_ref == "A5").values(unsubscribed_at=frozen_clock()))
        for mobile in ("+447400200003", "+447400200004"):
            set_opt_out(s, "sms", mobile, True, via="SMstop")
    return fay, gus


def _updates(db) -> list[OutboundMessage]:
    with unit_of_work(db.engine) as s:
        return list(s.scalars(select(OutboundMessage).where(OutboundMessage.purpose == "update")
                              .order_by(OutboundMessage.destination)))


def test_an_update_to_a_cohort_reaches_each_contact_once_by_their_channel_and_none_who_opted_out(
        db, incident_id, caseworker, cohort):
    fay, gus = cohort
    with unit_of_work(db.engine) as s:
        audience = cohort_update_audience(s, caseworker, incident_id, COHORT)
        assert (audience.registered_by_text, audience.registered_by_email, audience.registered_not_reached,
                audience.by_text, audience.by_email, audience.not_reached, audience.is_exercise) == (
            0, 1, 1, 1, 2, 2, True)
        sent = send_cohort_update(s, caseworker, incident_id, COHORT, BODY)
        assert (sent.reached, sent.not_reached) == (4, 3)
    assert [(m.channel, m.destination, m.subject, m.body) for m in _updates(db)] == [
        ("sms", "+447400200001", None, f"EXERCISE {BODY}"),
        ("email", "ben@example.org", "EXERCISE An update from Manchester Resilience Hub", f"EXERCISE {BODY}"),
        ("email", "cara@example.org", "EXERCISE An update from Manchester Resilience Hub", f"EXERCISE {BODY}"),
        ("email", "fay@example.org", "EXERCISE An update from your support team", f"EXERCISE {BODY}")]
    assert all(json.loads(m.payload)["unsubscribe_url"] for m in _updates(db) if m.channel == "email")
    with unit_of_work(db.engine) as s:
        [on_record] = updates_sent_to(s, caseworker, fay)
        assert (on_record.body, on_record.channel, on_record.group) == (BODY, "email", f"cohort: {COHORT}")
        assert updates_sent_to(s, caseworker, gus) == []


def test_the_link_in_a_cohort_update_email_stops_the_cohort_s_messages(db, incident_id, caseworker, cohort):
    with unit_of_work(db.engine) as s:
        send_cohort_update(s, caseworker, incident_id, COHORT, BODY)
    [ben] = [m for m in _updates(db) if m.destination == "ben@example.org"]
    path = urlsplit(json.loads(ben.payload)["unsubscribe_url"]).path
    client = TestClient(app, follow_redirects=False)
    assert client.get(path).status_code == 200
    stopped = client.post(path, content=b"List-Unsubscribe=One-Click",
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert stopped.status_code == 200 and "Manchester Resilience Hub" in stopped.text
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Contact.unsubscribed_at).where(Contact.contact_ref == "A2")) is not None
        assert s.get(OutboundMessage, ben.id).status == "cancelled"  # not yet gone: withdrawn
        send_cohort_update(s, caseworker, incident_id, COHORT, "The hub moves to the library on Monday.")
        assert s.scalar(select(func.count()).select_from(OutboundMessage).where(
            OutboundMessage.destination == "ben@example.org")) == 1  # the first update only


@pytest.mark.parametrize(("body", "reason"), [
    ("Counselling is available at the hub.", "nothing health-related ('counsell')"),
    ("   ", "Write the update"),
])
def test_a_cohort_update_that_cannot_go_sends_nothing(db, incident_id, caseworker, cohort, body, reason):
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match=re.escape(reason)):
        send_cohort_update(s, caseworker, incident_id, COHORT, body)
    assert _updates(db) == []
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(CohortUpdate)) == 0


def test_the_updates_page_previews_and_sends_an_update_to_a_cohort(app_as, db, incident_id, caseworker, cohort):
    at = app_as("caseworker", "pathways/pages/updates.py", actor=caseworker, incident_id=incident_id)
    assert not at.exception
    [shown] = [i.value for i in at.info if i.value.startswith("Registered people")]
    assert shown == ("Registered people: 0 texted and 1 emailed by their own choice, 1 not (tell them another "
                     "way). Others on the list: 1 texted, 2 emailed (with a link to stop the cohort's messages), "
                     "2 unsubscribed or opted out.")
    at.text_area(key="cohort_update_body").input(BODY)
    next(b for b in at.button if b.label == "Preview" and "cohort_update" in b.form_id).click().run()
    assert [c.value for c in at.code] == [f"EXERCISE {BODY}"]
    assert _updates(db) == []  # a preview sends nothing
    next(b for b in at.button if b.label == "Send to the cohort").click().run()
    assert [s.value for s in at.success] == ["Update sent to 4 people on the cohort's list."]
    assert len(_updates(db)) == 4
