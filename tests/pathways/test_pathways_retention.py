"""Retention of affected people's records: exactly what is due is anonymised, counted from the later
of discharge and the incident standing down; open cases and live incidents are never touched; a dry
run changes nothing; the erasure log holds metadata only; a second run finds nothing."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select, text

from core.audit.model import AuditEvent
from core.audit.service import notes_of
from core.auth.roles import Actor
from core.clock import now as frozen_now
from core.db import unit_of_work
from core.errors import InputError
from core.retention import ErasureLog
from core.settings import reset_settings
from incident.lifecycle_service import change_status, open_incident
from pathways import (
    caseload_service,
    complaint_service,
    justice_service,
    merge_service,
    needs_service,
    pathway_service,
    people_queries,
    person_replies,
    referral_service,
    screening_service,
    support_plan_service,
)
from pathways.model import (
    Complaint,
    DuplicateDecision,
    FamilyLink,
    InformTask,
    NeedsAssessment,
    Person,
    PersonReply,
    PlanReview,
    Referral,
    SafetyAlert,
    Screening,
    StageEvent,
    SupportAction,
    WitnessCare,
)
from pathways.retention import ERASED, HEALTH_DAYS, IDENTITY_DAYS
from standup.retention import run_retention

SYSTEM = Actor.system("test")
ALERT_ANSWERS = [2, 2, 1, 2, 1, 1, 1, 0, 1]
# Every piece of personal or health content the scenario writes: none may survive anonymisation
# or appear in the erasure log.
SECRETS = ("Amira", "Khan", "Zainab", "+447400123456", "amira@example.org", "M4 5AB", "wheelchair user",
           "nightmares every night", "called her sister", "lost her flat", "needs a Farsi interpreter",
           "no call back for three weeks", "apologised and called", "moved after disclosure", "1990-04-02",
           "I keep seeing it at night", "told at her sister's flat, very upset", "panics in crowded rooms",
           "intermediary", "find her a ground-floor flat", "cried about the flat", "DC Lee Park")
PATHWAYS_TYPES = ("people", "screenings", "safety_alerts", "needs_assessments", "referrals", "pathway_notes",
                  "person_replies", "plan_actions", "plan_reviews", "complaints", "inform_notes", "witness_care",
                  "victim_rights")


@pytest.fixture(autouse=True)
def _caseworker_is_a_clinician(make_clinician, caseworker):
    """The scenario decides a review and acknowledges an alert, which clinicians do."""
    make_clinician(caseworker)


def _close_incident(db, incident_id):
    with unit_of_work(db.engine) as s:
        change_status(s, SYSTEM, incident_id, "cancelled", "exercise over")


@pytest.fixture
def full_case(db, register, caseworker, agency_id):
    return lambda **how: _full_case(db, register, caseworker, agency_id, **how)


def _full_case(db, register, caseworker, agency_id, *, discharge=True) -> int:
    """A person with something of every kind, and a family link and a decided duplicate."""
    pid = register(email="amira@example.org", accessibility_needs="wheelchair user")
    relative = register(given_name="Zainab", mobile="", date_of_birth=date(1960, 1, 1))
    twin = register(given_name="Amirah", mobile="")
    with unit_of_work(db.engine) as s:
        needs_service.assess_needs(s, caseworker, pid, ["housing"], "medium", "lost her flat")
        screening = screening_service.record_screening(s, caseworker, pid, "PHQ-9", ALERT_ANSWERS,
                                                  notes="nightmares every night")
        screening_service.decide_review(s, caseworker, screening.id, "talking_therapies", "moved after disclosure")
        alert = s.scalar(select(SafetyAlert).where(SafetyAlert.person_id == pid))
        screening_service.acknowledge_alert(s, caseworker, alert.id, "called her sister")
        pathway_service.move_stage(s, caseworker, pid, "active_monitoring", "needs a Farsi interpreter")
        referral_service.refer(s, caseworker, pid, agency_id, "Needs assessment", notes="lost her flat")
        complaint = complaint_service.record_complaint(s, caseworker, pid, "no call back for three weeks")
        complaint_service.answer_complaint(s, caseworker, complaint.id, "apologised and called")
        caseload_service.link_family(s, caseworker, pid, relative, "sibling")
        merge_service.not_the_same_person(s, caseworker, pid, twin)
        person_replies.take_reply(s, mobile="+447400123456", body="I keep seeing it at night",
                                  received_at=frozen_now(), provider_sid="SM" + "7" * 32)
        milestone = justice_service.record_milestone(s, SYSTEM, s.get(Person, pid).incident_id, justice_service.NewMilestone(
            "charge", frozen_now().date(), audience="people", person_ids=(pid,)))
        task = s.scalar(select(InformTask).where(InformTask.milestone_id == milestone.id))
        justice_service.close_inform_task(s, caseworker, task.id, method="in_person",
                                          note="told at her sister's flat, very upset")
        justice_service.save_witness_care(s, caseworker, pid, justice_service.WitnessCareDetails(
            officer="PC Jo Hart", measures_needed=("screens", "intermediary"), notes="panics in crowded rooms"))
        support_plan_service.add_action(s, caseworker, pid, support_plan_service.NewAction(
            "find her a ground-floor flat", frozen_now().date(), owner_agency_id=agency_id))
        support_plan_service.review_plan(s, caseworker, pid, "cried about the flat")
        justice_service.save_victim_rights(s, caseworker, pid, justice_service.RightsDetails(
            officer_in_case="DC Lee Park", compensation_told_on=frozen_now().date()))
        if discharge:
            caseload_service.discharge(s, caseworker, pid, "recovered", "support finished")
    return pid


def _outcomes(dry_run=False) -> dict[str, tuple]:
    return {o.record_type: o.ids for o in run_retention(dry_run=dry_run) if o.record_type in PATHWAYS_TYPES}


def _everything(db) -> list[tuple]:
    """Every row of every pathways table and of the erasure log, decrypted, as (table, fields), for
    before/after comparisons."""
    with unit_of_work(db.engine) as s:
        rows = []
        for model in (Person, Screening, SafetyAlert, NeedsAssessment, Referral, Complaint, StageEvent, FamilyLink,
                      DuplicateDecision, PersonReply, InformTask, WitnessCare, ErasureLog):
            for row in s.scalars(select(model).order_by(*inspect(model).primary_key)):
                fields = dict(sorted((k, str(v)) for k, v in vars(row).items() if not k.startswith("_")))
                rows.append((model.__tablename__, tuple(fields.items())))
        return rows


def test_nothing_is_due_the_day_before_and_the_health_content_goes_the_day_after(
        db, frozen_clock, full_case, register, caseworker, incident_id):
    pid = full_case()
    _close_incident(db, incident_id)
    frozen_clock.advance(timedelta(days=HEALTH_DAYS - 1))
    assert not any(_outcomes().values())
    frozen_clock.advance(timedelta(days=2))
    due = _outcomes()
    with unit_of_work(db.engine) as s:
        screening = s.scalar(select(Screening))
        alert = s.scalar(select(SafetyAlert))
        assert due["screenings"] == (screening.id,) and due["safety_alerts"] == (alert.id,)
        assert (screening.answers, screening.result, screening.notes, screening.decision_note) == (ERASED, ERASED,
                                                                                                  "", "")
        # What the counts need stays: the form, the flag and the clinician's decision.
        assert (screening.instrument, screening.positive, screening.decision) == ("PHQ-9", True, "talking_therapies")
        assert (alert.text, alert.action_taken, alert.acknowledged_at is not None) == (ERASED, "", True)
        assert s.scalar(select(NeedsAssessment.notes)) == ""
        assert s.scalar(select(NeedsAssessment.risk_level)) == "medium"
        assert s.scalar(select(Referral.notes)) == "" and s.scalar(select(Referral.tier_note)) is None
        assert s.scalar(select(PersonReply.body)) == ERASED and s.scalar(select(PersonReply.received_at))
        assert s.scalar(select(SupportAction.what)) == ERASED and s.scalar(select(SupportAction.due_on))
        assert s.scalars(select(PlanReview.note)).all() == ["", ""]  # the assessment's and the review's
        reasons = s.scalars(select(StageEvent.reason).order_by(StageEvent.id)).all()
        assert "needs a Farsi interpreter" not in reasons and ERASED in reasons
        # Identity and complaints are kept longer.
        person = s.get(Person, pid)
        assert (person.given_name, person.mobile) == ("Amira", "+447400123456")
        assert s.scalar(select(Complaint.summary)) == "no call back for three weeks"
        assert s.scalar(select(InformTask.note).where(InformTask.person_id == pid)) == "told at her sister's flat, very upset"
        assert s.get(WitnessCare, pid).notes == "panics in crowded rooms"
    assert "people" in due and due["people"] == () and due["complaints"] == ()
    assert due["inform_notes"] == () and due["witness_care"] == () and due["victim_rights"] == ()


def test_identity_goes_after_six_years_and_with_it_whatever_content_was_left(
        db, frozen_clock, full_case, register, caseworker, incident_id, monkeypatch):
    # A longer configured health period must not outlive the person's anonymisation.
    monkeypatch.setenv("STANDUP_RETENTION_DAYS", f"screenings={IDENTITY_DAYS * 2}")
    reset_settings()
    pid = full_case()
    _close_incident(db, incident_id)
    frozen_clock.advance(timedelta(days=IDENTITY_DAYS - 1))
    assert _outcomes()["people"] == ()
    frozen_clock.advance(timedelta(days=2))
    due = _outcomes()
    assert due["people"] == (pid,) and len(due["screenings"]) == 1 and len(due["complaints"]) == 1
    with unit_of_work(db.engine) as s:
        person = s.get(Person, pid)
        assert (person.given_name, person.family_name, person.given_key, person.date_of_birth, person.mobile,
                person.email, person.postcode, person.accessibility_needs) == (ERASED, ERASED, "", None, None, "",
                                                                               "", "")
        # The counts still add up: the row, its roles, area, status and dates stay.
        assert (person.roles, person.force_area, person.status, person.discharge_outcome) == (
            "survivor", "Greater Manchester", "discharged", "recovered")
        assert person.first_referred_at is not None
        assert s.scalar(select(func.count(FamilyLink.id))) == 0
        assert s.scalar(select(func.count(DuplicateDecision.id))) == 0
        assert s.scalar(select(Complaint.summary)) == ERASED and s.scalar(select(Complaint.answer)) == ""
        assert s.scalar(select(Screening.notes)) == ""
        # What they were told of, when and how stays; what was noted about it, and their witness care, go.
        task = s.scalar(select(InformTask).where(InformTask.person_id == pid))
        assert (task.note, task.method, task.told_on is not None) == ("", "in_person", True)
        care = s.get(WitnessCare, pid)
        assert (care.officer, care.measures_needed, care.notes) == ("", "", "")
        # The reasons typed for changing their record go with them (the events and the chain stay).
        events = s.scalars(select(AuditEvent.id).where(AuditEvent.entity == "person",
                                                       AuditEvent.entity_id == str(pid))).all()
        assert len(events) >= 3 and notes_of(s, list(events)) == {}
        # The people registered alongside, whose cases are open, are untouched.
        others = s.scalars(select(Person.given_name).where(Person.id != pid).order_by(Person.id)).all()
        assert others == ["Zainab", "Amirah"]


def test_no_personal_content_is_left_anywhere_in_the_database_file(db, frozen_clock, full_case, register, caseworker,
                                                                      incident_id):
    pid = full_case()
    _close_incident(db, incident_id)
    frozen_clock.advance(timedelta(days=IDENTITY_DAYS + 1))
    _outcomes()
    with unit_of_work(db.engine) as s:
        raw = str(s.execute(text("SELECT * FROM person WHERE id = :id"), {"id": pid}).all())
    assert is_clean(raw, ("Amira", "Khan", "+447400123456", "amira@example.org", "M4 5AB", "1990-04-02"))
    mine = [fields for table, fields in _everything(db)
            if ("person_id", str(pid)) in fields or (table == "person" and ("id", str(pid)) in fields)]
    assert len(mine) >= 6 and is_clean(str(mine), SECRETS)


def is_clean(haystack: str, needles) -> bool:
    found = [n for n in needles if n in haystack]
    assert not found, f"still stored: {found}"
    return True


def test_the_erasure_log_and_audit_hold_metadata_only(db, frozen_clock, full_case, register, caseworker, incident_id):
    pid = full_case()
    _close_incident(db, incident_id)
    frozen_clock.advance(timedelta(days=IDENTITY_DAYS + 1))
    _outcomes()
    with unit_of_work(db.engine) as s:
        logs = s.scalars(select(ErasureLog)).all()
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "anonymised")).all()
        logged = sorted({(log.record_type, log.action) for log in logs})
        assert logged == sorted((t, "anonymised") for t in PATHWAYS_TYPES)
        assert ("people", str(pid)) in {(log.record_type, log.record_id) for log in logs}
        assert {a.entity for a in audit} >= set(PATHWAYS_TYPES)
        dump = str([vars(x) for x in logs]) + str([(a.detail, a.reason, a.recipient) for a in audit])
    assert is_clean(dump, SECRETS)


def test_a_second_run_does_nothing(db, frozen_clock, full_case, register, caseworker, incident_id):
    full_case()
    _close_incident(db, incident_id)
    frozen_clock.advance(timedelta(days=IDENTITY_DAYS + 1))
    first = _outcomes()
    assert all(first[t] for t in PATHWAYS_TYPES)
    before = _everything(db)
    frozen_clock.advance(timedelta(days=1))
    assert not any(_outcomes().values())
    assert _everything(db) == before


def test_a_dry_run_says_what_is_due_and_changes_nothing(db, frozen_clock, full_case, register, caseworker, incident_id):
    pid = full_case()
    _close_incident(db, incident_id)
    frozen_clock.advance(timedelta(days=IDENTITY_DAYS + 1))
    before = _everything(db)
    assert _outcomes(dry_run=True)["people"] == (pid,)
    assert _everything(db) == before
    assert _outcomes()["people"] == (pid,)  # and the real run still finds it


def test_an_open_case_is_never_touched(db, frozen_clock, full_case, register, caseworker, incident_id):
    full_case(discharge=False)
    _close_incident(db, incident_id)
    before = _everything(db)
    frozen_clock.advance(timedelta(days=IDENTITY_DAYS * 3))
    assert not any(_outcomes().values())
    assert _everything(db) == before


def test_nothing_goes_while_the_incident_is_live_and_the_clock_starts_at_its_stand_down(
        db, frozen_clock, full_case, register, caseworker, incident_id):
    pid = full_case()
    frozen_clock.advance(timedelta(days=HEALTH_DAYS * 2))
    assert not any(_outcomes().values())  # discharged long ago, but the incident is not stood down
    _close_incident(db, incident_id)
    frozen_clock.advance(timedelta(days=HEALTH_DAYS - 1))
    assert not any(_outcomes().values())
    frozen_clock.advance(timedelta(days=2))
    assert _outcomes()["screenings"]
    with unit_of_work(db.engine) as s:
        assert s.get(Person, pid).given_name == "Amira"


def test_a_reopened_case_stops_the_clock(db, frozen_clock, full_case, register, caseworker, incident_id):
    pid = full_case()
    _close_incident(db, incident_id)
    frozen_clock.advance(timedelta(days=HEALTH_DAYS - 10))
    with unit_of_work(db.engine) as s:
        caseload_service.reopen(s, caseworker, pid, "came back after the inquest")
    frozen_clock.advance(timedelta(days=IDENTITY_DAYS))
    assert not any(_outcomes().values())


def test_a_merged_duplicate_follows_the_record_it_was_merged_into(db, frozen_clock, full_case, register, caseworker,
                                                                    incident_id):
    survivor = register()
    duplicate = register(given_name="Amirah", mobile="", source="casualty_bureau")
    with unit_of_work(db.engine) as s:
        screening_service.record_screening(s, caseworker, duplicate, "GAD-7", [0, 0, 0, 0, 0, 0, 0], notes="sleeping badly")
        merge_service.merge_people(s, caseworker, survivor, duplicate)
        caseload_service.discharge(s, caseworker, survivor, "recovered", "support finished")
    _close_incident(db, incident_id)
    frozen_clock.advance(timedelta(days=IDENTITY_DAYS + 1))
    due = _outcomes()
    assert sorted(due["people"]) == sorted((survivor, duplicate)) and len(due["screenings"]) == 1
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Screening.notes)) == ""
        assert set(s.scalars(select(Person.family_name))) == {ERASED}


def test_an_anonymised_record_is_not_found_and_cannot_be_opened_or_reopened(
        db, frozen_clock, full_case, register, caseworker, incident_id):
    pid = full_case()
    _close_incident(db, incident_id)
    frozen_clock.advance(timedelta(days=IDENTITY_DAYS + 1))
    _outcomes()
    with unit_of_work(db.engine) as s:
        found = people_queries.search_people(s, caseworker, incident_id, "")
        assert pid not in [r.id for r in found.rows] and [r.name for r in found.rows] == ["Amirah Khan",
                                                                                          "Zainab Khan"]
        with pytest.raises(InputError, match="anonymised under the retention policy"):
            people_queries.view_person(s, caseworker, pid, "curious")
        with pytest.raises(InputError, match="anonymised under the retention policy"):
            caseload_service.reopen(s, caseworker, pid, "again")


def test_other_incidents_are_counted_on_their_own_clock(db, frozen_clock, full_case, register, caseworker, incident_id,
                                                        join_team):
    with unit_of_work(db.engine) as s:
        other = open_incident(s, SYSTEM, "Station", is_exercise=True).id
    join_team(other, caseworker)
    here = full_case()
    there = register(incident=other, given_name="Grace")
    with unit_of_work(db.engine) as s:
        caseload_service.discharge(s, caseworker, there, "recovered", "done")
    _close_incident(db, incident_id)  # only the first incident stands down
    frozen_clock.advance(timedelta(days=IDENTITY_DAYS + 1))
    assert _outcomes()["people"] == (here,)
    with unit_of_work(db.engine) as s:
        assert s.get(Person, there).given_name == "Grace"
