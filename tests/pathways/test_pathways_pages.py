"""The caseworker's pages through Streamlit's AppTest, and who may open them."""

from datetime import date

import pytest
from sqlalchemy import select

from core.audit.model import AuditEvent, AuditNote
from core.db import unit_of_work
from pathways.model import Person, Screening
from pathways.screening_service import record_screening
from tests import factories
from tests.page_text import as_read

MY_DAY, PEOPLE, PERSON, REVIEW, ADMIN = (f"pathways/pages/{n}.py" for n in ("my_day", "people", "person", "review",
                                                                              "admin"))
ALERT_ANSWERS = [2, 2, 1, 2, 1, 1, 1, 0, 1]


def _by_label(widgets, label):
    return next(w for w in widgets if w.label == label)


def _errors(at) -> str:
    return " | ".join(as_read(e.value) for e in at.error)


def test_my_day_shows_the_urgent_alert_and_the_review_queue(app_as, db, frozen_clock, register, caseworker, on_duty):
    pid = register(key_worker_id=on_duty.user_id)
    with unit_of_work(db.engine) as s:
        record_screening(s, caseworker, pid, "PHQ-9", ALERT_ANSWERS)
    at = app_as("caseworker", MY_DAY, actor=on_duty)
    assert not at.exception
    assert "URGENT — Amira Khan" in _errors(at)
    assert any("Positive screens to review (1)" in h.value for h in at.subheader)
    _by_label(at.text_input, "What was done (a clinician acknowledges)").input("called; safety plan agreed")
    _by_label(at.button, "Acknowledge alert").click().run()
    assert "URGENT" not in _errors(at)
    assert any("Amira Khan** — PHQ-9" in m.value for m in at.markdown)
    _by_label(at.button, "Review and decide").click().run()  # decisions are taken on one page
    assert not at.exception and at.title[0].value == "Clinician review"


def test_a_caseworker_who_is_not_a_clinician_sees_how_many_alerts_wait_but_no_names(
        app_as, db, frozen_clock, register, caseworker, on_duty):
    pid = register(key_worker_id=caseworker.user_id)
    with unit_of_work(db.engine) as s:
        record_screening(s, caseworker, pid, "PHQ-9", ALERT_ANSWERS)
    at = app_as("caseworker", MY_DAY, actor=caseworker)
    assert not at.exception and not at.error
    assert "**1 urgent safety alert waiting for a clinician** (duty clinician: Test caseworker)." in [
        w.value for w in at.warning]
    assert "Amira" not in " ".join(w.value for w in at.warning)
    assert not [h for h in at.subheader if "Positive screens" in h.value]
    at.switch_page(REVIEW).run()
    assert "Only a designated clinician" in at.info[0].value


@pytest.mark.parametrize("page", [MY_DAY, PEOPLE, PERSON, REVIEW])
def test_without_a_duty_clinician_every_caseworker_page_says_so(app_as, db, frozen_clock, register, clinician, page):
    pid = register()
    at = app_as("caseworker", page, actor=clinician, pathways_person_id=pid, pathways_view_reasons={pid: "check"})
    assert not at.exception
    assert "No duty clinician is named for this incident." in _errors(at)


def test_a_clinician_takes_over_as_duty_clinician_on_the_review_page(app_as, db, frozen_clock, clinician, incident_id):
    from pathways.clinicians import clinical_duty

    at = app_as("caseworker", REVIEW, actor=clinician)
    _by_label(at.button, "Name duty clinician").click().run()
    assert not at.exception and "No duty clinician" not in _errors(at)
    with unit_of_work(db.engine) as s:
        assert clinical_duty(s, clinician, incident_id).clinician_id == clinician.user_id


def test_registering_a_person_through_the_form(app_as, db, frozen_clock, incident_id, on_duty):
    at = app_as("caseworker", PEOPLE)
    _by_label(at.text_input, "First name").input("Grace")
    _by_label(at.text_input, "Family name").input("Okafor")
    _by_label(at.multiselect, "Roles").select("witness")
    _by_label(at.text_input, "Mobile").input("07400 555666")
    _by_label(at.text_input, "Home postcode").input("BT1 5GS")
    _by_label(at.button, "Register").click().run()
    assert not at.exception and not at.error
    assert "Registered Grace Okafor" in at.success[0].value
    with unit_of_work(db.engine) as s:
        person = s.scalar(select(Person))
        assert (person.nation, person.mobile) == ("northern_ireland", "+447400555666")


def test_a_bad_registration_shows_what_was_wrong_and_saves_nothing(app_as, db, frozen_clock, incident_id):
    at = app_as("caseworker", PEOPLE)
    _by_label(at.text_input, "First name").input("Grace")
    _by_label(at.text_input, "Family name").input("Okafor")
    _by_label(at.multiselect, "Roles").select("witness")
    _by_label(at.text_input, "Home postcode").input("XX1 1XX")
    _by_label(at.button, "Register").click().run()
    assert "Postcode: XX1 1XX: there is no UK postcode area 'XX'" in _errors(at)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Person)) is None


def test_the_record_asks_for_a_reason_once_and_its_opening_is_audited_once_with_it(
        app_as, db, frozen_clock, register, caseworker):
    pid = register()
    at = app_as("caseworker", PERSON, actor=caseworker, pathways_person_id=pid)
    assert not [t for t in at.title if t.value == "Amira Khan"]
    _by_label(at.button, "Open record").click().run()
    assert "Give a reason" in _errors(at)
    _by_label(at.text_input, "Reason for viewing").input("scheduled screening call")
    _by_label(at.button, "Open record").click().run()
    assert [t.value for t in at.title] == ["Amira Khan"]
    at.run()  # the page redrawn by a click: no question, and the same opening (one view, not two)
    assert [t.value for t in at.title] == ["Amira Khan"]
    with unit_of_work(db.engine) as s:
        reasons = s.scalars(select(AuditNote.note).join(AuditEvent, AuditEvent.id == AuditNote.event_id).where(
            AuditEvent.action == "view", AuditEvent.entity == "person", AuditEvent.entity_id == str(pid))).all()
    assert reasons == ["scheduled screening call"]


