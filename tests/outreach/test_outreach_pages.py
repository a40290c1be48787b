"""The outreach pages through Streamlit's AppTest: importing a cohort (preview, then import), sending
a round (preview, then send), the responses and the call list, self-referral triage, the settings."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.auth.roles import Actor
from core.db import unit_of_work
from incident.team_service import assign_to_team
from outreach.link_service import mark_opened
from outreach.model import Contact, Invitation, SelfReferral
from outreach.self_referral_service import ReferralForm, submit_self_referral
from outreach.settings_service import settings_for
from tests import factories
from tests.factories import MESSY_COHORT_CSV

COHORTS, INVITATIONS, RESPONSES, REFERRALS, SETTINGS = (
    f"outreach/pages/{n}.py" for n in ("cohorts", "invitations", "responses", "self_referrals", "settings"))


@pytest.fixture
def incident_id(db, frozen_clock):
    return factories.incident(db, "Arena", is_exercise=False)


def _button(page, label):
    [button] = [b for b in page.button if b.label == label]
    return button


def test_a_hub_manager_previews_then_imports_a_list_into_a_new_cohort(app_as, db, incident_id):
    page = app_as("hub_manager", COHORTS, incident_id=incident_id)
    assert not page.exception
    page.text_input(key="cohort_new_name").set_value("Arena ticket purchasers")
    page.text_input(key="cohort_source").set_value("Ticket agency export")
    page.file_uploader[0].set_value(("tickets.csv", MESSY_COHORT_CSV.encode("utf-8"), "text/csv")).run()
    _button(page, "Preview").click().run()
    assert not page.exception
    assert "would be imported 10, merged 5, rejected 4" in page.subheader[-1].value
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 0  # a preview saves nothing
    _button(page, "Import into Arena ticket purchasers").click().run()
    assert any("imported 10, merged 5, rejected 4" in m.value for m in page.success)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 10


def test_a_round_is_previewed_then_sent(app_as, db, incident_id):
    factories.cohort(db, incident_id, MESSY_COHORT_CSV, "Tickets")
    page = app_as("hub_manager", INVITATIONS, incident_id=incident_id)
    assert "public name and contact number are not set" in page.warning[0].value
    factories.outreach_ready(db, incident_id)
    page.run()
    _button(page, "Preview").click().run()
    assert not page.exception
    assert page.subheader[0].value == "Would be: queued 10 invitations (6 by SMS, 7 by email), skipped 0"
    _button(page, "Send 10 invitations").click().run()
    assert any("Tickets, round 1: queued 10 invitations" in m.value for m in page.success)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(Invitation)) == 10


def test_the_responses_and_who_to_call(app_as, db, incident_id):
    token = factories.invitation_link(db, incident_id, first_name="Ben", last_name="Jones", mobile="07400 600001")
    with unit_of_work(db.engine) as s:
        mark_opened(s, token)
    page = app_as("hub_manager", RESPONSES, incident_id=incident_id)
    assert not page.exception
    shown = page.dataframe[0].value
    assert (shown["invited"][0], shown["link opened"][0], shown["completed"][0]) == (1, 1, 0)
    page.toggle(key="responses_to_call").set_value(True).run()
    people = page.dataframe[1].value
    assert (people["name"][0], people["mobile"][0]) == ("Ben Jones", "07400 600001")


def test_a_caseworker_declines_a_self_referral_with_a_note(app_as, db, incident_id, make_actor):
    caseworker = make_actor("caseworker")
    with unit_of_work(db.engine) as s:
        assign_to_team(s, Actor.system("test"), incident_id, caseworker.user_id)
        submit_self_referral(s, ReferralForm(incident_id, "self", "Grace", "Okafor", phone="07400 400001",
                                             message="Can someone call me?"))
    page = app_as("caseworker", REFERRALS, actor=caseworker, incident_id=incident_id)
    assert not page.exception
    assert any("Grace Okafor" in m.value for m in page.markdown)
    page.text_input(key="note_1").set_value("Not connected with the incident; signposted to NHS 111")
    _button(page, "Decline").click().run()
    assert not page.exception
    assert any("No self-referral is waiting" in m.value for m in page.success)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(SelfReferral.status)) == "declined"


def test_gold_sets_the_public_name_and_number(app_as, db, incident_id):
    page = app_as("gold", SETTINGS, incident_id=incident_id)
    page.text_input[0].set_value("Manchester Resilience Hub")
    page.text_input[2].set_value("0161 496 0000")
    page.button[0].click().run()
    assert not page.exception
    assert any("Outreach settings saved" in m.value for m in page.success)
    with unit_of_work(db.engine) as s:
        saved = settings_for(s, incident_id)
    assert (saved.service_name, saved.contact_number) == ("Manchester Resilience Hub", "+441614960000")
