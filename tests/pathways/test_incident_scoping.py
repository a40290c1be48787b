"""Caseworkers work only in the incidents whose team they are on (issue 8, scoping): every pathways
service refuses one who is not — checked over every service the package has, so a new one cannot
forget — a caseworker taken off the team loses access at once, other roles behave as before, and the
pages show the refusal, not the people."""

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from sqlalchemy import func, select

import pathways
from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.clock import now
from core.db import unit_of_work
from incident.lifecycle_service import open_incident
from incident.team_service import remove_from_team
from pathways import (
    advocate_service,
    alert_banner_queries,
    caseload_service,
    clinicians,
    complaint_service,
    consent_service,
    equality_service,
    justice_queries,
    justice_service,
    merge_service,
    my_day_queries,
    needs_service,
    pathway_service,
    people_queries,
    person_replies,
    referral_service,
    registration_service,
    screening_service,
    support_plan_queries,
    support_plan_service,
    update_service,
)
from pathways.duplicates import Identity
from pathways.model import (
    Complaint,
    Consent,
    InformTask,
    Person,
    PersonReply,
    Referral,
    SafetyAlert,
    Screening,
)
from pathways.registration_service import NewPerson

NOT_ON_TEAM = "not on this incident's team"
ALERT_ANSWERS = [2, 2, 1, 2, 1, 1, 1, 0, 1]
MY_DAY, PEOPLE, PERSON, REVIEW = (f"pathways/pages/{n}.py" for n in ("my_day", "people", "person", "review"))


@pytest.fixture
def case(db, frozen_clock, register, caseworker, make_clinician, incident_id, agency_id):
    """Two people of the incident with a row of every kind, made by a caseworker (and clinician) on its team."""
    make_clinician(caseworker)
    pid = register()
    other = register(given_name="Amirah", mobile="")
    with unit_of_work(db.engine) as s:
        consent_service.record_consent(s, caseworker, pid, "sms", given=True, lawful_basis="consent")
        screening_service.record_screening(s, caseworker, pid, "PHQ-9", ALERT_ANSWERS)
        referral_service.refer(s, caseworker, pid, agency_id, "Needs assessment")
        complaint_service.record_complaint(s, caseworker, pid, "No call back")
        person_replies.take_reply(s, mobile="+447400123456", body="Can someone call me", received_at=now(),
                                  provider_sid="SM" + "5" * 32)
        ids = dict(incident=incident_id, person=pid, other=other, agency=agency_id,
                   consent=s.scalar(select(Consent.id)), screening=s.scalar(select(Screening.id)),
                   alert=s.scalar(select(SafetyAlert.id)), referral=s.scalar(select(Referral.id)),
                   complaint=s.scalar(select(Complaint.id)), reply=s.scalar(select(PersonReply.id)))
    return ids


# Every pathways service that takes (session, actor, …), with arguments that reach into the case's
# incident. A service that holds no incident's data is listed in NOT_INCIDENT_DATA, saying why.
def _communication_met(s, actor, person_id):
    s.get(Person, person_id).interpreter_needed = True  # as registration would have recorded it
    return equality_service.record_communication_met(s, actor, person_id)


