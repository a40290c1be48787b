"""Keeping people informed: an update to a group reaches each member once by the channel they chose
and consented to (a text or an email), none to those who refused or withdrew, whose address opted
out, who asked to be phoned, or a merged duplicate; the person's record lists it; nothing
health-related goes; a refusal sends nothing. An email carries its own one-click unsubscribe link,
and following it withdraws the person's consent to emails."""

import json
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from core.audit.model import AuditEvent
from core.db import unit_of_work
from core.errors import InputError
from core.public.strings import t
from notifications.channels.email_message import compose
from notifications.channels.registry import Outgoing
from notifications.model import OutboundMessage
from notifications.outbox_service import set_opt_out
from pathways.consent_service import consent_state, record_consent, set_contact_by, withdraw_consent
from pathways.merge_service import merge_people
from pathways.model import GroupUpdate, Person
from pathways.update_rules import health_word
from pathways.update_service import send_update, update_audience, updates_sent_to
from standup.webhook_app import app

BODY = "The first hearing is on Monday at 10:00, Manchester Magistrates' Court. Your key worker will call you."


def _consent(db, caseworker, pid, given=True, purpose="sms") -> int:
    with unit_of_work(db.engine) as s:
        return record_consent(s, caseworker, pid, purpose, given=given, lawful_basis="consent").id


def _contact_by(db, caseworker, pid, contact_by) -> None:
    with unit_of_work(db.engine) as s:
        set_contact_by(s, caseworker, pid, contact_by)


def _texts(db) -> list[tuple[str, str]]:
    with unit_of_work(db.engine) as s:
        return s.execute(select(OutboundMessage.destination, OutboundMessage.body)
                         .where(OutboundMessage.purpose == "update", OutboundMessage.channel == "sms")
                         .order_by(OutboundMessage.destination)).all()


def _emails(db) -> list[OutboundMessage]:
    with unit_of_work(db.engine) as s:
        return list(s.scalars(select(OutboundMessage).where(OutboundMessage.purpose == "update",
                                                            OutboundMessage.channel == "email")
                              .order_by(OutboundMessage.destination)))


def test_an_update_to_a_group_reaches_each_member_once_by_their_channel_and_none_who_opted_out(
        db, frozen_clock, register, caseworker, incident_id):
    ann = register(given_name="Ann", roles=["bereaved"], mobile="07400 100001")
    annie = register(given_name="Annie", roles=["bereaved"], mobile="07400 100001")  # Ann's duplicate
    ben = register(given_name="Ben", roles=["bereaved", "witness"], mobile="07400 100002")
    cal = register(given_name="Cal", roles=["bereaved"], mobile="07400 100003")  # refused texts
    dee = register(given_name="Dee", roles=["bereaved"], mobile="07400 100004")  # withdrew
    register(given_name="Eve", roles=["bereaved"], mobile="07400 100005")  # never asked
    wit = register(given_name="Wit", roles=["witness"], mobile="07400 100006")  # not in the group
    fay = register(given_name="Fay", roles=["bereaved"], mobile="", email="fay@example.org")  # email only
    gus = register(given_name="Gus", roles=["bereaved"], mobile="07400 100007", email="Gus@Example.org")  # both
    hal = register(given_name="Hal", roles=["bereaved"], mobile="07400 100008")  # texted STOP
    ivy = register(given_name="Ivy", roles=["bereaved"], mobile="07400 100009")  # asked to be phoned
    for pid in (ann, annie, ben, wit, gus, hal, ivy):
        _consent(db, caseworker, pid)
    for pid in (fay, gus):
        _consent(db, caseworker, pid, purpose="email")
    _contact_by(db, caseworker, gus, "email")  # chose email: never a text as well
    _contact_by(db, caseworker, ivy, "phone")
    _consent(db, caseworker, cal, given=False)
    with unit_of_work(db.engine) as s:
        withdraw_consent(s, caseworker, _consent(db, caseworker, dee))
        merge_people(s, caseworker, ann, annie)
        set_opt_out(s, "sms", "+447400100008", True, via="SM-stop")
    with unit_of_work(db.engine) as s:
        audience = update_audience(s, caseworker, incident_id, ("bereaved",))
        assert (sorted(audience.by_text), sorted(audience.by_email), audience.to_phone, audience.not_reached,
                audience.is_exercise) == ([ann, ben], [fay, gus], 1, 4, True)
        update = send_update(s, caseworker, incident_id, f"  {BODY}\n", ("bereaved",))
        assert (update.reached, update.not_reached) == (4, 5)
    assert _texts(db) == [("+447400100001", f"EXERCISE {BODY}"), ("+447400100002", f"EXERCISE {BODY}")]
    emails = _emails(db)
    assert [(m.destination, m.subject, m.body, m.status) for m in emails] == [
        ("fay@example.org", "EXERCISE An update from your support team", f"EXERCISE {BODY}", "pending"),
        ("gus@example.org", "EXERCISE An update from your support team", f"EXERCISE {BODY}", "pending")]
    links = [json.loads(m.payload)["unsubscribe_url"] for m in emails]
    assert all(link.startswith("http://127.0.0.1:8501/support/stop/") for link in links) and len(set(links)) == 2
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(OutboundMessage)
                        .where(OutboundMessage.purpose == "update")) == 4  # once each, Hal and Ivy not at all
        [sent] = updates_sent_to(s, caseworker, ben)
        assert (sent.body, sent.channel, sent.by) == (BODY, "sms", caseworker.display_name)
        assert [u.channel for u in updates_sent_to(s, caseworker, gus)] == ["email"]
        assert all(updates_sent_to(s, caseworker, pid) == [] for pid in (cal, wit, hal, ivy))


