"""Retention of what outreach holds: contacts and self-referrals anonymised six years after their
incident stood down (the counts still add up), a live incident's never; a check never submitted
loses its draft answers a month after its link expired; the erasure log holds no content; a second
run finds nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.auth.roles import Actor
from core.db import unit_of_work
from core.retention import ErasureLog
from incident.lifecycle_service import change_status
from outreach.link_service import save_draft
from outreach.model import CheckDraft, Contact, ContactAddress, Invitation, SelfReferral
from outreach.retention import ERASED
from outreach.self_referral_service import ReferralForm, submit_self_referral
from standup.retention import run_retention
from tests import factories

SYSTEM = Actor.system("test")
LIST = ("Order No,First name,Surname,Email,Mobile,Post Code,DOB\r\n"
        "A1,Amira,Haddad,amira@example.org,07400 700001,M4 5AB,1990-04-02\r\n"
        "A2,Amira,Haddad,amira.h@example.org,07400 700001,,\r\n")  # the same person: another address kept
SECRETS = ("Amira", "Haddad", "amira", "+447400700001", "M4 5AB", "1990-04-02", "A1", "Grace", "Okafor",
           "+447400400001", "I was at the concert", "signposted")
TYPES = ("outreach_contacts", "self_referrals", "check_drafts")


def _incident_with_outreach(db, name: str) -> tuple[int, str]:
    incident_id = factories.incident(db, name)
    factories.cohort(db, incident_id, LIST, "Tickets")
    token = factories.invitation_link(db, incident_id, first_name="Amira", last_name="Haddad", email="amira@example.org")
    with unit_of_work(db.engine) as s:
        save_draft(s, token, {"age": 36, "PHQ-9": [1, 2]}, "phq-9")
        submit_self_referral(s, ReferralForm(incident_id, "self", "Grace", "Okafor", phone="07400 400001",
                                             message="I was at the concert"))
    return incident_id, token


def _erasure_log(db) -> str:
    with db.engine.connect() as conn:
        return repr(conn.exec_driver_sql("SELECT * FROM erasure_log").all())


def _outcomes(**how) -> dict[str, int]:
    return {o.record_type: len(o.ids) for o in run_retention(**how) if o.record_type in TYPES}


def test_a_stood_down_incidents_contacts_and_referrals_are_anonymised_after_six_years(db, frozen_clock):
    closed, _ = _incident_with_outreach(db, "Arena")
    live, _ = _incident_with_outreach(db, "Station")
    with unit_of_work(db.engine) as s:
        change_status(s, SYSTEM, closed, "cancelled", "exercise over")
    frozen_clock.advance(timedelta(days=6 * 365 - 1))  # both links expired long ago: their drafts go
    assert _outcomes(dry_run=False) == {"outreach_contacts": 0, "self_referrals": 0, "check_drafts": 2}
    frozen_clock.advance(timedelta(days=2))
    assert _outcomes(dry_run=True) == {"outreach_contacts": 2, "self_referrals": 1, "check_drafts": 0}
    assert _outcomes(dry_run=False) == {"outreach_contacts": 2, "self_referrals": 1, "check_drafts": 0}
    with unit_of_work(db.engine) as s:
        gone = s.scalars(select(Contact).where(Contact.incident_id == closed)).all()
        assert {(c.given_name, c.email, c.mobile, c.postcode, c.date_of_birth, c.contact_ref) for c in gone} == {
            (ERASED, None, None, "", None, "")}
        kept = s.scalars(select(Contact).where(Contact.incident_id == live)).all()
        assert {c.given_name for c in kept} == {"Amira"} and len(kept) == 2
        assert s.scalar(select(func.count()).select_from(ContactAddress)) == 1  # the live incident's
        assert s.scalar(select(func.count()).select_from(Invitation).where(Invitation.incident_id == closed)) == 1
        referral = s.scalar(select(SelfReferral).where(SelfReferral.incident_id == closed))
        assert (referral.given_name, referral.mobile, referral.message, referral.status) == (ERASED, "", "", "new")
        assert s.scalar(select(func.count()).select_from(CheckDraft)) == 0
        logged = s.scalars(select(ErasureLog.record_type)).all()
        assert s.scalar(select(SelfReferral.given_name).where(SelfReferral.incident_id == live)) == "Grace"
    assert set(TYPES) <= set(logged)
    assert not [secret for secret in SECRETS if secret in _erasure_log(db)]  # metadata only
    assert _outcomes(dry_run=False) == {"outreach_contacts": 0, "self_referrals": 0, "check_drafts": 0}


def test_a_drafts_answers_go_a_month_after_its_link_expired(db, frozen_clock):
    incident_id, token = _incident_with_outreach(db, "Arena")
    frozen_clock.advance(timedelta(days=28 + 30 - 1))
    assert _outcomes(dry_run=False)["check_drafts"] == 0
    frozen_clock.advance(timedelta(days=2))
    assert _outcomes(dry_run=False) == {"outreach_contacts": 0, "self_referrals": 0, "check_drafts": 1}
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(CheckDraft)) == 0
        assert s.scalar(select(func.count()).select_from(Contact).where(Contact.given_name == "Amira")) == 2