SERVICES = {
    "registration_service.register_person": lambda s, a, c: registration_service.register_person(
        s, a, c["incident"], NewPerson("Grace", "Okafor", ["witness"], "self_referral", date_of_birth=date(1990, 1, 1))),
    "registration_service.reassess_enhanced_rights": lambda s, a, c: registration_service.reassess_enhanced_rights(s, a, c["person"]),
    "people_queries.search_people": lambda s, a, c: people_queries.search_people(s, a, c["incident"], ""),
    "people_queries.view_person": lambda s, a, c: people_queries.view_person(s, a, c["person"], "curious"),
    "caseload_service.caseworkers": lambda s, a, c: caseload_service.caseworkers(s, a, c["incident"]),
    "caseload_service.assign_key_worker": lambda s, a, c: caseload_service.assign_key_worker(s, a, c["person"], a.user_id),
    "caseload_service.update_contact": lambda s, a, c: caseload_service.update_contact(s, a, c["person"], mobile="",
                                                                                   postcode=""),
    "caseload_service.link_family": lambda s, a, c: caseload_service.link_family(s, a, c["person"], c["other"], "sibling"),
    "caseload_service.discharge": lambda s, a, c: caseload_service.discharge(s, a, c["other"], "recovered", "done"),
    "caseload_service.reopen": lambda s, a, c: caseload_service.reopen(s, a, c["other"], "back") if (
        caseload_service.discharge(s, Actor.system("test"), c["other"], "recovered", "done")) else None,
    "merge_service.duplicate_suggestions": lambda s, a, c: merge_service.duplicate_suggestions(s, a, c["person"]),
    "merge_service.people_like": lambda s, a, c: merge_service.people_like(
        s, a, c["incident"], Identity("Amira", "Khan", date(1990, 4, 2), None), about="a self-referral"),
    "merge_service.not_the_same_person": lambda s, a, c: merge_service.not_the_same_person(s, a, c["person"],
                                                                                             c["other"]),
    "merge_service.merge_people": lambda s, a, c: merge_service.merge_people(s, a, c["person"], c["other"]),
    "pathway_service.enrol": lambda s, a, c: pathway_service.enrol(s, a, c["person"], "bereaved", "why"),
    "pathway_service.move_stage": lambda s, a, c: pathway_service.move_stage(s, a, c["person"], "active_monitoring", "why"),
    "screening_service.record_screening": lambda s, a, c: screening_service.record_screening(s, a, c["person"], "GAD-7",
                                                                                   [0] * 7),
    "screening_service.review_queue": lambda s, a, c: screening_service.review_queue(s, a, c["incident"]),
    "screening_service.reviews_waiting": lambda s, a, c: screening_service.reviews_waiting(s, a, c["incident"]),
    "screening_service.decide_review": lambda s, a, c: screening_service.decide_review(s, a, c["screening"],
                                                                             "talking_therapies"),
    "screening_service.open_alerts": lambda s, a, c: screening_service.open_alerts(s, a, c["incident"]),
    "screening_service.acknowledge_alert": lambda s, a, c: screening_service.acknowledge_alert(s, a, c["alert"], "called"),
    "referral_service.incident_force_area": lambda s, a, c: referral_service.incident_force_area(s, a, c["incident"]),
    "referral_service.set_incident_force_area": lambda s, a, c: referral_service.set_incident_force_area(
        s, a, c["incident"], "Merseyside"),
    "referral_service.referral_choices": lambda s, a, c: referral_service.referral_choices(s, a, c["person"]),
    "referral_service.refer": lambda s, a, c: referral_service.refer(s, a, c["person"], c["agency"], "Housing"),
    "referral_service.set_referral_status": lambda s, a, c: referral_service.set_referral_status(
        s, a, c["referral"], "accepted"),
    "consent_service.record_consent": lambda s, a, c: consent_service.record_consent(
        s, a, c["person"], "referral", given=True, lawful_basis="consent"),
    "consent_service.withdraw_consent": lambda s, a, c: consent_service.withdraw_consent(s, a, c["consent"]),
    "consent_service.set_contact_by": lambda s, a, c: consent_service.set_contact_by(s, a, c["person"], "phone"),
    "equality_service.save_equality_monitoring": lambda s, a, c: equality_service.save_equality_monitoring(
        s, a, c["person"], sex="female", ethnic_group=None, disability=None),
    "equality_service.record_communication_met": lambda s, a, c: _communication_met(s, a, c["person"]),
    "needs_service.assess_needs": lambda s, a, c: needs_service.assess_needs(s, a, c["person"], ["housing"], "low"),
    "complaint_service.record_complaint": lambda s, a, c: complaint_service.record_complaint(s, a, c["person"], "late"),
    "complaint_service.answer_complaint": lambda s, a, c: complaint_service.answer_complaint(s, a, c["complaint"], "sorry"),
    "person_replies.mark_reply_read": lambda s, a, c: person_replies.mark_reply_read(s, a, c["reply"]),
    "my_day_queries.my_day": lambda s, a, c: my_day_queries.my_day(s, a, c["incident"], mine_only=False),
    "alert_banner_queries.alert_banner": lambda s, a, c: alert_banner_queries.alert_banner(s, a, c["incident"]),
    "clinicians.clinical_duty": lambda s, a, c: clinicians.clinical_duty(s, a, c["incident"]),
    "clinicians.waiting_alert_count": lambda s, a, c: clinicians.waiting_alert_count(s, a, c["incident"]),
    "clinicians.clinician_choices": lambda s, a, c: clinicians.clinician_choices(s, a, c["incident"]),
    "clinicians.set_duty_clinician": lambda s, a, c: clinicians.set_duty_clinician(s, a, c["incident"], a.user_id),
    "clinicians.set_escalation_minutes": lambda s, a, c: clinicians.set_escalation_minutes(s, a, c["incident"], 30),
    "justice_queries.justice_timeline": lambda s, a, c: justice_queries.justice_timeline(s, a, c["incident"]),
    "justice_queries.audience_choices": lambda s, a, c: justice_queries.audience_choices(s, a, c["incident"]),
    "justice_queries.person_justice": lambda s, a, c: justice_queries.person_justice(s, a, c["person"]),
    "justice_service.record_milestone": lambda s, a, c: justice_service.record_milestone(
        s, a, c["incident"], justice_service.NewMilestone("charge", date(2026, 11, 23))),
    "justice_service.close_inform_task": lambda s, a, c: justice_service.close_inform_task(
        s, a, _inform_task(s, c), method="phone"),
    "justice_service.save_witness_care": lambda s, a, c: justice_service.save_witness_care(
        s, a, c["person"], justice_service.WitnessCareDetails(officer="PC Hart")),
    "justice_service.save_victim_rights": lambda s, a, c: justice_service.save_victim_rights(
        s, a, c["person"], justice_service.RightsDetails(officer_in_case="DC Park")),
    "support_plan_queries.person_plan": lambda s, a, c: support_plan_queries.person_plan(s, a, _planned(s, c)),
    "screening_service.early_screen_warning_for": lambda s, a, c: screening_service.early_screen_warning_for(
        s, a, c["person"], "PCL-5"),
    "support_plan_service.set_tier": lambda s, a, c: support_plan_service.set_tier(s, a, _planned(s, c), "targeted"),
    "support_plan_service.review_plan": lambda s, a, c: support_plan_service.review_plan(s, a, _planned(s, c)),
    "support_plan_service.add_action": lambda s, a, c: support_plan_service.add_action(
        s, a, _planned(s, c), support_plan_service.NewAction("Call", date(2026, 11, 23), owner_agency_id=c["agency"])),
    "support_plan_service.close_action": lambda s, a, c: support_plan_service.close_action(
        s, a, _plan_action(s, c), "done"),
    "update_service.update_audience": lambda s, a, c: update_service.update_audience(s, a, c["incident"]),
    "update_service.send_update": lambda s, a, c: update_service.send_update(s, a, c["incident"], "Court on Monday"),
    "update_service.send_update_to_people": lambda s, a, c: update_service.send_update_to_people(
        s, a, c["incident"], "Court on Monday", [c["person"]], group="cohort: Arena"),
    "update_service.people_update_audience": lambda s, a, c: update_service.people_update_audience(
        s, a, c["incident"], [c["person"]]),
    "update_service.updates_sent_to": lambda s, a, c: update_service.updates_sent_to(s, a, c["person"]),
    "advocate_service.advocate_accounts": lambda s, a, c: advocate_service.advocate_accounts(s, a),
    "advocate_service.appointment_of": lambda s, a, c: advocate_service.appointment_of(s, a, c["incident"]),
    "advocate_service.appoint_advocate": lambda s, a, c: advocate_service.appoint_advocate(
        s, a, c["incident"], declared_on=None, declaration="", advocate_user_id=None, appointed_on=None),
    "advocate_service.advocate_victims": lambda s, a, c: advocate_service.advocate_victims(s, a, c["incident"]),
    "advocate_service.advocate_view": lambda s, a, c: advocate_service.advocate_view(s, a, c["incident"], c["person"]),
    "advocate_service.advocate_requests": lambda s, a, c: advocate_service.advocate_requests(s, a, c["incident"]),
    "advocate_service.log_request": lambda s, a, c: advocate_service.log_request(
        s, a, c["incident"], advocate_service.NewRequest("Coroner", "Report", date(2026, 11, 23))),
    "advocate_service.record_answer": lambda s, a, c: advocate_service.record_answer(
        s, a, c["incident"], 1, answered_on=None, answer=""),
    "advocate_service.export_requests": lambda s, a, c: advocate_service.export_requests(
        s, a, c["incident"], "the Secretary of State"),
}


