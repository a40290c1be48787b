"""The Victim Personal Statement, restorative justice and compensation per person: restorative
justice referred only with consent after the provider's risk assessment; compensation against its
usual two-year limit; refusals save nothing; the officer in the case kept beside them."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.audit.model import AuditEvent
from core.db import unit_of_work
from core.errors import InputError
from pathways.justice_queries import person_justice
from pathways.justice_service import RightsDetails, save_victim_rights
from pathways.model import VictimRights
from pathways.victim_rights_rules import (
    compensation_deadline,
    compensation_late,
    rj_referral_problem,
    statement_problem,
)

TODAY = date(2026, 11, 23)  # the frozen clock's day, and the incident's


def test_the_rules():
    assert compensation_deadline(date(2026, 11, 23)) == date(2028, 11, 23)
    assert compensation_deadline(date(2028, 2, 29)) == date(2030, 2, 28)
    assert not compensation_late(None, date(2028, 11, 23), date(2028, 11, 23))
    assert compensation_late(None, date(2028, 11, 23), date(2028, 11, 24))
    assert compensation_late(date(2028, 11, 24), date(2028, 11, 23), date(2029, 1, 1))
    assert not compensation_late(date(2028, 11, 20), date(2028, 11, 23), date(2029, 1, 1))
    assert rj_referral_problem(None, None, None) == ""
    assert "needs the victim's consent" in rj_referral_problem(None, TODAY, TODAY)
    assert "needs the victim's consent" in rj_referral_problem(False, TODAY, TODAY)
    assert "follows the provider's risk assessment" in rj_referral_problem(True, None, TODAY)
    assert "can only follow it" in rj_referral_problem(True, TODAY, TODAY - timedelta(days=1))
    assert rj_referral_problem(True, TODAY - timedelta(days=1), TODAY) == ""
    assert "Give the day" in statement_problem("made", None)
    assert "for a statement made" in statement_problem("later", TODAY)
    assert statement_problem("declined", None) == ""


def test_restorative_justice_is_referred_only_with_consent_after_the_risk_assessment(
        db, frozen_clock, register, caseworker):
    pid = register()
    refusals = [
        (RightsDetails(rj_told_on=TODAY, rj_referred_on=TODAY), "needs the victim's consent"),
        (RightsDetails(rj_consent=True, rj_referred_on=TODAY), "follows the provider's risk assessment"),
        (RightsDetails(rj_consent=True, rj_risk_assessed_on=TODAY, rj_referred_on=TODAY - timedelta(days=1)),
         "can only follow it"),
        (RightsDetails(compensation_applied_on=TODAY + timedelta(days=1)), "in the future"),
        (RightsDetails(vps_choice="made"), "Give the day the Victim Personal Statement was made"),
        (RightsDetails(vps_choice="maybe"), "Unknown statement choice"),
    ]
    for details, reason in refusals:
        with unit_of_work(db.engine) as s, pytest.raises(InputError, match=reason):
            save_victim_rights(s, caseworker, pid, details)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(VictimRights)) == 0
        save_victim_rights(s, caseworker, pid, RightsDetails(
            officer_in_case="  DC  Lee Park ", vps_told_on=TODAY, vps_choice="made", vps_made_on=TODAY,
            rj_told_on=TODAY, rj_consent=True, rj_risk_assessed_on=TODAY, rj_referred_on=TODAY,
            compensation_told_on=TODAY))
    with unit_of_work(db.engine) as s:
        rights = s.get(VictimRights, pid)
        assert (rights.officer_in_case, rights.vps_choice, rights.rj_consent, rights.rj_referred_on) == (
            "DC Lee Park", "made", True, TODAY)
        assert s.scalar(select(AuditEvent.detail).where(AuditEvent.entity == "victim_rights")) == (
            "fields: officer_in_case, statement, restorative justice, compensation")


def test_compensation_is_shown_against_its_two_year_limit(db, frozen_clock, register, caseworker):
    pid = register()
    with unit_of_work(db.engine) as s:
        j = person_justice(s, caseworker, pid)
        assert (j.compensation_deadline, j.compensation_late, j.rights) == (date(2028, 11, 23), False, None)
    frozen_clock.advance(timedelta(days=2 * 366))  # past the limit, not applied
    with unit_of_work(db.engine) as s:
        assert person_justice(s, caseworker, pid).compensation_late
        save_victim_rights(s, caseworker, pid, RightsDetails(compensation_applied_on=date(2028, 11, 20)))
    with unit_of_work(db.engine) as s:
        assert not person_justice(s, caseworker, pid).compensation_late  # applied in time
