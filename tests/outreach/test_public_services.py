"""The services the public pages call (no HTML here): a personal link looked up by its hash, opened,
its answers kept between pages, submitted once (the person registered or linked, each screening
recorded through pathways so positives wait for a clinician and PHQ-9 item 9 raises the alert),
unsubscribing, and a self-referral from the public."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.audit.model import AuditEvent, AuditNote
from core.auth.roles import Actor
from core.crypto import decrypt
from core.db import unit_of_work
from core.errors import InputError
from core.public.link_tokens import new_token
from notifications.model import OutboundMessage
from outreach.check_service import AboutYou, submit_check
from outreach.invitation_service import send_invitations
from outreach.link_service import find_invitation, invitation_by_token, mark_opened, save_draft, unsubscribe
from outreach.model import CheckDraft, Contact, Invitation, SelfReferral
from outreach.public_errors import FieldErrors, LinkUnusable
from outreach.self_referral_service import ReferralForm, submit_self_referral
from pathways.caseload_service import discharge
from pathways.model import Pathway, Person, SafetyAlert, Screening
from pathways.pathway_service import current_enrolment
from pathways.registration_service import NewPerson, register_person
from pathways.vocabulary import label
from tests import factories

SYSTEM = Actor.system("test")
PCL5_LOW, PHQ9_LOW, GAD7_LOW = [1] * 20, [0] * 9, [1] * 7
PHQ9_ITEM_9 = [1, 1, 1, 1, 0, 1, 1, 0, 1]  # total 7, below the threshold: item 9 alone raises the alert
PCL5_HIGH = [2] * 20  # 40: positive
ADULT = AboutYou(consent=True, age=34, postcode="M4 5AB", roles=("survivor",))


@pytest.fixture
def incident_id(db, frozen_clock):
    incident_id = factories.incident(db, "Arena", is_exercise=False)
    factories.outreach_ready(db, incident_id, service_name="Manchester Resilience Hub")
    return incident_id


def _adult_answers(**changes):
    return {"PCL-5": PCL5_LOW, "PHQ-9": PHQ9_LOW, "GAD-7": GAD7_LOW, **changes}


def _submit(db, token, answers, about=ADULT):
    with unit_of_work(db.engine) as s:
        return submit_check(s, token, answers, about)


def _state(db, token):
    with unit_of_work(db.engine) as s:
        return invitation_by_token(s, token)


def _invitation(db, token) -> Invitation:
    with unit_of_work(db.engine) as s:
        return find_invitation(s, token)


def test_a_link_is_found_by_its_hash_and_nothing_else_is(db, incident_id):
    token = factories.invitation_link(db, incident_id)
    state = _state(db, token)
    assert (state.state, state.incident_id, state.round, state.known_age, state.instruments) == (
        "valid", incident_id, 1, None, ())
    assert (state.settings.service_name, state.settings.contact_number) == ("Manchester Resilience Hub", "0161 496 0000")
    for stranger in (new_token(), token[:-1] + ("A" if token[-1] != "A" else "B"), "", "x" * 32 + "\x00",
                     "../../etc/passwd", None, 42, token + "="):
        assert _state(db, stranger) is None


@pytest.mark.parametrize(("born", "trauma", "instruments"), [
    ("1990-02-03", "PCL-5", ("PCL-5", "PHQ-9", "GAD-7")), ("1990-02-03", "TSQ", ("TSQ", "PHQ-9", "GAD-7")),
    ("2014-06-01", "PCL-5", ("CRIES-8",)), ("2021-01-01", "PCL-5", ()),
])
def test_an_age_the_list_gave_chooses_the_questionnaires(db, incident_id, born, trauma, instruments):
    factories.outreach_ready(db, incident_id, trauma_instrument=trauma)
    state = _state(db, factories.invitation_link(db, incident_id, date_of_birth=born))
    assert state.instruments == instruments


def test_opening_is_noted_once_and_the_draft_is_kept_encrypted_between_pages(db, incident_id, frozen_clock):
    token = factories.invitation_link(db, incident_id)
    with unit_of_work(db.engine) as s:
        mark_opened(s, token)
    first_open = _invitation(db, token).opened_at
    frozen_clock.advance(timedelta(minutes=5))
    with unit_of_work(db.engine) as s:
        mark_opened(s, token)
        save_draft(s, token, {"age": 34, "PHQ-9": [0, 1, None]}, "phq-9")
    with unit_of_work(db.engine) as s:
        save_draft(s, token, {"age": 34, "PHQ-9": [0, 1, 2, 3]}, "phq-9-more")
    assert _invitation(db, token).opened_at == first_open and _invitation(db, token).progress == "phq-9-more"
    state = _state(db, token)
    assert (state.draft, state.page) == ({"age": 34, "PHQ-9": [0, 1, 2, 3]}, "phq-9-more")
    with db.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT answers FROM check_draft").scalar()
    # Encrypted at rest. Looked for with a quote and a space, which a Fernet token (URL-safe base64)
    # never holds: a bare "34" turns up in about one token in thirty by chance.
    assert '"age": 34' not in stored and '"PHQ-9"' not in stored
    assert json.loads(decrypt(stored)) == {"age": 34, "PHQ-9": [0, 1, 2, 3]}
    with unit_of_work(db.engine) as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.actor == "system:public")).all()
    assert sorted(actions) == ["create", "open"]  # once each, however many pages


def test_a_check_with_thoughts_of_self_harm_registers_the_person_alerts_and_shows_crisis_help(db, incident_id):
    token = factories.invitation_link(db, incident_id, first_name="Zoë", last_name="O'Brien",
                                      email="zoe@example.org", mobile="07400 100001")
    with unit_of_work(db.engine) as s:
        save_draft(s, token, {"age": 34}, "about-you")
    outcome = _submit(db, token, _adult_answers(**{"PHQ-9": PHQ9_ITEM_9, "PCL-5": PCL5_HIGH}))
    assert (outcome.crisis_help, outcome.clinician_review, outcome.in_touch_by) == (True, True, date(2026, 11, 23))
    with unit_of_work(db.engine) as s:
        [person] = s.scalars(select(Person).where(Person.incident_id == incident_id)).all()
        assert (person.given_name, person.family_name, person.source, person.email, person.mobile, person.postcode,
                person.roles) == ("Zoë", "O'Brien", "online_self_screening", "zoe@example.org", "+447400100001",
                                  "M4 5AB", "survivor")
        screenings = {sc.instrument: sc for sc in s.scalars(select(Screening).where(Screening.person_id == person.id))}
        assert set(screenings) == {"PCL-5", "PHQ-9", "GAD-7"}
        assert (screenings["PCL-5"].positive, screenings["PCL-5"].review_status) == (True, "pending")
        assert (screenings["PHQ-9"].positive, screenings["PHQ-9"].review_status) == (False, "pending")  # the alert
        assert screenings["GAD-7"].review_status == "not_needed"
        assert "Online wellbeing check, round 1" in screenings["PHQ-9"].notes
        # On the incident's day: the trauma screen is early, kept, and says it was the person's own answer.
        early = s.scalar(select(AuditEvent).where(AuditEvent.action == "screen_early"))
        assert (early.entity_id, early.detail) == (
            str(person.id), f"screening {screenings['PCL-5'].id}: PCL-5 0 days after the incident; reason given")
        assert s.scalar(select(AuditNote.note).where(AuditNote.event_id == early.id)) == (
            "answered by the person online (invitation round 1)")
        [alert] = s.scalars(select(SafetyAlert)).all()
        assert (alert.person_id, alert.screening_id) == (person.id, screenings["PHQ-9"].id)
        assert s.scalar(select(Contact.person_id)) == person.id
        assert s.scalar(select(func.count()).select_from(CheckDraft)) == 0
    invitation = _invitation(db, token)
    assert (invitation.used_at is not None, invitation.screened_positive, invitation.raised_alert,
            invitation.progress) == (True, True, True, "done")
    assert _state(db, token).state == "used"
    with pytest.raises(LinkUnusable) as second:  # a double submit records once
        _submit(db, token, _adult_answers())
    assert second.value.state == "used"
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(Screening)) == 3
    assert label("online_self_screening") == "Online self screening"


def test_a_check_with_nothing_to_follow_up_says_when_the_next_one_is(db, incident_id):
    token = factories.invitation_link(db, incident_id)
    outcome = _submit(db, token, _adult_answers())
    assert (outcome.crisis_help, outcome.clinician_review, outcome.call_back) == (False, False, False)
    assert outcome.next_check_from == date(2027, 2, 23)  # round 2: three months after the incident began
    invitation = _invitation(db, token)
    assert (invitation.screened_positive, invitation.raised_alert) == (False, False)


@pytest.mark.parametrize(("answers", "about", "fields"), [
    (_adult_answers(**{"PHQ-9": [0] * 8}), ADULT, {"PHQ-9.9"}),
    (_adult_answers(**{"GAD-7": [0, 4, 0, 0, 0, 0, 0]}), ADULT, {"GAD-7.2"}),
    ({"PHQ-9": PHQ9_LOW, "GAD-7": GAD7_LOW}, ADULT, {f"PCL-5.{n}" for n in range(1, 21)}),
    (_adult_answers(**{"CRIES-8": [0] * 8}), ADULT, {"CRIES-8"}),
    (_adult_answers(), AboutYou(consent=False, age=34), {"consent"}),
    (_adult_answers(), AboutYou(consent=True), {"age"}),
    (_adult_answers(), AboutYou(consent=True, age=150), {"age"}),
    (_adult_answers(), AboutYou(consent=True, age=34, postcode="JE2 3AB"), {"postcode"}),
    (_adult_answers(), AboutYou(consent=True, age=34, roles=("clinician",)), {"roles"}),
    (_adult_answers(), AboutYou(consent=True, age=34, given_name="Zo\x00ë"), {"given_name"}),
])
def test_answers_that_cannot_be_taken_name_their_question_and_save_nothing(db, incident_id, answers, about, fields):
    token = factories.invitation_link(db, incident_id)
    with pytest.raises(FieldErrors) as refused:
        _submit(db, token, answers, about)
    assert set(refused.value.fields) == fields
    assert _state(db, token).state == "valid"
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_an_expired_or_unknown_link_takes_nothing(db, incident_id, frozen_clock):
    token = factories.invitation_link(db, incident_id)
    frozen_clock.advance(timedelta(days=28))
    assert _state(db, token).state == "expired"
    for link, state in ((token, "expired"), (new_token(), "unknown")):
        with pytest.raises(LinkUnusable) as refused:
            _submit(db, link, _adult_answers())
        assert refused.value.state == state
        with pytest.raises(LinkUnusable), unit_of_work(db.engine) as s:
            save_draft(s, link, {}, "start")


def test_someone_already_registered_is_linked_and_a_closed_case_reopened(db, incident_id):
    with unit_of_work(db.engine) as s:
        known = register_person(s, SYSTEM, incident_id, NewPerson("Finn", "Brown", ["witness"], "witness_list",
                                                                  mobile="07400 100009",
                                                                  date_of_birth=date(1980, 1, 1))).id
        discharge(s, SYSTEM, known, "recovered", "doing well")
    token = factories.invitation_link(db, incident_id, first_name="Finn", last_name="Brown", mobile="07400 100009")
    assert _state(db, token).known_age == 46  # the record's date of birth
    _submit(db, token, _adult_answers(), AboutYou(consent=True, age=29))  # the record's age rules
    with unit_of_work(db.engine) as s:
        assert s.scalars(select(Person.id)).all() == [known]
        assert s.get(Person, known).status == "open"
        assert s.scalar(select(func.count()).select_from(Screening).where(Screening.person_id == known)) == 3


def test_someone_registered_after_the_list_came_in_is_found_then(db, incident_id):
    token = factories.invitation_link(db, incident_id, first_name="Kai", last_name="Wong", email="kai@example.org")
    with unit_of_work(db.engine) as s:
        known = register_person(s, SYSTEM, incident_id, NewPerson("Kai", "Wong", ["witness"], "witness_list",
                                                                  email="KAI@example.org")).id
    _submit(db, token, _adult_answers())
    with unit_of_work(db.engine) as s:
        assert s.scalars(select(Person.id)).all() == [known]


def test_a_child_answers_cries_8_with_a_parent_and_is_registered_on_the_childrens_pathway(db, incident_id):
    token = factories.invitation_link(db, incident_id, first_name="Lily")
    with pytest.raises(FieldErrors) as adult_forms:
        _submit(db, token, _adult_answers(), AboutYou(consent=True, age=10))
    assert "CRIES-8.1" in adult_forms.value.fields
    _submit(db, token, {"CRIES-8": [5, 5, 3, 3, 1, 1, 0, 0]}, AboutYou(consent=True, age=10, with_a_parent=True))
    with unit_of_work(db.engine) as s:
        [screening] = s.scalars(select(Screening)).all()
        assert (screening.instrument, screening.positive) == ("CRIES-8", True)
        assert "answered with a parent or carer" in screening.notes
        enrolment = current_enrolment(s, screening.person_id)
        assert s.get(Pathway, enrolment.pathway_id).code == "children_young_people"  # with no date of birth


def test_under_eight_a_parent_asks_to_be_called_instead(db, incident_id):
    token = factories.invitation_link(db, incident_id, first_name="Noah", email="parent@example.org")
    with pytest.raises(FieldErrors) as refused:
        _submit(db, token, {}, AboutYou(consent=True, age=6))
    assert set(refused.value.fields) == {"call_back_number"}
    outcome = _submit(db, token, {}, AboutYou(consent=True, age=6, call_back_number="0161 496 0123",
                                               parent_name="Maya Reed"))
    assert (outcome.call_back, outcome.crisis_help, outcome.in_touch_by) == (True, False, date(2026, 11, 25))
    with unit_of_work(db.engine) as s:
        [referral] = s.scalars(select(SelfReferral)).all()
        assert (referral.status, referral.about, referral.given_name, referral.referrer_name, referral.mobile,
                referral.contact_id is not None) == ("new", "someone_else", "Noah", "Maya Reed", "+441614960123", True)
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_unsubscribing_stops_the_cohorts_messages_at_once_with_any_link(db, incident_id, frozen_clock):
    factories.cohort(db, incident_id, "email,mobile\r\njo@example.org,07400 300001\r\n", "Tickets")
    with unit_of_work(db.engine) as s:
        send_invitations(s, SYSTEM, incident_id, "Tickets")
        body = s.scalar(select(OutboundMessage.body).where(OutboundMessage.channel == "sms"))
    token = body.split("/support/check/")[1].split()[0]
    _submit(db, token, _adult_answers())  # a used link still unsubscribes
    with unit_of_work(db.engine) as s:
        assert unsubscribe(s, token) is True
        assert unsubscribe(s, token) is True  # and again: nothing more happens
        assert unsubscribe(s, new_token()) is False
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Contact.unsubscribed_at)) == frozen_clock()
        assert set(s.scalars(select(OutboundMessage.status))) == {"cancelled"}  # not sent yet: withdrawn
        assert send_invitations(s, SYSTEM, incident_id, "Tickets", round_number=2).summary == \
            "queued 0 invitations (0 by SMS, 0 by email), skipped 1"
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "unsubscribe")) == 1


# --- self-referral from the public ------------------------------------------------------------------


def _refer(db, **fields):
    form = ReferralForm(**{"about": "self", "given_name": "Grace", "family_name": "Okafor",
                           "phone": "07400 400001", **fields})
    with unit_of_work(db.engine) as s:
        return submit_self_referral(s, form).id


def test_a_self_referral_lands_in_the_queue(db, incident_id):
    referral_id = _refer(db, incident_id=incident_id, email="Grace@Example.org", postcode="m4 5ab",
                         message="I was at the concert.\nI can't sleep.", date_of_birth=date(1990, 4, 2))
    with unit_of_work(db.engine) as s:
        referral = s.get(SelfReferral, referral_id)
        assert (referral.status, referral.given_name, referral.email, referral.mobile, referral.postcode,
                referral.message) == ("new", "Grace", "grace@example.org", "+447400400001", "M4 5AB",
                                      "I was at the concert.\nI can't sleep.")
    with db.engine.connect() as conn:
        assert "concert" not in conn.exec_driver_sql("SELECT message FROM self_referral").scalar()


@pytest.mark.parametrize(("fields", "errors"), [
    ({"about": "someone_else"}, {"agreement_confirmed", "referrer_name"}),
    ({"phone": ""}, {"phone"}),
    ({"phone": "0909 879 0000"}, {"phone"}),
    ({"email": "jo@localhost"}, {"email"}),
    ({"given_name": " "}, {"given_name"}),
    ({"about": "the neighbours"}, {"about"}),
    ({"date_of_birth": date(2030, 1, 1)}, {"date_of_birth"}),
    ({"message": "x" * 2001}, {"message"}),
    ({"postcode": "not one"}, {"postcode"}),
])
def test_a_self_referral_that_cannot_be_taken_names_each_field_and_saves_nothing(db, incident_id, fields, errors):
    with pytest.raises(FieldErrors) as refused:
        _refer(db, incident_id=incident_id, **fields)
    assert set(refused.value.fields) == errors
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(SelfReferral)) == 0


def test_someone_else_is_referred_only_with_their_agreement(db, incident_id):
    referral_id = _refer(db, incident_id=incident_id, about="someone_else", agreement_confirmed=True,
                         referrer_name="Maya Reed", referrer_contact="maya@example.org")
    with unit_of_work(db.engine) as s:
        referral = s.get(SelfReferral, referral_id)
        assert (referral.agreement_confirmed, referral.referrer_name) == (True, "Maya Reed")


def test_no_referrals_to_an_incident_that_does_not_take_them(db, incident_id):
    with pytest.raises(InputError, match="not taking referrals"):
        _refer(db, incident_id=incident_id + 99)


def test_drafts_answers_are_json_of_what_the_page_sent(db, incident_id):
    token = factories.invitation_link(db, incident_id)
    with pytest.raises(InputError, match="could not be kept"), unit_of_work(db.engine) as s:
        save_draft(s, token, {"when": date(2026, 1, 1)}, "start")
    with pytest.raises(InputError, match="longer than"), unit_of_work(db.engine) as s:
        save_draft(s, token, {"notes": "x" * 20_001}, "start")
    with unit_of_work(db.engine) as s:
        save_draft(s, token, {"age": "34"}, "start")
        assert json.loads(s.scalar(select(CheckDraft.answers))) == {"age": "34"}
