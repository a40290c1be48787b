"""Registering, finding, viewing (with a reason), merging, discharging people."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.audit.model import AuditEvent, AuditNote
from core.auth.roles import Actor, PermissionDenied
from core.clock import london
from core.db import unit_of_work
from core.errors import InputError
from core.settings import reset_settings
from incident.lifecycle_service import open_incident
from pathways import (
    caseload_service,
    merge_service,
    pathway_service,
    people_queries,
    registration_service,
    screening_service,
)
from pathways.model import Enrolment, FollowUp, Pathway, Person, Screening
from pathways.registration_service import NewPerson
from pathways.victims_code import referral_due


def _count(db, model) -> int:
    with unit_of_work(db.engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_registration_sets_place_deadline_pathway_schedule_and_rights(db, frozen_clock, register):
    pid = register(postcode="cf10 1aa", mobile="07400 123456")
    with unit_of_work(db.engine) as s:
        person = s.get(Person, pid)
        assert (person.postcode, person.nation, person.force_area) == ("CF10 1AA", "wales", "South Wales")
        assert person.mobile == "+447400123456"
        assert person.referral_due_at == referral_due(frozen_clock.at, nation="wales", working_days=2)
        assert person.enhanced_rights  # victim of terrorism
        enrolment = pathway_service.current_enrolment(s, pid)
        assert s.get(Pathway, enrolment.pathway_id).code == "adult_trauma"
        months = s.scalars(select(FollowUp.month).where(FollowUp.person_id == pid).order_by(FollowUp.month)).all()
        assert months == [1, 3, 6, 9, 12]
        created = s.scalar(select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.entity == "person"))
        assert "postcode" in created.detail and "Amira" not in created.detail and "CF10" not in created.detail


def test_children_and_the_bereaved_get_their_own_pathway_and_enhanced_rights(db, frozen_clock, register):
    child = register(given_name="Lily", date_of_birth=date(2014, 6, 1), victim_of_terrorism=False)
    bereaved = register(given_name="Sam", roles=["bereaved"], victim_of_terrorism=False)
    with unit_of_work(db.engine) as s:
        for pid, code, reason in ((child, "children_young_people", "under 18"), (bereaved, "bereaved", "bereaved")):
            enrolment = pathway_service.current_enrolment(s, pid)
            assert s.get(Pathway, enrolment.pathway_id).code == code
            rights = people_queries.view_person(s, Actor.system("t"), pid, "test").rights[0]
            assert rights.entitled and reason in rights.reasons


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(date_of_birth=date(2027, 1, 1)), "is in the future"),
        (dict(postcode="ZZ9 9ZZ"), "Postcode: ZZ9 9ZZ: there is no UK postcode area 'ZZ'"),
        (dict(postcode="not a postcode"), "is not a UK postcode"),
        (dict(mobile="01612345678"), "Mobile: '01612345678' is a landline"),
        (dict(roles=[]), "Choose at least one role"),
        (dict(roles=["tourist"]), "Unknown role 'tourist'"),
        (dict(given_name="  "), "first name and a family name"),
        (dict(email="amira at home"), "is not an email address"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_saved(db, frozen_clock, register, changes, message):
    with pytest.raises(InputError, match=message):
        register(**changes)
    assert _count(db, Person) == 0 and _count(db, FollowUp) == 0 and _count(db, Enrolment) == 0


def test_a_referral_deadline_uses_the_nations_holidays_and_the_configured_working_days(
        db, frozen_clock, register, monkeypatch):
    frozen_clock.set(datetime(2026, 11, 27, 10, tzinfo=UTC))  # Friday; Monday 30th is St Andrew's Day
    scot, eng = register(postcode="EH1 2NG"), register(postcode="M4 5AB", given_name="Bea")
    monkeypatch.setenv("STANDUP_REFERRAL_WORKING_DAYS", "3")
    reset_settings()
    three_days = register(given_name="Cal")
    with unit_of_work(db.engine) as s:
        due = {pid: london(s.get(Person, pid).referral_due_at).date() for pid in (scot, eng, three_days)}
    assert due == {scot: date(2026, 12, 2), eng: date(2026, 12, 1), three_days: date(2026, 12, 2)}


def test_viewing_a_record_needs_a_reason_and_is_audited_with_it(db, frozen_clock, register, caseworker):
    pid = register()
    with pytest.raises(InputError, match="Give a reason"), unit_of_work(db.engine) as s:
        people_queries.view_person(s, caseworker, pid, "  ")
    with unit_of_work(db.engine) as s:
        record = people_queries.view_person(s, caseworker, pid, "scheduled screening call")
        assert record.person.id == pid
    with unit_of_work(db.engine) as s:
        views = s.execute(select(AuditEvent.actor, AuditEvent.reason, AuditNote.note)
                          .join(AuditNote, AuditNote.event_id == AuditEvent.id)
                          .where(AuditEvent.action == "view", AuditEvent.entity == "person",
                                 AuditEvent.entity_id == str(pid))).all()
    # The typed reason is kept encrypted beside the event, not in the chained row (it may name a health matter).
    assert [tuple(v) for v in views] == [(caseworker.username, "", "scheduled screening call")]


def test_one_opening_is_one_view_however_often_the_page_redraws(db, frozen_clock, register, caseworker, make_actor):
    pid = register()
    colleague = make_actor("caseworker")

    def view(who, reason):
        with unit_of_work(db.engine) as s:
            people_queries.view_person(s, who, pid, reason)

    for _ in range(5):  # every click on the page redraws the record
        view(caseworker, "scheduled screening call")
    frozen_clock.advance(timedelta(minutes=10))
    view(caseworker, "scheduled screening call")  # still the same opening
    view(caseworker, "referral follow-up")  # a new reason is a new opening
    view(colleague, "referral follow-up")  # someone else's opening is theirs
    frozen_clock.advance(timedelta(minutes=31))  # past the idle timeout: opened again
    view(caseworker, "referral follow-up")
    with unit_of_work(db.engine) as s:
        views = s.execute(select(AuditEvent.actor, AuditNote.note).join(AuditNote, AuditNote.event_id == AuditEvent.id)
                          .where(AuditEvent.action == "view", AuditEvent.entity == "person",
                                 AuditEvent.entity_id == str(pid)).order_by(AuditEvent.id)).all()
    assert [tuple(v) for v in views] == [
        (caseworker.username, "scheduled screening call"), (caseworker.username, "referral follow-up"),
        (colleague.username, "referral follow-up"), (caseworker.username, "referral follow-up")]


def test_search_by_name_prefix_mobile_and_postcode_pages_and_stays_in_its_incident(
        db, frozen_clock, register, caseworker, join_team):
    for i in range(30):
        register(given_name=f"Person{i:02d}", family_name="Smith", mobile="", date_of_birth=None)
    register(given_name="Olu", family_name="Adeyemi", mobile="07400 765432", postcode="OL1 1AA")
    with unit_of_work(db.engine) as s:
        other = open_incident(s, Actor.system("t"), "Other", is_exercise=False).id
    join_team(other, caseworker)  # works in both incidents; the search still keeps to one
    register(given_name="Olu", family_name="Adeyemi", incident=other)
    with unit_of_work(db.engine) as s:
        incident = s.scalar(select(Person.incident_id).where(Person.family_name == "Smith").limit(1))
        first = people_queries.search_people(s, caseworker, incident, "smi")
        second = people_queries.search_people(s, caseworker, incident, "SMITH person", 1)
        by_mobile = people_queries.search_people(s, caseworker, incident, "07400765432")
        by_postcode = people_queries.search_people(s, caseworker, incident, "ol1 1aa")
    assert len(first.rows) == 25 and first.has_more
    assert len(second.rows) == 5 and not second.has_more
    assert [r.name for r in by_mobile.rows] == ["Olu Adeyemi"] == [r.name for r in by_postcode.rows]


def test_a_confirmed_duplicate_is_merged_keeping_both_histories(db, frozen_clock, register, caseworker):
    first = register(given_name="Catherine", family_name="O'Neill", roles=["injured"], source="hospital")
    second = register(given_name="Katherine", family_name="O'Neil", roles=["witness"], source="witness_list",
                      mobile="")
    with unit_of_work(db.engine) as s:
        screening_service.record_screening(s, caseworker, second, "GAD-7", [1, 1, 1, 1, 1, 1, 1])
        suggestions = merge_service.duplicate_suggestions(s, caseworker, first)
    assert [row.id for row, _ in suggestions] == [second]
    with unit_of_work(db.engine) as s:
        merge_service.merge_people(s, caseworker, first, second)
    with unit_of_work(db.engine) as s:
        record = people_queries.view_person(s, caseworker, first, "merge check")
        assert record.merged_ids == [second]
        assert [sc.instrument for sc in record.screenings] == ["GAD-7"]
        assert set(record.person.roles.split(",")) == {"injured", "witness"}
        assert s.get(Person, second).merged_into_id == first  # kept, pointing at the survivor
        assert s.scalar(select(func.count()).select_from(Screening)) == 1
        found = people_queries.search_people(s, caseworker, record.person.incident_id, "o'n")
        assert [r.id for r in found.rows] == [first]
        assert merge_service.duplicate_suggestions(s, caseworker, first) == []


def test_not_the_same_person_is_not_suggested_again(db, frozen_clock, register, caseworker):
    a = register(given_name="John", family_name="Smith")
    b = register(given_name="Jon", family_name="Smith")
    with unit_of_work(db.engine) as s:
        assert [r.id for r, _ in merge_service.duplicate_suggestions(s, caseworker, b)] == [a]
        merge_service.not_the_same_person(s, caseworker, b, a)
    with unit_of_work(db.engine) as s:
        assert merge_service.duplicate_suggestions(s, caseworker, a) == []


def test_discharge_with_an_outcome_cancels_the_schedule_and_reopen_plans_it_again(
        db, frozen_clock, register, caseworker):
    pid = register()
    with unit_of_work(db.engine) as s:
        with pytest.raises(InputError, match="Unknown outcome"):
            caseload_service.discharge(s, caseworker, pid, "cured", "done")
        caseload_service.discharge(s, caseworker, pid, "recovered", "doing well, declined more")
    with unit_of_work(db.engine) as s:
        statuses = set(s.scalars(select(FollowUp.status).where(FollowUp.person_id == pid)))
        assert statuses == {"cancelled"}
        with pytest.raises(InputError, match="discharged; reopen"):
            screening_service.record_screening(s, caseworker, pid, "GAD-7", [0] * 7)
    with unit_of_work(db.engine) as s:
        caseload_service.reopen(s, caseworker, pid, "asked for help again")
    with unit_of_work(db.engine) as s:
        planned = s.scalars(select(FollowUp.month).where(FollowUp.person_id == pid, FollowUp.status == "planned"))
        assert sorted(planned) == [1, 3, 6, 9, 12]
        assert s.get(Person, pid).status == "open"


def test_a_case_is_not_closed_while_a_clinician_still_has_to_act(db, frozen_clock, register, caseworker, on_duty):
    pid = register()
    with unit_of_work(db.engine) as s:
        screen = screening_service.record_screening(s, caseworker, pid, "PHQ-9", [3, 3, 3, 3, 3, 0, 0, 0, 1]).id
    with unit_of_work(db.engine) as s:
        with pytest.raises(InputError, match="urgent safety alert .* not yet acknowledged"):
            caseload_service.discharge(s, caseworker, pid, "recovered", "doing well")
        (item,) = screening_service.open_alerts(s, on_duty, s.get(Person, pid).incident_id)
        screening_service.acknowledge_alert(s, on_duty, item.alert.id, "called, safe, crisis plan agreed")
    with unit_of_work(db.engine) as s:
        with pytest.raises(InputError, match="positive screen .* waits for a clinician"):
            caseload_service.discharge(s, caseworker, pid, "recovered", "doing well")
        assert s.get(Person, pid).status == "open"
        screening_service.decide_review(s, on_duty, screen, "trauma_focused_treatment", "trauma-focused CBT via the trust")
    with unit_of_work(db.engine) as s:
        caseload_service.discharge(s, caseworker, pid, "recovered", "treated by the trust; no further need")
        assert s.get(Person, pid).status == "discharged"


@pytest.mark.parametrize("role", ["gold", "hub_manager", "agency_coordinator", "admin", "auditor"])
def test_other_roles_may_not_register_search_or_view_people(db, frozen_clock, register, make_actor, role, incident_id):
    pid = register()
    actor = make_actor(role)
    with unit_of_work(db.engine) as s:
        with pytest.raises(PermissionDenied):
            registration_service.register_person(s, actor, incident_id, NewPerson("A", "B", ["witness"], "hospital"))
        with pytest.raises(PermissionDenied):
            people_queries.search_people(s, actor, incident_id, "")
        with pytest.raises(PermissionDenied):
            people_queries.view_person(s, actor, pid, "curious")


def test_a_double_click_on_register_is_refused_naming_the_record(db, frozen_clock, register):
    first = register()
    with pytest.raises(InputError, match=f"was registered a moment ago \\(record {first}\\)"):
        register()
    frozen_clock.advance(registration_service.DOUBLE_SUBMIT)
    assert register() != first  # later, the same name is a new registration (duplicates are suggested)


def test_a_new_postcode_moves_the_nation_and_force_area_and_the_audit_names_fields_only(
        db, frozen_clock, register, caseworker):
    pid = register()
    with unit_of_work(db.engine) as s:
        with pytest.raises(InputError, match="Postcode"):
            caseload_service.update_contact(s, caseworker, pid, mobile="07400 123456", postcode="nowhere")
    with unit_of_work(db.engine) as s:
        caseload_service.update_contact(s, caseworker, pid, mobile="07400 123456", postcode="LL30 2PE")
    with unit_of_work(db.engine) as s:
        person = s.get(Person, pid)
        assert (person.nation, person.force_area) == ("wales", "North Wales")
        detail = s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "update").order_by(AuditEvent.id.desc()))
    assert detail == "fields: postcode, nation, force_area"
