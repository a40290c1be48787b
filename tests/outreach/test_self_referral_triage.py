"""Self-referral triage: a caseworker on the incident's team sees the queue, the registered people a
referral may be (matched as duplicate registrations are), and accepts, merges or declines each once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from incident.team_service import assign_to_team
from outreach.self_referral_service import (
    ReferralForm,
    accept_referral,
    decline_referral,
    merge_referral,
    possible_matches,
    referral_queue,
    submit_self_referral,
)
from pathways.model import Person
from pathways.registration_service import NewPerson, register_person
from tests import factories

SYSTEM = Actor.system("test")


@pytest.fixture
def incident_id(db, frozen_clock):
    return factories.incident(db, "Arena", is_exercise=False)


@pytest.fixture
def caseworker(db, make_actor, incident_id):
    actor = make_actor("caseworker")
    with unit_of_work(db.engine) as s:
        assign_to_team(s, SYSTEM, incident_id, actor.user_id)
    return actor


def _refer(db, incident_id, **fields) -> int:
    form = ReferralForm(**{"incident_id": incident_id, "about": "self", "given_name": "Grace", "family_name": "Okafor",
                           "phone": "07400 400001", "date_of_birth": date(1990, 4, 2), **fields})
    with unit_of_work(db.engine) as s:
        return submit_self_referral(s, form).id


def _call(db, use_case, *args, **kwargs):
    with unit_of_work(db.engine) as s:
        return use_case(s, *args, **kwargs)


def test_the_queue_shows_new_referrals_oldest_first_and_the_showing_is_audited(db, incident_id, caseworker,
                                                                              frozen_clock):
    first = _refer(db, incident_id)
    frozen_clock.advance(timedelta(hours=1))
    second = _refer(db, incident_id, about="someone_else", agreement_confirmed=True, given_name="Tom",
                    referrer_name="Maya Reed", referrer_contact="07400 400009")
    other_incident = factories.incident(db, "Elsewhere")
    _refer(db, other_incident)
    queue = _call(db, referral_queue, caseworker, incident_id)
    assert [(r.id, r.name, r.phone) for r in queue] == [(first, "Grace Okafor", "+447400400001"),
                                                        (second, "Tom Okafor", "+447400400001")]
    assert queue[1].referrer == "Maya Reed (07400 400009)"
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity == "self_referral", AuditEvent.action == "view")) == 1


def test_a_referral_is_matched_against_the_registry_and_merged_into_the_person(db, incident_id, caseworker):
    with unit_of_work(db.engine) as s:
        known = register_person(s, SYSTEM, incident_id, NewPerson("Grace", "Okafor", ["survivor"], "reception_centre",
                                                                  date_of_birth=date(1990, 4, 2))).id
        register_person(s, SYSTEM, incident_id, NewPerson("Someone", "Different", ["witness"], "witness_list"))
    referral_id = _refer(db, incident_id, given_name="Grace", family_name="Okafor")
    [(row, how)] = _call(db, possible_matches, caseworker, referral_id)
    assert row.id == known and "same date of birth" in how.reasons
    decided = _call(db, merge_referral, caseworker, referral_id, known, "the same Grace: same date of birth")
    assert (decided.status, decided.person_id, decided.decided_by_id) == ("merged", known, caseworker.user_id)
    with pytest.raises(InputError, match="already merged"):
        _call(db, decline_referral, caseworker, referral_id, "changed my mind")
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 2


def test_accepting_registers_the_person_from_the_referral(db, incident_id, caseworker):
    referral_id = _refer(db, incident_id, email="grace@example.org", postcode="M4 5AB")
    decided = _call(db, accept_referral, caseworker, referral_id, ["witness"])
    with unit_of_work(db.engine) as s:
        person = s.get(Person, decided.person_id)
        assert (person.given_name, person.source, person.roles, person.mobile, person.email, person.postcode,
                person.date_of_birth) == ("Grace", "self_referral", "witness", "+447400400001", "grace@example.org",
                                          "M4 5AB", date(1990, 4, 2))
    assert _call(db, referral_queue, caseworker, incident_id) == []


def test_a_landline_is_kept_on_the_referral_but_not_taken_as_a_mobile(db, incident_id, caseworker):
    referral_id = _refer(db, incident_id, phone="0161 496 0000")
    decided = _call(db, accept_referral, caseworker, referral_id, [])
    with unit_of_work(db.engine) as s:
        assert (s.get(Person, decided.person_id).mobile, decided.mobile) == (None, "+441614960000")


def test_declining_needs_a_note(db, incident_id, caseworker):
    referral_id = _refer(db, incident_id)
    with pytest.raises(InputError, match="Say why"):
        _call(db, decline_referral, caseworker, referral_id, "  ")
    decided = _call(db, decline_referral, caseworker, referral_id, "Not connected with the incident; signposted to 111")
    assert (decided.status, decided.person_id) == ("declined", None)
    with db.engine.connect() as conn:
        assert "signposted" not in conn.exec_driver_sql("SELECT decision_note FROM self_referral").scalar()


def test_merging_into_someone_of_another_incident_is_refused(db, incident_id, caseworker):
    elsewhere = factories.incident(db, "Elsewhere")
    with unit_of_work(db.engine) as s:
        stranger = register_person(s, SYSTEM, elsewhere, NewPerson("Grace", "Okafor", ["survivor"], "partner")).id
    referral_id = _refer(db, incident_id)
    with pytest.raises(InputError, match="in this incident"):
        _call(db, merge_referral, caseworker, referral_id, stranger)


def test_only_caseworkers_on_the_team_triage(db, incident_id, make_actor):
    referral_id = _refer(db, incident_id)
    outsider = make_actor("caseworker")
    for use_case, args in ((referral_queue, (incident_id,)), (possible_matches, (referral_id,)),
                           (accept_referral, (referral_id, [])), (decline_referral, (referral_id, "no"))):
        with pytest.raises(PermissionDenied, match="not on this incident's team"):
            _call(db, use_case, outsider, *args)
    for role in ("gold", "hub_manager", "agency_coordinator", "admin", "auditor"):
        with pytest.raises(PermissionDenied):
            _call(db, referral_queue, make_actor(role), incident_id)
