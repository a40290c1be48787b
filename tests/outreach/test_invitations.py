"""Inviting a cohort: one personal link per contact a round, by SMS and/or email through the outbox,
never to the unsubscribed or by an opted-out channel; the link random, stored only hashed and
expiring; the message says only who writes and why; one reminder after the reminder time."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from core.public.link_tokens import token_hash
from notifications.model import OutboundMessage
from notifications.outbox_service import set_opt_out
from outreach.invitation_service import send_invitations, send_reminders
from outreach.model import Contact, Invitation, InvitationMessage
from standup.cli import main
from tests import factories

SYSTEM = Actor.system("test")
COHORT = "Arena ticket purchasers"
PEOPLE = (
    "Order No,First name,Surname,Email,Mobile\r\n"
    "A1,Amira,Haddad,amira@example.org,07400 200001\r\n"  # both
    "A2,Ben,Jones,ben@example.org,\r\n"  # email only
    "A3,Cara,Lee,,07400 200003\r\n"  # mobile only
    "A4,Dev,Patel,dev@example.org,\r\n"  # unsubscribes from the cohort
    "A5,Eve,Adams,eve@example.org,07400 200005\r\n"  # texted STOP: email only
    "A6,Finn,Brown,,07400 200006\r\n"  # texted STOP and has nothing else
)
_LINK = re.compile(r"/support/check/([A-Za-z0-9_-]+)")


@pytest.fixture
def incident_id(db, frozen_clock):
    incident_id = factories.incident(db, "Arena", is_exercise=False)
    factories.outreach_ready(db, incident_id, service_name="Manchester Resilience Hub")
    factories.cohort(db, incident_id, PEOPLE, COHORT)
    with unit_of_work(db.engine) as s:
        s.execute(update(Contact).where(Contact.contact_ref == "A4").values(unsubscribed_at=frozen_clock()))
        for mobile in ("+447400200005", "+447400200006"):
            set_opt_out(s, "sms", mobile, True, via="SMstop")
    return incident_id


def _invite(db, incident_id, actor=SYSTEM, **options):
    with unit_of_work(db.engine) as s:
        return send_invitations(s, actor, incident_id, COHORT, **options)


def _messages(db, incident_id) -> list[OutboundMessage]:
    with unit_of_work(db.engine) as s:
        return list(s.scalars(select(OutboundMessage).where(OutboundMessage.incident_id == incident_id)
                              .order_by(OutboundMessage.id)))


def _invitations(db) -> dict[str, Invitation]:
    with unit_of_work(db.engine) as s:
        return {ref: i for i, ref in s.execute(select(Invitation, Contact.contact_ref)
                                              .join(Contact, Contact.id == Invitation.contact_id))}


def test_one_invitation_each_by_the_channels_they_can_be_reached_on(db, incident_id):
    report = _invite(db, incident_id)
    assert report.summary == "queued 4 invitations (2 by SMS, 3 by email), skipped 2"
    assert report.round == 1
    assert report.skipped_because == {"unsubscribed from this cohort's messages": 1,
                                      "no usable address by the channels asked, or opted out of them": 1}
    sent = {(m.channel, m.destination) for m in _messages(db, incident_id)}
    assert sent == {("sms", "+447400200001"), ("email", "amira@example.org"), ("email", "ben@example.org"),
                    ("sms", "+447400200003"), ("email", "eve@example.org")}
    invitations = _invitations(db)
    assert sorted(invitations) == ["A1", "A2", "A3", "A5"]
    assert invitations["A1"].channels == "sms,email" and invitations["A5"].channels == "email"
    assert all(i.expires_at == i.sent_at + timedelta(days=28) for i in invitations.values())

    again = _invite(db, incident_id)
    assert again.summary == "queued 0 invitations (0 by SMS, 0 by email), skipped 6"
    assert again.skipped_because["already invited in this round"] == 4


def test_the_link_is_random_stored_only_hashed_and_the_same_in_each_message(db, incident_id):
    _invite(db, incident_id)
    messages = _messages(db, incident_id)
    tokens = {m.destination: _LINK.search(m.body).group(1) for m in messages}
    assert all(len(t) == 32 for t in tokens.values())  # 24 random bytes: 192 bits
    assert len(set(tokens.values())) == 4  # Amira's SMS and email share her one link
    assert tokens["+447400200001"] == tokens["amira@example.org"]
    hashes = {i.token_hash for i in _invitations(db).values()}
    assert hashes == {token_hash(t) for t in tokens.values()}
    with db.engine.connect() as conn:  # the token itself is nowhere in outreach's tables
        for table in ("invitation", "invitation_message", "contact", "cohort"):
            dump = repr(conn.exec_driver_sql(f"SELECT * FROM {table}").all())  # noqa: S608  (our table names)
            assert not any(t in dump for t in tokens.values()), table
    email = next(m for m in messages if m.destination == "amira@example.org")
    assert json.loads(email.payload) == {"unsubscribe_url": f"http://127.0.0.1:8501/support/stop/{tokens['amira@example.org']}"}
    with unit_of_work(db.engine) as s:
        kinds = s.execute(select(InvitationMessage.channel, InvitationMessage.kind)).all()
    assert sorted(kinds) == [("email", "invitation")] * 3 + [("sms", "invitation")] * 2


def test_the_message_names_the_service_and_why_and_nothing_about_the_person(db, incident_id):
    _invite(db, incident_id)
    for message in _messages(db, incident_id):
        text = _LINK.sub("/support/check/TOKEN", f"{message.subject or ''} {message.body}")  # a token is random
        assert "Manchester Resilience Hub" in text and "0161 496 0000" in text
        assert "affected by the recent incident" in text
        for private in ("Amira", "Haddad", "Ben", "Arena", "A1", "positive", "PTSD", "depress"):
            assert private not in text, (private, message.channel)
        assert not text.startswith("EXERCISE")
    sms = next(m for m in _messages(db, incident_id) if m.channel == "sms")
    assert "Reply STOP" in sms.body and sms.segments <= 3


def test_an_exercise_says_exercise(db, frozen_clock):
    incident_id = factories.incident(db, "Drill")  # an exercise
    token = factories.invitation_link(db, incident_id, mobile="07400 200009", email="drill@example.org")
    messages = _messages(db, incident_id)
    assert len(messages) == 2 and all(m.body.startswith("EXERCISE ") for m in messages)
    assert next(m for m in messages if m.channel == "email").subject.startswith("EXERCISE ")
    assert token in messages[0].body


def test_by_sms_only_and_a_later_round(db, incident_id, frozen_clock):
    assert _invite(db, incident_id, channel="sms").summary == "queued 2 invitations (2 by SMS, 0 by email), skipped 4"
    assert _invite(db, incident_id, channel="email", round_number=2).summary == \
        "queued 3 invitations (0 by SMS, 3 by email), skipped 3"
    frozen_clock.advance(timedelta(days=100))  # three months after the incident: round 2 is due
    report = _invite(db, incident_id)  # only Cara is left to invite in round 2, and only by text
    assert (report.round, report.summary) == (2, "queued 1 invitations (1 by SMS, 0 by email), skipped 5")


@pytest.mark.parametrize(("options", "says"), [
    ({"round_number": 9}, r"no round 9; the rounds are 1 \(1 month\), 2 \(3 months\)"),
    ({"round_number": 0}, "no round 0"),
    ({"channel": "fax"}, "Unknown channel 'fax'"),
])
def test_a_bad_round_or_channel_is_refused(db, incident_id, options, says):
    with pytest.raises(InputError, match=says):
        _invite(db, incident_id, **options)


def test_nothing_goes_until_the_service_has_a_public_name_and_number(db, frozen_clock):
    incident_id = factories.incident(db, "Arena")
    factories.cohort(db, incident_id, PEOPLE, COHORT)
    with pytest.raises(InputError, match="public name and contact number"):
        _invite(db, incident_id)
    assert _messages(db, incident_id) == []


def test_a_dry_run_counts_and_queues_nothing(db, incident_id):
    assert _invite(db, incident_id, dry_run=True).summary == "queued 4 invitations (2 by SMS, 3 by email), skipped 2"
    assert _messages(db, incident_id) == [] and _invitations(db) == {}


def test_only_hub_managers_and_caseworkers_on_the_team_invite(db, incident_id, make_actor):
    for role in ("gold", "agency_coordinator", "admin", "auditor", "caseworker"):
        with pytest.raises(PermissionDenied):
            _invite(db, incident_id, actor=make_actor(role))
    assert _invite(db, incident_id, actor=make_actor("hub_manager")).queued == 4


def test_the_command_prints_the_line(db, incident_id, capsys):
    args = ["outreach", "invite", "--incident", str(incident_id), "--cohort", COHORT]
    assert main([*args, "--dry-run"]) == 0
    assert capsys.readouterr().out == "queued 4 invitations (2 by SMS, 3 by email), skipped 2\n"
    assert main([*args, "--channel", "email"]) == 0
    assert capsys.readouterr().out == "queued 3 invitations (0 by SMS, 3 by email), skipped 3\n"
    assert main([*args, "--round", "12"]) == 1
    assert "no round 12" in capsys.readouterr().err


# --- the reminder ---------------------------------------------------------------------------------


def _remind(db) -> int:
    with unit_of_work(db.engine) as s:
        return send_reminders(s)


def test_one_reminder_after_seven_days_to_those_who_have_not_answered(db, incident_id, frozen_clock):
    _invite(db, incident_id)
    first = {m.destination: _LINK.search(m.body).group(1) for m in _messages(db, incident_id)}
    with unit_of_work(db.engine) as s:  # Ben answered; Cara unsubscribed since
        s.execute(update(Invitation).where(Invitation.contact_id == select(Contact.id).where(
            Contact.contact_ref == "A2").scalar_subquery()).values(used_at=frozen_clock()))
        s.execute(update(Contact).where(Contact.contact_ref == "A3").values(unsubscribed_at=frozen_clock()))
        set_opt_out(s, "email", "eve@example.org", True)  # and Eve unsubscribed from emails
    frozen_clock.advance(timedelta(days=6, hours=23))
    assert _remind(db) == 0
    frozen_clock.advance(timedelta(hours=1))
    assert _remind(db) == 2  # Amira, and Eve (whose email is now blocked)
    reminders = [m for m in _messages(db, incident_id) if m.created_at == frozen_clock()]
    assert {(m.channel, m.destination, m.status) for m in reminders} == {
        ("sms", "+447400200001", "pending"), ("email", "amira@example.org", "pending"),
        ("email", "eve@example.org", "blocked")}
    amira = _invitations(db)["A1"]
    new = _LINK.search(next(m.body for m in reminders if m.destination == "+447400200001")).group(1)
    assert new != first["+447400200001"] and amira.reminder_token_hash == token_hash(new)
    assert amira.token_hash == token_hash(first["+447400200001"])  # the first link still works too
    assert "reminder" in next(m.subject for m in reminders if m.destination == "amira@example.org")
    frozen_clock.advance(timedelta(days=1))
    assert _remind(db) == 0  # once only


def test_no_reminder_once_the_link_has_expired(db, incident_id, frozen_clock):
    factories.outreach_ready(db, incident_id, link_days=3, reminder_days=2)
    _invite(db, incident_id)
    frozen_clock.advance(timedelta(days=3))
    assert _remind(db) == 0
    assert {(m.channel, m.destination) for m in _messages(db, incident_id)} == {
        ("sms", "+447400200001"), ("email", "amira@example.org"), ("email", "ben@example.org"),
        ("sms", "+447400200003"), ("email", "eve@example.org")}


def test_reminders_follow_each_incidents_own_reminder_time(db, incident_id, frozen_clock):
    other = factories.incident(db, "Station")
    factories.outreach_ready(db, other, reminder_days=2)
    factories.invitation_link(db, other)
    _invite(db, incident_id)
    frozen_clock.advance(timedelta(days=2))
    assert _remind(db) == 1  # the station's invitation only
