"""A NUL typed (or pasted) into an outreach page, or sent from a public form, is refused naming the
field, and nothing is saved: PostgreSQL cannot store or even compare a NUL."""

from __future__ import annotations

import pytest

from core.auth.roles import Actor
from core.db import unit_of_work
from outreach.check_service import AboutYou, submit_check
from outreach.cohort_service import import_cohort
from outreach.invitation_service import send_invitations
from outreach.link_service import save_draft
from outreach.public_errors import FieldErrors
from outreach.self_referral_service import ReferralForm, decline_referral, submit_self_referral
from outreach.settings_service import SettingsChanges, save_outreach_settings
from tests import factories
from tests.stored_rows import assert_control_character_refused, every_row

SYSTEM = Actor.system("test")
NUL = "Arena\x00"
LIST = b"email\r\njo@example.org\r\n"


@pytest.fixture
def incident_id(db, frozen_clock):
    incident_id = factories.incident(db, "Arena")
    factories.cohort(db, incident_id, "email\r\nsam@example.org\r\n", "Tickets")
    return incident_id


@pytest.mark.parametrize(("field", "send"), [
    ("The cohort name", lambda s, i: import_cohort(s, SYSTEM, i, NUL, LIST, "l.csv", source="Tickets")),
    ("The source", lambda s, i: import_cohort(s, SYSTEM, i, "Tickets", LIST, "l.csv", source=NUL)),
    ("The file name", lambda s, i: import_cohort(s, SYSTEM, i, "Tickets", LIST, NUL, source="Tickets")),
    ("The cohort name", lambda s, i: send_invitations(s, SYSTEM, i, NUL)),
    ("The service name", lambda s, i: save_outreach_settings(s, SYSTEM, i, SettingsChanges(NUL, "0161 496 0000"))),
    ("The Welsh service name", lambda s, i: save_outreach_settings(
        s, SYSTEM, i, SettingsChanges("Hub", "0161 496 0000", service_name_cy=NUL))),
])
def test_staff_input_with_a_control_character_is_refused(db, incident_id, field, send):
    assert_control_character_refused(db.engine, lambda s: send(s, incident_id), field)


def test_public_input_with_a_control_character_names_the_field_and_saves_nothing(db, incident_id):
    token = factories.invitation_link(db, incident_id)
    before = every_row(db.engine)
    for send, field in (
            (lambda s: submit_self_referral(s, ReferralForm(incident_id, "self", NUL, phone="07400 400001")),
             "given_name"),
            (lambda s: submit_self_referral(s, ReferralForm(incident_id, "self", "Jo", phone="07400 400001",
                                                            message="help\x00")), "message"),
            (lambda s: submit_check(s, token, {}, AboutYou(consent=True, age=40, family_name=NUL)), "family_name")):
        with pytest.raises(FieldErrors) as refused, unit_of_work(db.engine) as s:
            send(s)
        assert "control character" in refused.value.fields[field]
    assert_control_character_refused(db.engine, lambda s: save_draft(s, token, {}, "page\x00"), "The page")
    assert every_row(db.engine) == before


def test_a_decline_note_with_a_control_character_is_refused(db, incident_id):
    with unit_of_work(db.engine) as s:
        referral_id = submit_self_referral(s, ReferralForm(incident_id, "self", "Jo", phone="07400 400001")).id
    assert_control_character_refused(db.engine, lambda s: decline_referral(s, SYSTEM, referral_id, "no\x00"),
                                     "The note")
