"""The Independent Public Advocate: Gold records the declaration and the appointment; the advocate
sees exactly the victims who consented to share with them (a withdrawal shuts the record at the next
call), read-only and audited; requests to public authorities are logged and exported as a disclosure."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.audit.model import AuditEvent
from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from pathways.advocate_service import (
    NewRequest,
    advocate_requests,
    advocate_victims,
    advocate_view,
    appoint_advocate,
    appointment_of,
    export_requests,
    log_request,
    record_answer,
)
from pathways.consent_service import record_consent, withdraw_consent
from pathways.model import AdvocateAppointment, AdvocateRequest, Consent
from pathways.registration_service import NewPerson, register_person
from tests import factories
from tests.page_text import as_read

TODAY = date(2026, 11, 23)  # the frozen clock's day


def _appoint(db, actor, incident_id, advocate, **changes):
    fields = dict(declared_on=TODAY - timedelta(days=2), declaration="Major incident declaration 2026/1",
                  advocate_user_id=advocate.user_id, appointed_on=TODAY)
    fields.update(changes)
    with unit_of_work(db.engine) as s:
        return appoint_advocate(s, actor, incident_id, **fields)


def _consent(db, caseworker, pid, given=True) -> int:
    with unit_of_work(db.engine) as s:
        return record_consent(s, caseworker, pid, "advocate", given=given, lawful_basis="consent").id


@pytest.fixture
def advocate(make_actor):
    return make_actor("advocate")


def test_gold_records_the_declaration_and_appointment_and_bad_entries_save_nothing(
        db, frozen_clock, incident_id, make_actor, advocate, caseworker):
    gold = make_actor("gold")
    refusals = [
        (dict(declared_on=None), "Give the date and the reference"),
        (dict(declaration="  "), "Give the date and the reference"),
        (dict(appointed_on=None), "Give the date the advocate was appointed"),
        (dict(appointed_on=TODAY + timedelta(days=1)), "cannot be in the future"),
        (dict(declared_on=TODAY, appointed_on=TODAY - timedelta(days=1)), "on or after the declaration"),
        (dict(advocate_user_id=caseworker.user_id), "the advocate role"),
    ]
    for changes, reason in refusals:
        with pytest.raises(InputError, match=reason):
            _appoint(db, gold, incident_id, advocate, **changes)
    with pytest.raises(PermissionDenied):
        _appoint(db, caseworker, incident_id, advocate)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(AdvocateAppointment)) == 0
    made = _appoint(db, gold, incident_id, advocate)
    assert (made.advocate, made.declared_on, made.appointed_on) == ("Test advocate", TODAY - timedelta(days=2), TODAY)
    with unit_of_work(db.engine) as s:
        assert appointment_of(s, advocate, incident_id) == made
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "appoint_advocate"))
        assert event.detail == f"declared 2026-11-21; advocate user {advocate.user_id} appointed 2026-11-23"


def test_the_advocate_sees_exactly_the_consenting_victims_and_a_withdrawal_shuts_the_record_at_once(
        db, frozen_clock, incident_id, register, caseworker, make_actor, advocate):
    _appoint(db, make_actor("gold"), incident_id, advocate)
    agreed = register(given_name="Ann", roles=["bereaved"])
    refused = register(given_name="Ben")
    silent = register(given_name="Cal")
    withdrew = register(given_name="Dee")
    elsewhere_incident = factories.incident(db, "Another")
    with unit_of_work(db.engine) as s:  # another incident's victim, who consented there
        elsewhere = register_person(s, factories.SYSTEM, elsewhere_incident, NewPerson(
            "Eve", "Khan", ["survivor"], "reception_centre")).id
        record_consent(s, factories.SYSTEM, elsewhere, "advocate", given=True, lawful_basis="consent")
    _consent(db, caseworker, agreed)
    _consent(db, caseworker, refused, given=False)
    with unit_of_work(db.engine) as s:
        withdraw_consent(s, caseworker, _consent(db, caseworker, withdrew))

    with unit_of_work(db.engine) as s:
        assert [(v.person_id, v.name, v.roles) for v in advocate_victims(s, advocate, incident_id)] == [
            (agreed, "Ann Khan", "Bereaved")]
        seen = advocate_view(s, advocate, incident_id, agreed)
        assert (seen.name, seen.mobile) == ("Ann Khan", "+447400123456")
        for pid in (refused, silent, withdrew, elsewhere):
            with pytest.raises(PermissionDenied, match="has not consented"):
                advocate_view(s, advocate, incident_id, pid)
        opened = s.scalars(select(AuditEvent.entity_id).where(AuditEvent.action == "view",
                                                              AuditEvent.entity == "person",
                                                              AuditEvent.entity_id != "")).all()
        assert opened == [str(agreed)]  # the one opening, audited
    other_advocate = make_actor("advocate")
    with unit_of_work(db.engine) as s:
        for attempt in (lambda: advocate_victims(s, other_advocate, incident_id),
                        lambda: advocate_view(s, other_advocate, incident_id, agreed),
                        lambda: advocate_victims(s, caseworker, incident_id)):
            with pytest.raises(PermissionDenied):
                attempt()
    with unit_of_work(db.engine) as s:  # the next click after the withdrawal
        withdraw_consent(s, caseworker, _current_consent(s, agreed))
    with unit_of_work(db.engine) as s:
        assert advocate_victims(s, advocate, incident_id) == []
        with pytest.raises(PermissionDenied, match="withdrawn"):
            advocate_view(s, advocate, incident_id, agreed)


def _current_consent(s, pid) -> int:
    return s.scalar(select(Consent.id).where(Consent.person_id == pid, Consent.purpose == "advocate",
                                             Consent.withdrawn_at.is_(None)))


def test_requests_are_logged_for_consenting_victims_answered_and_exported_as_a_disclosure(
        db, frozen_clock, incident_id, register, caseworker, make_actor, advocate):
    _appoint(db, make_actor("gold"), incident_id, advocate)
    ann, ben = register(given_name="Ann"), register(given_name="Ben")
    _consent(db, caseworker, ann)
    refusals = [
        (NewRequest("", "Post-mortem report", TODAY, person_ids=(ann,)), "which public authority"),
        (NewRequest("Coroner", "Post-mortem report", None, person_ids=(ann,)), "the date it was asked"),
        (NewRequest("Coroner", "Post-mortem report", TODAY, TODAY - timedelta(days=1), (ann,)), "due before"),
        (NewRequest("Coroner", "Post-mortem report", TODAY), "Choose the victims"),
        (NewRequest("Coroner", "Post-mortem report", TODAY, person_ids=(ann, ben)), f"Record {ben} is not"),
    ]
    for new, reason in refusals:
        with unit_of_work(db.engine) as s, pytest.raises(InputError, match=reason):
            log_request(s, advocate, incident_id, new)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(AdvocateRequest)) == 0
        asked = log_request(s, advocate, incident_id, NewRequest(
            "HM Coroner, Manchester City", "=Copy of the post-mortem report", TODAY - timedelta(days=10),
            TODAY - timedelta(days=1), (ann,))).id
    with unit_of_work(db.engine) as s:
        [line] = advocate_requests(s, advocate, incident_id)
        assert (line.victims, line.overdue, line.answered_on) == ("Ann Khan", True, None)
        with pytest.raises(InputError, match="answered"):
            record_answer(s, advocate, incident_id, asked, answered_on=TODAY - timedelta(days=11), answer="x")
        record_answer(s, advocate, incident_id, asked, answered_on=TODAY, answer="Sent to the family")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="who the export is for"):
        export_requests(s, advocate, incident_id, " ")
    with unit_of_work(db.engine) as s:
        text = export_requests(s, advocate, incident_id, "Secretary of State's office")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["authority", "asked", "asked on", "due on", "answered on", "answer", "victims"],
                    ["HM Coroner, Manchester City", "'=Copy of the post-mortem report", "2026-11-13", "2026-11-22",
                     "2026-11-23", "Sent to the family", "Ann Khan"]]
    with unit_of_work(db.engine) as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
        assert (event.recipient, event.detail) == ("Secretary of State's office",
                                                   "advocate's request log: 1 requests (CSV)")


def test_gold_appoints_on_the_gold_page_and_the_advocate_reads_only_the_consenting_on_theirs(
        app_as, db, frozen_clock, incident_id, register, caseworker, make_actor, advocate):
    ann = register(given_name="Ann")
    register(given_name="Ben")
    _consent(db, caseworker, ann)
    at = app_as("gold", "incident/pages/gold.py", actor=make_actor("gold"))
    assert not at.exception
    button = next(b for b in at.button if b.label == "Record the declaration and appointment")
    button.click().run()
    assert "Give the date and the reference" in " ".join(e.value for e in at.error)
    at.date_input(key="advocate_declared_on").set_value(TODAY - timedelta(days=2))
    at.text_input(key="advocate_declaration").input("Major incident declaration 2026/1")
    at.selectbox(key="advocate_account").set_value(advocate.user_id)
    at.date_input(key="advocate_appointed_on").set_value(TODAY)
    next(b for b in at.button if b.label == "Record the declaration and appointment").click().run()
    assert [s.value for s in at.success] == ["Declaration and appointment recorded."]
    assert any("advocate **Test advocate**, appointed 23 Nov 2026" in m.value for m in at.markdown)

    at = app_as("advocate", "pathways/pages/advocate.py", actor=advocate)
    assert not at.exception and not at.error
    assert list(at.dataframe[0].value["name"]) == ["Ann Khan"]
    at.selectbox(key="advocate_person").set_value(ann).run()
    assert any(as_read(m.value).startswith("**Ann Khan** (Survivor) · mobile +447400123456") for m in at.markdown)