def _inform_task(s, c) -> int:
    """An inform task of the case's person, made (and rolled back with the refusal) as the worker would."""
    milestone = justice_service.record_milestone(s, Actor.system("test"), c["incident"], justice_service.NewMilestone(
        "arrest", date(2026, 11, 23), audience="people", person_ids=(c["person"],)))
    return s.scalar(select(InformTask.id).where(InformTask.milestone_id == milestone.id))


def _planned(s, c) -> int:
    """The case's person, with a support plan (their needs assessed, as the worker's caseworker would)."""
    needs_service.assess_needs(s, Actor.system("test"), c["person"], ["housing"], "high")
    return c["person"]


def _plan_action(s, c) -> int:
    return support_plan_service.add_action(s, Actor.system("test"), _planned(s, c), support_plan_service.NewAction(
        "Call", date(2026, 11, 23), owner_agency_id=c["agency"])).id


# Refused for the role, not the team: administrators' settings, Gold's and the advocate's work.
ROLE_REFUSED = {"referral_service.set_incident_force_area", "clinicians.set_escalation_minutes",
                "justice_service.record_milestone", "justice_queries.audience_choices", *(f"advocate_service.{name}" for name in (
                    "advocate_accounts", "appointment_of", "appoint_advocate", "advocate_victims", "advocate_view",
                    "advocate_requests", "log_request", "record_answer", "export_requests"))}