def test_an_email_to_a_person_carries_a_one_click_unsubscribe_that_stops_their_emails(
        db, frozen_clock, register, caseworker, incident_id):
    fay = register(given_name="Fay", roles=["witness"], mobile="", email="fay@example.org")
    _consent(db, caseworker, fay, purpose="email")
    with unit_of_work(db.engine) as s:
        send_update(s, caseworker, incident_id, BODY)
    [email] = _emails(db)
    payload = json.loads(email.payload)
    mail = compose(Outgoing("email", email.destination, email.body, email.id, email.subject, payload),
                   ("Support team", "support@force.police.uk"), "m1", frozen_clock.at)
    link = payload["unsubscribe_url"]
    assert mail["List-Unsubscribe"] == f"<{link}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"To stop these emails: {link}" in mail.get_body(("plain",)).get_content()
    path = urlsplit(link).path
    client = TestClient(app, follow_redirects=False)
    asked = client.get(path)  # a mail scanner's GET stops nothing
    assert asked.status_code == 200 and str(t("stop.person.button", "en")) in asked.text
    assert "Your support team" in asked.text and "Arena" not in asked.text  # the incident is never named
    with unit_of_work(db.engine) as s:
        assert consent_state(s, fay, "email").given
    one_click = client.post(path, content=b"List-Unsubscribe=One-Click",
                            headers={"content-type": "application/x-www-form-urlencoded"})
    assert one_click.status_code == 200 and str(t("stop.person.done.title", "en")) in one_click.text
    with unit_of_work(db.engine) as s:
        assert not consent_state(s, fay, "email").given
        [withdrawal] = s.scalars(select(AuditEvent).where(AuditEvent.action == "withdraw_consent")).all()
        assert (withdrawal.entity_id, withdrawal.detail) == (
            str(fay), "fields: consent (email), by the person (the unsubscribe link of an email)")
    assert [m.status for m in _emails(db)] == ["cancelled"]  # not yet gone: withdrawn
    assert client.post(path, content=b"List-Unsubscribe=One-Click",
                       headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 200
    with unit_of_work(db.engine) as s:  # pressed twice: recorded once
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "withdraw_consent")) == 1
        with pytest.raises(InputError, match="No one in that group can be sent it"):
            send_update(s, caseworker, incident_id, BODY)
    assert client.get(path[:-4] + "abcd").status_code == 404


def test_a_channel_is_chosen_only_with_its_consent_and_an_address(db, frozen_clock, register, caseworker):
    pid = register(mobile="", email="fay@example.org")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="no mobile number"):
        set_contact_by(s, caseworker, pid, "sms")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="consent to emails"):
        set_contact_by(s, caseworker, pid, "email")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="Unknown way to be reached"):
        set_contact_by(s, caseworker, pid, "pigeon")
    _consent(db, caseworker, pid, purpose="email")
    _contact_by(db, caseworker, pid, "email")
    _contact_by(db, caseworker, pid, "phone")
    with unit_of_work(db.engine) as s:
        assert s.get(Person, pid).contact_by == "phone"
        assert s.scalars(select(AuditEvent.detail).where(AuditEvent.detail.like("fields: contact_by%"))
                         .order_by(AuditEvent.id)).all() == ["fields: contact_by (email)", "fields: contact_by (phone)"]


@pytest.mark.parametrize(("body", "reason"), [
    ("  ", "Write the update"),
    ("Screening results will follow next week.", "nothing health-related ('screening')"),
    ("Counselling is available at the hub.", "'counsell'"),
    ("x" * 613, "at most"),
])
def test_an_update_that_cannot_go_sends_nothing(db, frozen_clock, register, caseworker, incident_id, body, reason):
    _consent(db, caseworker, register(mobile="07400 100001"))
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match=re.escape(reason)):
        send_update(s, caseworker, incident_id, body)
    assert _texts(db) == []
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(GroupUpdate)) == 0


def test_no_one_who_consented_means_nothing_to_send(db, frozen_clock, register, caseworker, incident_id):
    register(mobile="07400 100001")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="No one in that group can be sent it"):
        send_update(s, caseworker, incident_id, BODY)


def test_health_words_are_found_as_words_and_word_starts():
    assert health_word("Your therapist will call") == "therap"
    assert health_word("Injured people were taken to hospital") == "injur"
    assert health_word("The trial starts on Monday; the PHQ-9 form is not needed") == "phq"
    assert health_word("Screens will be in place at court") == ""  # a special measure
    assert health_word("Bring a gadget to charge your phone; a lengthy hearing") == ""


def test_the_page_previews_with_the_exercise_mark_sends_and_the_record_lists_it(
        app_as, db, frozen_clock, register, caseworker, incident_id):
    pid = register(roles=["witness"], mobile="07400 100001")
    _consent(db, caseworker, pid)
    register(given_name="Ben", roles=["witness"], mobile="")
    at = app_as("caseworker", "pathways/pages/updates.py", actor=caseworker)
    assert not at.exception
    at.multiselect(key="update_roles").set_value(["witness"]).run()
    assert ("1 will be texted and 0 emailed; 0 asked to be phoned by their caseworker; 1 cannot be reached"
            in at.info[0].value)
    at.text_area(key="update_body").input(BODY)
    next(b for b in at.button if b.label == "Preview").click().run()
    assert at.code[0].value == f"EXERCISE {BODY}"
    assert _texts(db) == []  # a preview sends nothing
    next(b for b in at.button if b.label == "Send to the group").click().run()
    assert [s.value for s in at.success] == ["Update sent to 1 people by text or email."]
    assert _texts(db) == [("+447400100001", f"EXERCISE {BODY}")]
    at = app_as("caseworker", "pathways/pages/person.py", actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "update check"}, person_tab="Messages")
    assert not at.exception
    assert list(at.dataframe[0].value["update"]) == [BODY]
