"""Referrals: the consent each needs, the home force area, the Victims' Code deadline, statuses."""

import pytest
from sqlalchemy import select

from core.audit.model import AuditEvent
from core.auth.roles import Actor
from core.db import unit_of_work
from core.errors import InputError
from pathways.consent_service import record_consent, withdraw_consent
from pathways.model import Person, Referral
from pathways.referral_coverage import set_coverage
from pathways.referral_service import refer, set_referral_status


def test_a_survivor_is_referred_unless_they_opt_out(db, frozen_clock, register, caseworker, agency_id):
    pid = register()
    with unit_of_work(db.engine) as s:
        referral = refer(s, caseworker, pid, agency_id, "Needs assessment")
        person = s.get(Person, pid)
        assert (referral.status, referral.due_at, person.first_referred_at) == (
            "sent", person.referral_due_at, frozen_clock.at)
        assert not referral.out_of_area and referral.area_note == ""
        consent = record_consent(s, caseworker, pid, "referral", given=True, lawful_basis="consent")
        withdraw_consent(s, caseworker, consent.id)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="opted out of referral"):
        refer(s, caseworker, pid, agency_id, "Peer support")
    with unit_of_work(db.engine) as s:
        assert len(s.scalars(select(Referral)).all()) == 1
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "refer"))
        assert event.recipient == "Cruse Bereavement Support"


@pytest.mark.parametrize(
    ("changes", "who"),
    [(dict(roles=["bereaved"]), "a bereaved relative"),
     (dict(sexual_or_domestic_abuse=True), "a victim of a sexual or domestic-abuse offence")],
)
def test_explicit_consent_comes_first_for_bereaved_and_abuse_victims(
        db, frozen_clock, register, caseworker, agency_id, changes, who):
    pid = register(**changes)
    with unit_of_work(db.engine) as s, pytest.raises(InputError) as refused:
        refer(s, caseworker, pid, agency_id, "Bereavement support")
    assert f"Referring {who} needs explicit consent for the purpose 'referral'" in str(refused.value)
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, pid, "referral", given=True, lawful_basis="consent")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="explicit consent"):
        refer(s, caseworker, pid, agency_id, "Bereavement support")
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, pid, "referral", given=True, lawful_basis="explicit_consent")
    with unit_of_work(db.engine) as s:
        assert refer(s, caseworker, pid, agency_id, "Bereavement support").status == "sent"


def test_someone_from_another_force_area_is_referred_home_and_the_referral_says_so(
        db, frozen_clock, register, caseworker, agency_id):
    pid = register(postcode="CF10 1AA")
    with unit_of_work(db.engine) as s:
        set_coverage(s, Actor.system("test"), agency_id, nationwide=False, force_areas=["South Wales"])
        referral = refer(s, caseworker, pid, agency_id, "Needs assessment")
        assert referral.out_of_area and referral.for_force_area == "South Wales"
        assert "where the person lives (the incident is in Greater Manchester)" in referral.area_note


def test_referral_status_moves_and_refusals(db, frozen_clock, register, caseworker, agency_id):
    pid = register()
    with unit_of_work(db.engine) as s:
        rid = refer(s, caseworker, pid, agency_id, "Needs assessment").id
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="already has a sent referral"):
        refer(s, caseworker, pid, agency_id, "Needs assessment")  # a double click
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="cannot become completed"):
        set_referral_status(s, caseworker, rid, "completed")
    for status in ("accepted", "completed"):
        with unit_of_work(db.engine) as s:
            set_referral_status(s, caseworker, rid, status)
    with unit_of_work(db.engine) as s:
        assert s.get(Referral, rid).status == "completed"


def test_sharing_consent_names_an_agency(db, frozen_clock, register, caseworker, agency_id):
    pid = register()
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="names the agency"):
        record_consent(s, caseworker, pid, "sharing", given=True, lawful_basis="consent")
    with unit_of_work(db.engine) as s:
        assert record_consent(s, caseworker, pid, "sharing", given=True, lawful_basis="consent",
                              agency_id=agency_id).agency_id == agency_id