NOT_INCIDENT_DATA = {
    "pathway_service.list_pathways": "pathway definitions, the same for every incident",
    "pathway_service.start_enrolment": "internal: takes a person its calling service has already checked",
    "pathway_admin.add_pathway": "pathway definitions",
    "pathway_admin.add_pathway_from_form": "pathway definitions",
    "referral_coverage.referral_services": "which areas each partner agency covers, shared by every incident",
    "referral_coverage.set_coverage": "which areas each partner agency covers, for administrators",
    "referral_coverage.set_service_tiers": "which tiers of support each partner agency gives, for administrators",
    "pathway_admin.item_texts": "questionnaire wording",
    "pathway_admin.load_item_text": "questionnaire wording",
    "pathway_admin.translation_text": "questionnaire wording",
    "pathway_admin.load_translation": "questionnaire wording",
    "referral_service.partner_agencies": "the partner agencies, shared by every incident",
    "clinicians.is_clinician": "whether the signed-in person is a clinician",
    "clinicians.require_clinician": "whether the signed-in person is a clinician",
    "clinicians.clinicians": "staff; the incidents each is on duty in are filtered to the caller's",
    "clinicians.caseworker_accounts": "staff accounts, for administrators",
    "clinicians.name_clinician": "staff, for administrators",
    "clinicians.remove_clinician": "staff, for administrators",
    "support_plan_service.pace_plan": "internal: called by a needs assessment, which checked the person",
}


