"""Needs assessments with history, enhanced-rights re-assessment, complaints to an answer, family, caseload."""

from datetime import date

import pytest
from sqlalchemy import select

from core.audit.model import AuditEvent
from core.db import unit_of_work
from core.errors import InputError
from notifications.model import OutboundMessage
from pathways import caseload_service, people_queries, registration_service
from pathways.complaint_service import answer_complaint, record_complaint
from pathways.consent_service import record_consent
from pathways.model import Person
from pathways.needs_service import assess_needs


def test_each_needs_reassessment_is_kept(db, frozen_clock, register, caseworker):
    pid = register()
    with unit_of_work(db.engine) as s:
        assess_needs(s, caseworker, pid, ["housing"], "high", "flat inside the cordon")
        with pytest.raises(InputError, match="Unknown need 'love'"):
            assess_needs(s, caseworker, pid, ["love"], "low")
        with pytest.raises(InputError, match="Choose a risk level"):
            assess_needs(s, caseworker, pid, ["housing"], "severe")
        assess_needs(s, caseworker, pid, ["emotional", "information"], "medium")
    with unit_of_work(db.engine) as s:
        record = people_queries.view_person(s, caseworker, pid, "review needs")
    assert [(n.needs, n.risk_level) for n in record.needs] == [("emotional,information", "medium"), ("housing", "high")]


def test_enhanced_rights_are_reassessed_with_judged_reasons_and_the_history_kept(db, frozen_clock, register, caseworker):
    pid = register(victim_of_terrorism=False, date_of_birth=date(1960, 1, 1))
    with unit_of_work(db.engine) as s:
        assert not s.get(Person, pid).enhanced_rights
        registration_service.reassess_enhanced_rights(s, caseworker, pid, ("intimidated",))
        with pytest.raises(InputError, match="unknown reason"):
            registration_service.reassess_enhanced_rights(s, caseworker, pid, ("bored",))
    with unit_of_work(db.engine) as s:
        record = people_queries.view_person(s, caseworker, pid, "rights")
        assert record.person.enhanced_rights
        assert [(r.entitled, r.reasons) for r in record.rights] == [(True, "intimidated"), (False, "")]


def test_a_complaint_is_tracked_to_its_answer(db, frozen_clock, register, caseworker):
    pid = register()
    with unit_of_work(db.engine) as s:
        with pytest.raises(InputError, match="what the complaint is about"):
            record_complaint(s, caseworker, pid, " ")
        cid = record_complaint(s, caseworker, pid, "Nobody called back for a week").id
    with unit_of_work(db.engine) as s:
        with pytest.raises(InputError, match="Write the answer"):
            answer_complaint(s, caseworker, cid, "")
        answer_complaint(s, caseworker, cid, "Apologised; key worker assigned; weekly calls agreed")
    with unit_of_work(db.engine) as s:
        with pytest.raises(InputError, match="already been answered"):
            answer_complaint(s, caseworker, cid, "again")
        complaint = people_queries.view_person(s, caseworker, pid, "complaint").complaints[0]
        assert (complaint.status, complaint.answered_by_id) == ("answered", caseworker.user_id)
        details = s.scalars(select(AuditEvent.detail).where(AuditEvent.entity == "complaint")).all()
    assert details == ["fields: summary", "fields: status, answer"]


def test_family_links_and_key_workers(db, frozen_clock, register, caseworker, make_actor):
    parent, child = register(given_name="Mo"), register(given_name="Zed", date_of_birth=date(2015, 1, 1))
    gold = make_actor("gold")
    with unit_of_work(db.engine) as s:
        caseload_service.link_family(s, caseworker, parent, child, "parent")
        with pytest.raises(InputError, match="already linked"):
            caseload_service.link_family(s, caseworker, child, parent, "child")
        with pytest.raises(InputError, match="must be an active caseworker"):
            caseload_service.assign_key_worker(s, caseworker, child, gold.user_id)
        caseload_service.assign_key_worker(s, caseworker, child, caseworker.user_id)
    with unit_of_work(db.engine) as s:
        record = people_queries.view_person(s, caseworker, child, "family")
        assert [(link.relationship, name) for link, name in record.family] == [("parent", "Mo Khan")]
        assert record.key_worker == "Test caseworker"
        mine = people_queries.search_people(s, caseworker, record.person.incident_id, "", mine_only=True)
        assert [r.id for r in mine.rows] == [child]


def test_a_change_of_key_worker_is_recorded_and_texted_to_a_person_who_consented_to_texts(
        db, frozen_clock, register, caseworker, make_actor):
    second = make_actor("caseworker")
    texted = register(given_name="Ann", key_worker_id=caseworker.user_id, mobile="07400 123456")
    silent = register(given_name="Ben", key_worker_id=caseworker.user_id, mobile="07400 654321")
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, texted, "sms", given=True, lawful_basis="consent")
        record_consent(s, caseworker, silent, "sms", given=False, lawful_basis="consent")
    with unit_of_work(db.engine) as s:
        for pid in (texted, silent):
            caseload_service.assign_key_worker(s, caseworker, pid, second.user_id)
        caseload_service.assign_key_worker(s, caseworker, texted, second.user_id)  # no change: nothing to tell
    with unit_of_work(db.engine) as s:
        [text] = s.scalars(select(OutboundMessage).where(OutboundMessage.purpose == "key_worker")).all()
        assert (text.destination, text.incident_id) == ("+447400123456", s.get(Person, texted).incident_id)
        assert "Your key worker at the support service is now Test caseworker" in text.body
        details = s.scalars(select(AuditEvent.detail).where(AuditEvent.entity == "person",
                                                            AuditEvent.detail.like("fields: key_worker%"))
                            .order_by(AuditEvent.id)).all()
        changed = f"fields: key_worker; changed from user {caseworker.user_id} to user {second.user_id}; "
        assert details == [changed + "person texted",
                           changed + "person not messaged (asked to be phoned, no consent to their channel, or no address): "
                                     "tell them another way",
                           "fields: key_worker"]


def test_a_change_of_key_worker_is_emailed_to_a_person_who_chose_email(db, frozen_clock, register, caseworker,
                                                                      make_actor):
    from pathways.consent_service import set_contact_by

    second = make_actor("caseworker")
    pid = register(given_name="Em", key_worker_id=caseworker.user_id, mobile="07400 123456", email="em@example.org")
    with unit_of_work(db.engine) as s:
        for purpose in ("sms", "email"):
            record_consent(s, caseworker, pid, purpose, given=True, lawful_basis="consent")
        set_contact_by(s, caseworker, pid, "email")
    with unit_of_work(db.engine) as s:
        caseload_service.assign_key_worker(s, caseworker, pid, second.user_id)
    with unit_of_work(db.engine) as s:
        [message] = s.scalars(select(OutboundMessage).where(OutboundMessage.purpose == "key_worker")).all()
        assert (message.channel, message.destination, message.subject) == (
            "email", "em@example.org", "EXERCISE Your key worker")
        assert s.scalar(select(AuditEvent.detail).where(AuditEvent.detail.like("fields: key_worker;%"))).endswith(
            "; person emailed")
