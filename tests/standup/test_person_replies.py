"""The composition: with pathways plugged into the notifications inbound port (as
standup.bootstrap.start does in every entry point), a registered person's text reaches their
record, encrypted, and they are acknowledged; the SMS record and the hub manager's list keep none
of their words."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import select, text
from starlette.testclient import TestClient

from core.auth.roles import Actor
from core.db import unit_of_work
from incident.lifecycle_service import open_incident
from notifications.console_service import inbound_messages
from notifications.inbound_service import PERSON_MARKER, PERSON_REPLIES, handle_inbound
from notifications.model import InboundMessage
from pathways.model import PersonReply
from pathways.person_replies import ACKNOWLEDGEMENT
from pathways.referral_service import set_incident_force_area
from pathways.registration_service import NewPerson, register_person
from standup.bootstrap import PathwaysPersonReplies
from tests.infrastructure import ROOT
from tests.twilio_requests import handle_stored, inbound, post_sms, replies_to

SYSTEM = Actor.system("test")
WORDS = "I keep seeing it when I close my eyes, I have not slept for three nights"


@pytest.fixture
def person(db, frozen_clock) -> int:
    with unit_of_work(db.engine) as s:
        incident = open_incident(s, SYSTEM, "Arena", is_exercise=True)
        set_incident_force_area(s, SYSTEM, incident.id, "Greater Manchester")
        return register_person(s, SYSTEM, incident.id, NewPerson(
            given_name="Amira", family_name="Khan", roles=["survivor"], source="reception_centre",
            date_of_birth=date(1990, 4, 2), mobile="07400 123456", postcode="M4 5AB")).id


@pytest.fixture
def plugged() -> None:
    """The suite starts as every entry point does (tests/conftest.py): pathways is plugged in."""
    assert isinstance(PERSON_REPLIES.get(), PathwaysPersonReplies)


def test_a_persons_text_is_kept_on_their_record_encrypted_and_acknowledged(db, person, plugged):
    with unit_of_work(db.engine) as s:
        result = handle_inbound(s, sid="SM" + "c" * 32, from_="+447400123456", to="+447400000000", body=WORDS)
    assert result.reply == ACKNOWLEDGEMENT
    with unit_of_work(db.engine) as s:
        [kept] = s.scalars(select(PersonReply))
        assert (kept.person_id, kept.body, kept.provider_sid) == (person, WORDS, "SM" + "c" * 32)
        row = s.get(InboundMessage, result.message_id)
        assert (row.sender_kind, row.body, row.needs_attention) == ("person", PERSON_MARKER, False)
        assert inbound_messages(s, SYSTEM, None) == []
    with db.engine.connect() as conn:
        stored = " ".join(str(v) for v in conn.execute(text("SELECT body FROM person_reply")).scalars())
        stored += " ".join(str(v) for v in conn.execute(text("SELECT body FROM inbound_message")).scalars())
    assert "slept" not in stored  # neither table holds the words in clear


@pytest.mark.parametrize("module", ["standup.server", "standup.webhook_app", "standup.shell"])
def test_each_process_that_handles_inbound_sms_plugs_pathways_in(module):
    """standup.shell: the console outbox page under a plain `streamlit run streamlit_app.py`."""
    probe = f"import {module}; from notifications import inbound_service; print(type(inbound_service.PERSON_REPLIES.get()).__name__)"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert found.stdout.strip().splitlines()[-1:] == ["PathwaysPersonReplies"], found.stderr[-2000:]


def test_a_signed_webhook_from_a_person_is_acknowledged_and_kept_on_their_record(db, person, plugged, twilio_env):
    from standup.webhook_app import app

    response = post_sms(TestClient(app), inbound(WORDS, sid="SM" + "d" * 32, sender="+447400123456"))
    assert response.status_code == 200
    handle_stored()
    assert ["reached your support team" in r for r in replies_to(db.engine, "+447400123456")] == [True]
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(PersonReply.person_id)) == person