def _services_in_the_package() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(pathways.__path__):
        if info.name == "lookups":  # the checks themselves
            continue
        module = importlib.import_module(f"pathways.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            params = list(inspect.signature(fn).parameters)
            if fn.__module__ == module.__name__ and not name.startswith("_") and params[:2] == ["session", "actor"]:
                found.add(f"{info.name}.{name}")
    return found


def test_every_pathways_service_is_in_the_scoping_table():
    found = _services_in_the_package()
    assert found - set(SERVICES) - set(NOT_INCIDENT_DATA) == set(), "a new service: add it to SERVICES"
    assert set(SERVICES) | set(NOT_INCIDENT_DATA) <= found, "a service listed here no longer exists"


def _state(db) -> tuple:
    with unit_of_work(db.engine) as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (
            Person, Consent, Screening, SafetyAlert, Referral, Complaint, PersonReply, AuditEvent))


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_caseworker_not_on_the_team_is_refused(db, case, make_actor, make_clinician, service):
    outsider = make_clinician(make_actor("caseworker", on_team=False))  # a clinician too: nothing else refuses
    before = _state(db)
    refusal = "may not do this" if service in ROLE_REFUSED else NOT_ON_TEAM
    with pytest.raises(PermissionDenied, match=refusal), unit_of_work(db.engine) as s:
        SERVICES[service](s, outsider, case)
    assert _state(db) == before


# Staffing and settings lookups: they show no person's details, so there is no view to audit.
NO_PERSON_SEEN = {"screening_service.reviews_waiting", "clinicians.clinical_duty", "clinicians.clinician_choices", "clinicians.waiting_alert_count",
                  "caseload_service.caseworkers", "referral_service.incident_force_area",
                  "referral_service.referral_choices",
                  # counts per justice milestone; the warning before an early trauma screen
                  "justice_queries.justice_timeline", "screening_service.early_screen_warning_for",
                  "update_service.update_audience",  # how many a group update would reach
                  "update_service.people_update_audience"}
# Tabs of a person's record: a page shows them only once view_person has audited the record's opening.
PART_OF_A_RECORD = {"justice_queries.person_justice", "support_plan_queries.person_plan",
                    "update_service.updates_sent_to"}


@pytest.mark.parametrize("service", sorted(SERVICES.keys() - ROLE_REFUSED))
def test_the_same_caseworker_on_the_team_is_let_through(db, case, make_actor, make_clinician, join_team, service):
    member = join_team(case["incident"], make_clinician(make_actor("caseworker", on_team=False)))
    with unit_of_work(db.engine) as s:
        SERVICES[service](s, member, case)  # does what it does; no refusal
    with unit_of_work(db.engine) as s:  # and, like every view and change of a person, it is audited
        audited = s.scalar(select(func.count()).where(AuditEvent.actor_user_id == member.user_id,
                                                      AuditEvent.incident_id == case["incident"]))
    assert audited == 0 if service in NO_PERSON_SEEN | PART_OF_A_RECORD else audited > 0


def test_a_caseworker_taken_off_the_team_loses_access_at_once(db, case, caseworker):
    with unit_of_work(db.engine) as s:
        people_queries.view_person(s, caseworker, case["person"], "screening call")
    with unit_of_work(db.engine) as s:
        remove_from_team(s, Actor.system("test"), case["incident"], caseworker.user_id, "moved to other duties")
    for service in ("people_queries.view_person", "people_queries.search_people", "my_day_queries.my_day",
                    "screening_service.review_queue", "needs_service.assess_needs"):
        with pytest.raises(PermissionDenied, match=NOT_ON_TEAM), unit_of_work(db.engine) as s:
            SERVICES[service](s, caseworker, case)


