"""Victims' feedback: the short satisfaction survey offered at discharge and 6 months after
registration, by a personal link (the public page behind /support/check/{token}) or, where no link
can be sent, an SMS asking for a reply from 1 to 5. Offered once per person per occasion, never to
someone without consent to texts or who opted out; answered once; a wish to be contacted and what
the person wrote go to their record for their key worker; the figures hide small numbers."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from starlette.testclient import TestClient

from core.auth.roles import Actor
from core.db import unit_of_work
from core.public import form_token
from core.public.strings import t
from notifications.inbound_service import handle_inbound
from notifications.model import OutboundMessage
from notifications.outbox_service import set_opt_out
from outreach.feedback_rules import (
    OFFER_WINDOW,
    FeedbackChannel,
    Occasion,
    channel_for,
    occasions_due,
    sms_score,
)
from outreach.feedback_service import FeedbackAnswers, offer_feedback, submit_feedback
from outreach.feedback_texts import THANKS_SMS
from outreach.model import FeedbackOffer
from outreach.public_errors import LinkUnusable
from outreach.queries import feedback_by_month
from pathways.caseload_service import discharge
from pathways.consent_service import record_consent, set_contact_by
from pathways.model import PersonMessage, PersonReply
from pathways.my_day_queries import my_day
from pathways.person_replies import ACKNOWLEDGEMENT
from pathways.registration_service import NewPerson, register_person
from standup.compliance.report import incident_feedback
from standup.compliance.small_numbers import SECONDARY
from standup.webhook_app import app
from tests import factories

SYSTEM = Actor.system("test")
SERVICE = "Northern Resilience Hub"
LINK = re.compile(r"/support/check/([A-Za-z0-9_-]{32})")
FORM = re.compile(r'name="form_token" value="([^"]+)"')
ALL_ANSWERS = {"satisfaction": "4", "kept_informed": "yes", "treated_with_respect": "no", "contact_wanted": "yes",
               "comment": "The first weeks were hard to get through to anyone."}


@pytest.fixture
def incident_id(db, frozen_clock):
    incident_id = factories.incident(db, "Operation Larch", is_exercise=False)
    factories.outreach_ready(db, incident_id, service_name=SERVICE)
    return incident_id


@pytest.fixture
def client():
    return TestClient(app, follow_redirects=False)


def _person(db, incident_id, mobile="07400 300001", *, sms_consent: bool | None = True,
            key_worker_id: int | None = None) -> int:
    with unit_of_work(db.engine) as s:
        pid = register_person(s, SYSTEM, incident_id, NewPerson(
            "Amira", "Khan", ["survivor"], "reception_centre", mobile=mobile, postcode="M4 5AB",
            key_worker_id=key_worker_id)).id
        if sms_consent is not None:
            record_consent(s, SYSTEM, pid, "sms", given=sms_consent, lawful_basis="consent")
    return pid


def _discharge(db, pid):
    with unit_of_work(db.engine) as s:
        discharge(s, SYSTEM, pid, "recovered", "No further support needed")


def _sweep(db) -> int:
    with unit_of_work(db.engine) as s:
        return offer_feedback(s)


def _offers(db) -> list[FeedbackOffer]:
    with unit_of_work(db.engine) as s:
        return list(s.scalars(select(FeedbackOffer).order_by(FeedbackOffer.id)))


def _texts(db) -> list[OutboundMessage]:
    with unit_of_work(db.engine) as s:
        return list(s.scalars(select(OutboundMessage).where(OutboundMessage.purpose == "feedback")
                              .order_by(OutboundMessage.id)))


def _link_token(db) -> str:
    return LINK.search(_texts(db)[-1].body).group(1)


# --- the rules ---------------------------------------------------------------------------------------

def test_the_occasions_come_at_discharge_and_six_months_after_registration_and_go_after_the_window():
    registered = factories.T0  # 09:00 on 23 November 2026, GMT
    six = datetime(2027, 5, 23, 8, 0, tzinfo=UTC)  # 09:00 on 23 May 2027 in London, BST
    assert occasions_due(registered_at=registered, discharged_at=None, at=six - timedelta(minutes=1)) == []
    assert occasions_due(registered_at=registered, discharged_at=None, at=six) == [Occasion.SIX_MONTHS]
    assert occasions_due(registered_at=registered, discharged_at=None, at=six + OFFER_WINDOW) == []
    discharged = registered + timedelta(days=40)
    assert occasions_due(registered_at=registered, discharged_at=discharged, at=discharged) == [Occasion.DISCHARGE]
    assert occasions_due(registered_at=registered, discharged_at=discharged,
                         at=discharged + OFFER_WINDOW) == []


@pytest.mark.parametrize(("route", "link_possible", "channel"), [
    ("sms", True, FeedbackChannel.LINK), ("sms", False, FeedbackChannel.REPLY),
    ("email", True, FeedbackChannel.EMAIL_LINK), ("email", False, FeedbackChannel.NONE),
    (None, True, FeedbackChannel.NONE), (None, False, FeedbackChannel.NONE)])
def test_the_channel_is_the_persons_with_a_link_where_one_can_be_sent_else_a_text_scale_or_nothing(
        route, link_possible, channel):
    assert channel_for(route, link_possible=link_possible) == channel


@pytest.mark.parametrize(("body", "score"), [("4", 4), (" 5. ", 5), ("1", 1), ("0", None), ("6", None),
                                             ("45", None), ("4 but slow", None), ("", None), (None, None)])
def test_only_a_number_from_1_to_5_alone_answers_the_sms_scale(body, score):
    assert sms_score(body) == score


# --- offering ----------------------------------------------------------------------------------------

def test_the_survey_is_offered_once_at_discharge_and_once_at_six_months(db, incident_id, frozen_clock):
    pid = _person(db, incident_id)
    assert _sweep(db) == 0  # registered today, still open: nothing due
    frozen_clock.advance(timedelta(days=30))
    _discharge(db, pid)
    assert (_sweep(db), _sweep(db)) == (1, 0)
    (offer,) = _offers(db)
    assert (offer.person_id, offer.occasion, offer.channel) == (pid, "discharge", "sms_link")
    (sms,) = _texts(db)
    assert sms.destination == "+447400300001" and sms.body.startswith(SERVICE) and "Reply STOP" in sms.body
    assert not sms.body.startswith("EXERCISE")
    token = _link_token(db)
    assert token not in repr([(o.token_hash, o.id) for o in _offers(db)])  # only its hash is kept

    frozen_clock.advance(timedelta(days=152))  # six months after registration
    assert (_sweep(db), _sweep(db)) == (1, 0)
    assert [(o.occasion, o.channel) for o in _offers(db)] == [("discharge", "sms_link"), ("six_months", "sms_link")]
    assert len(_texts(db)) == 2


def test_a_case_reopened_and_discharged_again_is_not_asked_twice(db, incident_id, frozen_clock):
    from pathways.caseload_service import reopen
    pid = _person(db, incident_id)
    _discharge(db, pid)
    assert _sweep(db) == 1
    with unit_of_work(db.engine) as s:
        reopen(s, SYSTEM, pid, "Asked for help again")
    frozen_clock.advance(timedelta(days=3))
    _discharge(db, pid)
    assert _sweep(db) == 0 and len(_texts(db)) == 1


def test_people_without_consent_to_texts_or_who_opted_out_are_never_asked(db, incident_id, frozen_clock):
    nothing_recorded = _person(db, incident_id, "07400 300002", sms_consent=None)
    refused = _person(db, incident_id, "07400 300003", sms_consent=False)
    stopped = _person(db, incident_id, "07400 300004")
    with unit_of_work(db.engine) as s:
        set_opt_out(s, "sms", "+447400300004", True, via="STOP")
    for pid in (nothing_recorded, refused, stopped):
        _discharge(db, pid)
    assert (_sweep(db), _sweep(db)) == (0, 0)
    assert [(o.person_id, o.channel) for o in _offers(db)] == [
        (nothing_recorded, "none"), (refused, "none"), (stopped, "none")]  # decided once, not asked
    assert _texts(db) == []


def test_an_exercise_survey_says_exercise(db, frozen_clock):
    incident_id = factories.incident(db, "Drill")  # an exercise
    factories.outreach_ready(db, incident_id)
    _discharge(db, _person(db, incident_id))
    assert _sweep(db) == 1
    (sms,) = _texts(db)
    assert sms.body.startswith("EXERCISE ")


# --- answering on the public page --------------------------------------------------------------------

def _post(client, url, data):
    token = FORM.search(client.get(url).text).group(1)
    return client.post(url, data={form_token.FIELD: token, **data})


def test_answered_on_the_page_once_with_contact_asked_for_on_the_record_of_the_key_worker(
        db, incident_id, frozen_clock, client, make_actor):
    worker = make_actor("caseworker")
    with unit_of_work(db.engine) as s:
        from incident.team_service import assign_to_team
        assign_to_team(s, SYSTEM, incident_id, worker.user_id)
    pid = _person(db, incident_id, key_worker_id=worker.user_id)
    _discharge(db, pid)
    _sweep(db)
    url = f"/support/check/{_link_token(db)}"

    page = client.get(url)
    assert page.status_code == 200 and str(t("feedback.title", "en")) in page.text and SERVICE in page.text
    assert "Operation Larch" not in page.text and "<script" not in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    welsh = client.get(url + "?lang=cy")
    assert welsh.status_code == 200 and str(t("feedback.title", "cy")) in welsh.text

    missing = _post(client, url, {k: v for k, v in ALL_ANSWERS.items() if k != "kept_informed"})
    assert missing.status_code == 400 and str(t("feedback.kept_informed.error", "en")) in missing.text
    assert 'href="#kept_informed"' in missing.text
    assert _offers(db)[0].answered_at is None
    no_form_token = client.post(url, data=ALL_ANSWERS)
    assert no_form_token.status_code == 403

    done = _post(client, url, ALL_ANSWERS)
    assert done.status_code == 200 and str(t("feedback.done.contact", "en")) in done.text
    again = client.post(url, data={form_token.FIELD: FORM.search(page.text).group(1), **ALL_ANSWERS})
    assert again.status_code == 410 and str(t("feedback.link.used.title", "en")) in again.text
    assert client.get(url).status_code == 410

    (offer,) = _offers(db)
    assert (offer.satisfaction, offer.kept_informed, offer.treated_with_respect, offer.contact_wanted) == (
        4, True, False, True)
    with unit_of_work(db.engine) as s:
        (kept,) = s.scalars(select(PersonReply))
        assert (kept.person_id, kept.kind) == (pid, "contact")
        assert "asks for someone to contact them" in kept.body and ALL_ANSWERS["comment"] in kept.body
        day = my_day(s, worker, incident_id)
    assert [(m.person_id, m.what) for m in day.messages] == [(pid, "asks to be contacted (feedback)")]
    with db.engine.connect() as conn:
        raw = conn.execute(text("SELECT body FROM person_reply")).scalar_one()
    assert "first weeks" not in raw  # encrypted at rest


def test_a_forged_or_unknown_link_is_404(db, incident_id, client):
    for token in ("A" * 32, "not-a-token", "x" * 200):
        assert client.get(f"/support/check/{token}").status_code == 404
    assert client.post("/support/check/" + "B" * 32, data=ALL_ANSWERS).status_code in (403, 404)


def test_an_expired_survey_link_is_410_and_takes_nothing(db, incident_id, frozen_clock, client):
    _discharge(db, _person(db, incident_id))
    _sweep(db)
    token = _link_token(db)
    frozen_clock.advance(timedelta(days=28))  # the incident's link lifetime
    late = client.get(f"/support/check/{token}")
    assert late.status_code == 410 and str(t("feedback.link.expired.title", "en")) in late.text
    with pytest.raises(LinkUnusable) as refused, unit_of_work(db.engine) as s:
        submit_feedback(s, token, FeedbackAnswers(4, True, True, False))
    assert refused.value.state == "expired" and _offers(db)[0].answered_at is None


def test_the_survey_goes_by_the_channel_the_person_chose_an_email_with_its_own_unsubscribe(
        db, incident_id, frozen_clock):
    with unit_of_work(db.engine) as s:
        by_email = register_person(s, SYSTEM, incident_id, NewPerson(
            "Rhys", "Evans", ["witness"], "reception_centre", mobile="07400 300002", email="rhys.evans@example.org",
            postcode="M4 5AB")).id
        by_phone = register_person(s, SYSTEM, incident_id, NewPerson(
            "Sian", "Hughes", ["witness"], "reception_centre", mobile="07400 300003", postcode="M4 5AB")).id
        for pid, purposes in ((by_email, ("sms", "email")), (by_phone, ("sms",))):
            for purpose in purposes:
                record_consent(s, SYSTEM, pid, purpose, given=True, lawful_basis="consent")
        set_contact_by(s, SYSTEM, by_email, "email")
        set_contact_by(s, SYSTEM, by_phone, "phone")  # their caseworker calls: no automated message
    _discharge(db, by_email)
    _discharge(db, by_phone)
    assert _sweep(db) == 1
    assert {o.person_id: o.channel for o in _offers(db)} == {by_email: "email_link", by_phone: "none"}
    with unit_of_work(db.engine) as s:
        (email,) = s.scalars(select(OutboundMessage).where(OutboundMessage.purpose == "feedback")).all()
        kept = s.scalars(select(PersonMessage.person_id).where(PersonMessage.message_id == email.id)).all()
    assert (email.channel, email.destination, email.subject) == ("email", "rhys.evans@example.org",
                                                                  "How was our support for you?")
    assert LINK.search(email.body) and "/support/stop/" in json.loads(email.payload)["unsubscribe_url"]
    assert kept == [by_email]  # on their record, as every message to them


# --- answering by SMS -------------------------------------------------------------------------------

def _text_in(db, body, sid):
    with unit_of_work(db.engine) as s:
        return handle_inbound(s, sid=sid, from_="+447400300001", to="+447700000000", body=body).reply


def test_without_public_pages_the_survey_is_a_reply_scale_answered_once_by_sms(db, frozen_clock):
    incident_id = factories.incident(db, "Operation Ash", is_exercise=False)  # no public service set up
    pid = _person(db, incident_id)
    _discharge(db, pid)
    assert _sweep(db) == 1
    (sms,) = _texts(db)
    assert "Reply with one number" in sms.body and "/support/" not in sms.body
    assert _offers(db)[0].channel == "sms_reply"

    assert _text_in(db, "thank you", "SM1") == ACKNOWLEDGEMENT  # not a score: a message for the team
    assert _offers(db)[0].answered_at is None
    assert _text_in(db, "2", "SM2") == THANKS_SMS
    assert _text_in(db, "2", "SM2") == THANKS_SMS  # the same message delivered twice: one answer
    assert _text_in(db, "5", "SM3") == ACKNOWLEDGEMENT  # answered already: the team gets it as a message
    (offer,) = _offers(db)
    assert (offer.satisfaction, offer.kept_informed, offer.contact_wanted) == (2, None, None)
    with unit_of_work(db.engine) as s:
        assert [(r.kind, r.body) for r in s.scalars(select(PersonReply).order_by(PersonReply.id))] == [
            ("text", "thank you"), ("text", "5")]


# --- the figures ------------------------------------------------------------------------------------

def test_the_figures_by_month_for_compliance_and_governance(db, incident_id, frozen_clock, client, make_actor):
    for n in range(7):
        _discharge(db, _person(db, incident_id, f"07400 3100{n:02d}"))
    _person(db, incident_id, "07400 310099", sms_consent=None)  # never asked: not counted
    _sweep(db)
    tokens = [LINK.search(m.body).group(1) for m in _texts(db)]
    for token, satisfaction in zip(tokens[:6], "554441", strict=True):
        _post(client, f"/support/check/{token}", {**ALL_ANSWERS, "satisfaction": satisfaction,
                                                  "contact_wanted": "no", "comment": ""})
    other, scrutiny = factories.incident(db, "Other"), make_actor("scrutiny")
    with unit_of_work(db.engine) as s:
        (month,) = feedback_by_month(s, [incident_id])
        assert (month.month, month.offered, month.answered, month.satisfied, month.kept_informed) == (
            factories.T0.date().replace(day=1), 7, 6, 5, 6)
        assert feedback_by_month(s, [incident_id], start=factories.T0.date() + timedelta(days=1)) == []
        assert feedback_by_month(s, [other]) == []
        shown = incident_feedback(s, scrutiny, incident_id)
    # 1 of the 7 did not answer: 7 less the 6 who did would give it away, so the 6 is hidden too. The 1 of
    # the 6 not satisfied is hidden beside the hidden 6 already: the 5 satisfied can be shown.
    (november,) = shown.by_month
    assert (november.group, november.offered, november.answered, november.satisfied) == ("2026-11", 7, SECONDARY, 5)
    assert vars(shown.overall) == vars(november) | {"group": "all"}
    with unit_of_work(db.engine) as s:
        assert not s.scalars(select(PersonReply)).all()  # nothing written, nobody asked to be contacted


def test_the_demo_has_feedback_to_show(db, frozen_clock):
    from standup.demo import build_demo
    result = build_demo(db.engine, seed=7)
    with unit_of_work(db.engine) as s:
        (month,) = feedback_by_month(s, [result.incident_id])
        kinds = set(s.scalars(select(PersonReply.kind)))
        texts = s.scalars(select(OutboundMessage.body).where(OutboundMessage.purpose == "feedback")).all()
    assert month.offered >= 5 and 5 <= month.answered < month.offered and month.satisfied > 0
    assert {"contact", "feedback"} <= kinds and all(body.startswith("EXERCISE ") for body in texts)


def test_the_governance_page_shows_the_figures_with_small_numbers_hidden(db, incident_id, frozen_clock, app_as):
    for n in range(7):
        _discharge(db, _person(db, incident_id, f"07400 3200{n:02d}"))
    _sweep(db)
    for body, satisfaction in zip([m.body for m in _texts(db)][:6], (5, 5, 4, 4, 4, 2), strict=True):
        with unit_of_work(db.engine) as s:
            submit_feedback(s, LINK.search(body).group(1), FeedbackAnswers(satisfaction, True, True, False))
    at = app_as("scrutiny", incident_id=None)
    at.switch_page("incident/pages/governance.py").run()
    assert not at.exception and not at.error
    feedback = at.dataframe[-1].value
    assert list(feedback["month"]) == ["all", "2026-11"] and list(feedback["offered"]) == ["7", "7"]
    assert list(feedback["answered"]) == [SECONDARY] * 2 and list(feedback["satisfied"]) == ["5", "5"]
    assert list(feedback["satisfied of answered"]) == [SECONDARY] * 2  # a rate never reads "fewer than 5"


@pytest.mark.parametrize(("changes", "field"), [
    ({"comment": "x" * 1001}, "comment"), ({"comment": "nul \x00 here"}, "comment"),
    ({"satisfaction": "6"}, "satisfaction"), ({"satisfaction": "true"}, "satisfaction"),
    ({"contact_wanted": "maybe"}, "contact_wanted")])
def test_an_answer_the_survey_cannot_take_names_its_question_and_saves_nothing(db, incident_id, client, changes,
                                                                              field):
    _discharge(db, _person(db, incident_id))
    _sweep(db)
    url = f"/support/check/{_link_token(db)}"
    refused = _post(client, url, {**ALL_ANSWERS, **changes})
    assert refused.status_code == 400 and f'href="#{field}"' in refused.text
    assert _offers(db)[0].answered_at is None
    with unit_of_work(db.engine) as s:
        assert s.scalars(select(PersonReply)).all() == []


def test_two_sweeps_at_once_on_postgresql_ask_each_person_once(db, incident_id, frozen_clock):
    if db.kind != "postgresql":
        pytest.skip("SQLite runs every unit of work as BEGIN IMMEDIATE, one writer at a time: two sweeps "
                    "cannot overlap there")
    import threading
    for n in range(30):
        _discharge(db, _person(db, incident_id, f"07400 3300{n:02d}"))
    start, texted = threading.Barrier(2), []

    def sweep():
        start.wait()
        texted.append(_sweep(db))

    sweeps = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in sweeps:
        thread.start()
    for thread in sweeps:
        thread.join(timeout=120)
    assert sum(texted) == 30 and len(_texts(db)) == 30 and len(_offers(db)) == 30
    assert len({m.destination for m in _texts(db)}) == 30