def _screen(at, answers):
    at.selectbox(key="screen_instrument").set_value("PHQ-9").run()
    for number, points in enumerate(answers, start=1):
        if points is not None:
            at.radio(key=f"q_PHQ-9_{number}").set_value(points)
    _by_label(at.button, "Save screening").click().run()


def test_a_screening_with_a_missing_answer_is_refused_naming_the_item(app_as, db, frozen_clock, register):
    pid = register()
    at = app_as("caseworker", PERSON, pathways_person_id=pid, pathways_view_reasons={pid: "screening"},
                person_tab="Screening")
    _screen(at, ALERT_ANSWERS[:8] + [None])
    assert "PHQ-9 item 9: no answer given" in _errors(at)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Screening)) is None


def test_a_positive_phq9_from_the_record_raises_the_alert_on_the_page(app_as, db, frozen_clock, register, clinician):
    pid = register()
    at = app_as("caseworker", PERSON, actor=clinician, pathways_person_id=pid,
                pathways_view_reasons={pid: "screening"}, person_tab="Screening")
    _screen(at, ALERT_ANSWERS)
    assert not at.exception
    assert "URGENT — Amira Khan" in _errors(at)


def test_a_clinician_records_a_decision_on_the_review_page(app_as, db, frozen_clock, register, caseworker,
                                                          make_clinician):
    make_clinician(caseworker)
    pid = register(date_of_birth=date(1980, 1, 1))
    with unit_of_work(db.engine) as s:
        sid = record_screening(s, caseworker, pid, "GAD-7", [2, 2, 2, 2, 2, 0, 0]).id
    at = app_as("caseworker", REVIEW, actor=caseworker)
    at.selectbox(key=f"d_{sid}").set_value("talking_therapies")
    _by_label(at.button, "Record decision").click().run()
    assert not at.exception and "No screen is waiting for review." in at.success[0].value
    with unit_of_work(db.engine) as s:
        assert s.get(Screening, sid).decided_by_id is not None


@pytest.mark.parametrize("role", ["gold", "hub_manager", "agency_coordinator", "auditor", "admin"])
def test_other_roles_cannot_open_the_caseworker_pages(app_as, incident_id, role):
    at = app_as(role)
    for page in (MY_DAY, PEOPLE, PERSON, REVIEW):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_only_an_administrator_opens_pathway_settings(app_as, incident_id):
    at = app_as("admin", ADMIN)
    assert not at.exception and [t.value for t in at.title] == ["Pathway settings"]
    assert "Nobody is duty clinician for this incident now." in [w.value for w in at.warning]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app_as("caseworker").switch_page(ADMIN)


@pytest.mark.parametrize("tab", ["Overview", "Consent", "Needs", "Pathway", "Screening", "Referrals", "Complaints",
                                 "Duplicates"])
def test_every_tab_of_a_full_record_renders(app_as, db, frozen_clock, register, caseworker, tab):
    from pathways.complaint_service import record_complaint
    from pathways.consent_service import record_consent
    from pathways.needs_service import assess_needs
    from pathways.referral_service import refer

    pid = register()
    register(given_name="Amirah", mobile="")  # a likely duplicate
    agency_id = factories.agency(db)
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, pid, "sms", given=True, lawful_basis="consent")
        assess_needs(s, caseworker, pid, ["housing"], "medium", "temporary flat")
        record_complaint(s, caseworker, pid, "No call back")
        refer(s, caseworker, pid, agency_id, "Needs assessment")
        record_screening(s, caseworker, pid, "PHQ-9", ALERT_ANSWERS)
    at = app_as("caseworker", PERSON, pathways_person_id=pid, pathways_view_reasons={pid: "check"}, person_tab=tab)
    assert not at.exception
    assert [t.value for t in at.title] == ["Amira Khan"]
    expected = {"Overview": "Save contact", "Consent": "Record consent", "Needs": "Save assessment",
                "Pathway": "Move", "Screening": "Save screening", "Referrals": "Send referral",
                "Complaints": "Record complaint", "Duplicates": "Not the same person"}[tab]
    assert expected in [b.label for b in at.button]


def test_equality_monitoring_and_the_communication_need_met_are_recorded_on_the_overview(
        app_as, db, frozen_clock, register, caseworker, on_duty):
    pid = register(interpreter_needed=True)
    at = app_as("caseworker", PERSON, actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "check"}, person_tab="Overview")
    assert not at.exception
    assert [s.value for s in at.selectbox if s.label == "Sex"] == [""]  # "Not recorded" until the person says
    _by_label(at.selectbox, "Sex").set_value("female")
    _by_label(at.selectbox, "Ethnic group (ONS 2021)").set_value("mixed_white_asian")
    _by_label(at.selectbox, "Disability").set_value("prefer_not_to_say")
    _by_label(at.button, "Save equality monitoring").click().run()
    assert not at.exception and not at.error
    _by_label(at.button, "Record it given").click().run()
    assert not at.error
    with unit_of_work(db.engine) as s:
        person = s.get(Person, pid)
        assert (person.sex, person.ethnic_group, person.disability) == ("female", "mixed_white_asian",
                                                                        "prefer_not_to_say")
        assert person.communication_met_on == date(2026, 11, 23)
    assert "Interpreter or easy read given from 23/11/2026." in [c.value for c in at.caption]