def test_a_caseworker_on_another_incident_sees_only_that_one(db, case, make_actor, join_team):
    with unit_of_work(db.engine) as s:
        elsewhere = open_incident(s, Actor.system("test"), "Station", is_exercise=True).id
    theirs = join_team(elsewhere, make_actor("caseworker", on_team=False))
    with unit_of_work(db.engine) as s:
        assert people_queries.search_people(s, theirs, elsewhere, "").rows == []
    with pytest.raises(PermissionDenied, match=NOT_ON_TEAM), unit_of_work(db.engine) as s:
        people_queries.search_people(s, theirs, case["incident"], "")


def test_a_key_worker_must_be_on_the_team(db, case, make_actor):
    outsider = make_actor("caseworker", on_team=False)
    with pytest.raises(Exception, match="not on this incident's team"), unit_of_work(db.engine) as s:
        caseload_service.assign_key_worker(s, Actor.system("test"), case["person"], outsider.user_id)
    with unit_of_work(db.engine) as s:
        names = [u.id for u in caseload_service.caseworkers(s, Actor.system("test"), case["incident"])]
    assert outsider.user_id not in names and len(names) == 1


@pytest.mark.parametrize("role", ["gold", "hub_manager", "agency_coordinator", "admin", "auditor"])
def test_other_roles_are_refused_people_by_their_role_as_before(db, case, make_actor, role):
    actor = make_actor(role)
    for service in ("people_queries.view_person", "people_queries.search_people", "my_day_queries.my_day"):
        with pytest.raises(PermissionDenied, match="may not do this"), unit_of_work(db.engine) as s:
            SERVICES[service](s, actor, case)


def test_administrators_settings_are_not_scoped(db, case, make_actor):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s:
        referral_service.set_incident_force_area(s, admin, case["incident"], "Merseyside")
        clinicians.set_escalation_minutes(s, admin, case["incident"], 30)
        assert referral_service.incident_force_area(s, admin, case["incident"]) == "Merseyside"


# --- the pages ---------------------------------------------------------------------------------

def _everything_shown(at) -> str:
    parts = [str(e.value) for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning",
                                      "info", "success") for e in getattr(at, kind)]
    parts += [e.label for e in at.expander] + [str(d.value) for d in at.dataframe]
    return " | ".join(parts)


@pytest.mark.parametrize("page", [MY_DAY, PEOPLE, PERSON, REVIEW])
def test_pages_show_an_unassigned_caseworker_no_one(app_as, case, make_actor, make_clinician, page):
    outsider = make_clinician(make_actor("caseworker", on_team=False))
    at = app_as("caseworker", page, actor=outsider, pathways_person_id=case["person"],
                pathways_view_reasons={case["person"]: "check"})
    assert not at.exception
    shown = _everything_shown(at)
    assert "Amira" not in shown and "Khan" not in shown
    assert "No incident yet" in shown


@pytest.mark.parametrize("page", [MY_DAY, PEOPLE, PERSON, REVIEW])
def test_pages_for_a_caseworker_of_another_incident_refuse_this_ones_people(
        app_as, db, case, make_actor, make_clinician, join_team, page):
    with unit_of_work(db.engine) as s:
        elsewhere = open_incident(s, Actor.system("test"), "Station", is_exercise=True).id
    theirs = join_team(elsewhere, make_clinician(make_actor("caseworker", on_team=False)))
    # A record number left in the session, or typed, from the incident they are not on.
    at = app_as("caseworker", page, actor=theirs, pathways_person_id=case["person"],
                pathways_view_reasons={case["person"]: "check"}, incident_id=case["incident"])
    assert not at.exception
    shown = _everything_shown(at)
    assert "Amira" not in shown and "Khan" not in shown
    if page == PERSON:
        assert NOT_ON_TEAM in " ".join(e.value for e in at.error)
