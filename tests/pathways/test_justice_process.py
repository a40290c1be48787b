"""The justice process: a police user's milestone creates an inform task for each person it concerns,
due within the Victims' Code time in their nation (shorter with enhanced rights); a task is done only
when someone says how the person was told; overdue ones lead "my day"; witnesses' care details.

Expected dates were worked out by hand (see test_victims_code.py for the bank holidays): St Andrew's
Day, Mon 30 Nov 2026, is a holiday in Scotland only; Fri 1 Jan 2027 everywhere and Mon 4 Jan 2027
in Scotland only."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core.audit.model import AuditEvent
from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from core.settings import reset_settings
from pathways import caseload_service, merge_service
from pathways.justice_queries import justice_timeline, person_justice
from pathways.justice_service import (
    NewMilestone,
    WitnessCareDetails,
    close_inform_task,
    record_milestone,
    save_witness_care,
)
from pathways.model import InformTask, JusticeMilestone
from pathways.my_day_queries import my_day

LONDON = ZoneInfo("Europe/London")
FRI_27_NOV = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # GMT
THU_31_DEC = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)
POSTCODES = {"england": "M4 5AB", "wales": "CF10 1AA", "scotland": "EH1 2NG"}


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=LONDON)


@pytest.fixture
def gold(make_actor):
    return make_actor("gold")


@pytest.fixture
def people(register):
    """One standard and one enhanced-rights victim in each of England, Wales and Scotland."""
    return {(nation, enhanced): register(given_name=f"{nation.title()}{'Enhanced' if enhanced else 'Standard'}",
                                         mobile="", postcode=postcode, victim_of_terrorism=enhanced)
            for nation, postcode in POSTCODES.items() for enhanced in (False, True)}


def _tasks(db, milestone_id: int) -> dict[int, InformTask]:
    with unit_of_work(db.engine) as s:
        return {t.person_id: t for t in s.scalars(select(InformTask).where(InformTask.milestone_id == milestone_id))}


def _charge(db, gold, incident_id, **changes) -> int:
    fields = dict(kind="charge", occurred_on=None, details="Charged with murder; Manchester Magistrates' Court")
    fields.update(changes)
    if fields["occurred_on"] is None:
        from core.clock import london, now
        fields["occurred_on"] = london(now()).date()
    with unit_of_work(db.engine) as s:
        return record_milestone(s, gold, incident_id, NewMilestone(**fields)).id


@pytest.mark.parametrize(("charged_at", "expected"), [
    (FRI_27_NOV, {("england", False): date(2026, 12, 4), ("england", True): date(2026, 11, 30),
                  ("wales", False): date(2026, 12, 4), ("wales", True): date(2026, 11, 30),
                  ("scotland", False): date(2026, 12, 7), ("scotland", True): date(2026, 12, 1)}),
    (THU_31_DEC, {("england", False): date(2027, 1, 8), ("england", True): date(2027, 1, 4),
                  ("wales", False): date(2027, 1, 8), ("wales", True): date(2027, 1, 4),
                  ("scotland", False): date(2027, 1, 11), ("scotland", True): date(2027, 1, 5)}),
])
def test_a_charge_creates_inform_tasks_due_on_each_persons_working_day(
        db, frozen_clock, incident_id, gold, people, charged_at, expected):
    frozen_clock.set(charged_at)
    milestone = _charge(db, gold, incident_id)
    tasks = _tasks(db, milestone)
    assert set(tasks) == set(people.values())
    for key, pid in people.items():
        assert tasks[pid].due_at == end_of(expected[key]), key
        assert tasks[pid].enhanced is key[1]
        assert tasks[pid].closed_at is None
    with unit_of_work(db.engine) as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.entity == "justice_milestone"))
        assert event.detail.startswith("charge: 6 people to tell (3 with enhanced rights)")
        assert "murder" not in event.detail


def test_the_working_days_are_configurable(db, frozen_clock, incident_id, gold, people, monkeypatch):
    monkeypatch.setenv("STANDUP_INFORM_WORKING_DAYS", "3")
    monkeypatch.setenv("STANDUP_INFORM_ENHANCED_WORKING_DAYS", "2")
    reset_settings()
    frozen_clock.set(FRI_27_NOV)
    tasks = _tasks(db, _charge(db, gold, incident_id))
    assert tasks[people["england", False]].due_at == end_of(date(2026, 12, 2))
    assert tasks[people["england", True]].due_at == end_of(date(2026, 12, 1))
    assert tasks[people["scotland", True]].due_at == end_of(date(2026, 12, 2))


def test_a_decision_entered_late_keeps_its_own_day_and_a_date_set_ahead_counts_from_today(
        db, frozen_clock, incident_id, gold, people):
    frozen_clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))  # Wednesday
    late = _tasks(db, _charge(db, gold, incident_id, occurred_on=date(2026, 11, 27)))
    assert late[people["england", True]].due_at == end_of(date(2026, 11, 30))  # overdue already
    trial = _tasks(db, _charge(db, gold, incident_id, kind="trial_date", occurred_on=date(2027, 5, 10)))
    assert trial[people["england", True]].due_at == end_of(date(2026, 12, 3))
    assert trial[people["england", False]].due_at == end_of(date(2026, 12, 9))


@pytest.mark.parametrize(("changes", "message"), [
    (dict(occurred_on=""), "Give the date of the charge"),
    (dict(kind="arrest", occurred_on="2026-11-23"), "Give the date of the arrest"),
    (dict(occurred_on=date(2026, 11, 24)), "Charge dated 24/11/2026 is in the future"),
    (dict(kind="verdict", occurred_on=date(2027, 2, 1)), "only a date set ahead"),
    (dict(occurred_on=date(2025, 11, 23)), "long before the incident was opened"),
    (dict(kind="caution"), "Unknown milestone 'caution'"),
    (dict(audience="roles"), "Choose the roles"),
    (dict(audience="roles", roles=("missing",)), "Nobody registered on this incident has those roles"),
    (dict(audience="roles", roles=("juror",)), "Unknown role 'juror'"),
    (dict(audience="people"), "Choose the people"),
    (dict(audience="people", person_ids=(999_999,)), "Record 999999 is not one of this incident's people"),
    (dict(details="Court\x00"), "The details"),
])
def test_a_bad_milestone_is_refused_with_the_reason_and_nothing_saved(
        db, frozen_clock, incident_id, gold, people, changes, message):
    fields = dict(kind="charge", occurred_on=date(2026, 11, 23))
    fields.update(changes)
    if fields["occurred_on"] == "":
        fields["occurred_on"] = None
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match=message):
        record_milestone(s, gold, incident_id, NewMilestone(**fields))
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count(JusticeMilestone.id))) == 0
        assert s.scalar(select(func.count(InformTask.id))) == 0


def test_a_milestone_concerns_everyone_or_chosen_roles_or_chosen_people(
        db, frozen_clock, incident_id, gold, register, caseworker):
    survivor = register(given_name="Sam", mobile="")
    witness = register(given_name="Wes", mobile="", roles=["witness", "injured"])
    discharged = register(given_name="Dee", mobile="")
    duplicate = register(given_name="Sammy", mobile="")
    with unit_of_work(db.engine) as s:
        caseload_service.discharge(s, caseworker, discharged, "recovered", "support finished")
        merge_service.merge_people(s, caseworker, survivor, duplicate)
    everyone = _tasks(db, _charge(db, gold, incident_id))
    # The right to be told outlives the support; a merged duplicate is told through its survivor.
    assert set(everyone) == {survivor, witness, discharged}
    witnesses = _tasks(db, _charge(db, gold, incident_id, kind="first_hearing", audience="roles", roles=("witness",)))
    assert set(witnesses) == {witness}
    chosen = _tasks(db, _charge(db, gold, incident_id, kind="arrest", audience="people", person_ids=(discharged,)))
    assert set(chosen) == {discharged}


def test_only_police_command_enters_milestones_and_only_the_support_team_closes_tasks(
        db, frozen_clock, incident_id, gold, caseworker, people):
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied, match="incident.command"):
        record_milestone(s, caseworker, incident_id, NewMilestone("charge", date(2026, 11, 23)))
    task = next(iter(_tasks(db, _charge(db, gold, incident_id)).values()))
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied, match="people.edit"):
        close_inform_task(s, gold, task.id, method="phone")


def test_an_inform_task_closed_without_saying_how_is_refused_and_stays_open(
        db, frozen_clock, incident_id, gold, caseworker, people):
    task = _tasks(db, _charge(db, gold, incident_id))[people["england", True]]
    for method in ("", "  "):
        with unit_of_work(db.engine) as s, pytest.raises(InputError, match="Say how they were told"):
            close_inform_task(s, caseworker, task.id, method=method, note="rang her")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="Unknown way of telling 'pigeon'"):
        close_inform_task(s, caseworker, task.id, method="pigeon")
    with unit_of_work(db.engine) as s:
        kept = s.get(InformTask, task.id)
        assert (kept.closed_at, kept.told_on, kept.method, kept.note) == (None, None, "", "")
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "inform")) is None


def test_closing_records_when_how_and_by_whom(db, frozen_clock, incident_id, gold, caseworker, people):
    task = _tasks(db, _charge(db, gold, incident_id))[people["england", False]]
    frozen_clock.advance(timedelta(days=1))
    with unit_of_work(db.engine) as s:
        close_inform_task(s, caseworker, task.id, method="phone", note="she asked about the first hearing")
    with unit_of_work(db.engine) as s:
        done = s.get(InformTask, task.id)
        assert (done.told_on, done.method, done.told_by, done.told_late) == (
            date(2026, 11, 24), "phone", caseworker.display_name, False)
        assert (done.closed_by_id, done.note) == (caseworker.user_id, "she asked about the first hearing")
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "inform"))
        assert (event.entity, event.entity_id) == ("person", str(task.person_id))
        assert "first hearing" not in event.detail and "told in time" in event.detail
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="already recorded as told, on 24/11/2026"):
        close_inform_task(s, caseworker, task.id, method="letter")


def test_the_day_told_may_be_earlier_but_not_before_the_decision_nor_in_the_future(
        db, frozen_clock, incident_id, gold, caseworker, people):
    frozen_clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
    tasks = _tasks(db, _charge(db, gold, incident_id, occurred_on=date(2026, 11, 24)))
    task = tasks[people["wales", True]]
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="is in the future"):
        close_inform_task(s, caseworker, task.id, method="phone", told_on=date(2026, 11, 26))
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="before the charge"):
        close_inform_task(s, caseworker, task.id, method="phone", told_on=date(2026, 11, 23))
    with unit_of_work(db.engine) as s:
        close_inform_task(s, caseworker, task.id, method="in_person", told_on=date(2026, 11, 24),
                          told_by="DC Ana Reyes (officer in the case)")
        assert s.get(InformTask, task.id).told_by == "DC Ana Reyes (officer in the case)"


def test_told_after_the_time_is_recorded_as_late_and_counted(db, frozen_clock, incident_id, gold, caseworker, people):
    frozen_clock.set(FRI_27_NOV)
    milestone = _charge(db, gold, incident_id)
    task = _tasks(db, milestone)[people["england", True]]  # due Mon 30 Nov
    frozen_clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    with unit_of_work(db.engine) as s:
        close_inform_task(s, caseworker, task.id, method="phone")
        assert s.get(InformTask, task.id).told_late is True
        [line] = justice_timeline(s, gold, incident_id)
        # Everyone else's 1-day time has passed too: Wales's enhanced victim (30 Nov); Scotland's is today.
        assert (line.people, line.told, line.told_late, line.overdue, line.code_right) == (6, 1, 1, 1, 6)
        assert line.audience == "everyone" and line.details.startswith("Charged with murder")


def test_overdue_inform_tasks_appear_on_my_day(db, frozen_clock, incident_id, gold, caseworker, make_actor, register):
    mine = register(given_name="Mina", mobile="", key_worker_id=caseworker.user_id)  # enhanced: 1 working day
    theirs = register(given_name="Tom", mobile="", key_worker_id=make_actor("caseworker").user_id)
    frozen_clock.set(FRI_27_NOV)
    _charge(db, gold, incident_id)
    with unit_of_work(db.engine) as s:
        day = my_day(s, caseworker, incident_id)
        assert [(i.person_id, i.what, i.overdue) for i in day.to_inform] == [(mine, "Charge, 27 Nov 2026", False)]
        assert (day.to_inform_total, day.to_inform_overdue) == (1, 0)
    frozen_clock.set(datetime(2026, 12, 1, 0, 1, tzinfo=UTC))  # Monday 30 Nov has ended
    with unit_of_work(db.engine) as s:
        day = my_day(s, caseworker, incident_id)
        assert [(i.person_id, i.overdue) for i in day.to_inform] == [(mine, True)]
        assert day.to_inform_overdue == 1
        everyone = my_day(s, caseworker, incident_id, mine_only=False)
        assert {i.person_id for i in everyone.to_inform} == {mine, theirs}
        assert everyone.to_inform_overdue == 2
        close_inform_task(s, caseworker, day.to_inform[0].task_id, method="phone")
    with unit_of_work(db.engine) as s:
        day = my_day(s, caseworker, incident_id)
        assert (day.to_inform, day.to_inform_total, day.to_inform_overdue) == ([], 0, 0)


def test_a_merge_carries_what_the_duplicate_was_to_be_told(db, frozen_clock, incident_id, gold, caseworker, register):
    survivor = register(given_name="Ava", mobile="")
    duplicate = register(given_name="Eva", mobile="", roles=["witness"])
    _charge(db, gold, incident_id)  # both
    hearing = _charge(db, gold, incident_id, kind="first_hearing", occurred_on=date(2026, 11, 30),
                      audience="roles", roles=("witness",))  # the duplicate only
    with unit_of_work(db.engine) as s:
        told = s.scalar(select(InformTask).where(InformTask.person_id == duplicate, InformTask.milestone_id != hearing))
        close_inform_task(s, caseworker, told.id, method="letter")
        merge_service.merge_people(s, caseworker, survivor, duplicate)
    with unit_of_work(db.engine) as s:
        record = person_justice(s, caseworker, survivor)
        assert [(x.kind, x.method) for x in record.told] == [("charge", "letter")]
        assert [x.kind for x in record.to_tell] == ["first_hearing"]
        assert [(x.kind, x.occurred_on) for x in record.court_dates] == [("first_hearing", date(2026, 11, 30))]
        assert {t.person_id for t in s.scalars(select(InformTask).where(InformTask.closed_at.is_(None)))} == {survivor}


@pytest.mark.parametrize(("details", "message"), [
    (WitnessCareDetails(measures_requested=("screens",)), "Screens is requested but not marked as needed"),
    (WitnessCareDetails(measures_needed=("screens",), measures_requested=("screens",)), "Say when"),
    (WitnessCareDetails(measures_needed=("invisibility",)), "Unknown special measure 'invisibility'"),
    (WitnessCareDetails(measures_needed=("live_link",), measures_requested=("live_link",),
                        requested_on=date(2026, 11, 24)), "in the future"),
])
def test_bad_witness_care_is_refused(db, frozen_clock, incident_id, caseworker, register, details, message):
    pid = register(roles=["witness"])
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match=message):
        save_witness_care(s, caseworker, pid, details)
    with unit_of_work(db.engine) as s:
        assert person_justice(s, caseworker, pid).witness_care is None


def test_a_witness_has_care_details_special_measures_and_court_dates(
        db, frozen_clock, incident_id, gold, caseworker, register):
    pid = register(roles=["witness"], mobile="")
    _charge(db, gold, incident_id, kind="trial_date", occurred_on=date(2027, 6, 7), details="Manchester Crown Court")
    _charge(db, gold, incident_id, kind="first_hearing", occurred_on=date(2026, 11, 24))
    with unit_of_work(db.engine) as s:
        save_witness_care(s, caseworker, pid, WitnessCareDetails(
            officer="Jo Hart, Witness Care Unit", contact="0161 496 0199", measures_needed=("screens", "live_link"),
            measures_requested=("screens",), requested_on=date(2026, 11, 23), notes="prefers mornings"))
    with unit_of_work(db.engine) as s:
        record = person_justice(s, caseworker, pid)
        care = record.witness_care
        assert (care.officer, care.measures_needed, care.measures_requested, care.requested_on) == (
            "Jo Hart, Witness Care Unit", "screens,live_link", "screens", date(2026, 11, 23))
        assert [(x.kind, x.occurred_on, x.details) for x in record.court_dates] == [
            ("first_hearing", date(2026, 11, 24), "Charged with murder; Manchester Magistrates' Court"),
            ("trial_date", date(2027, 6, 7), "Manchester Crown Court")]
        assert s.scalar(select(AuditEvent.detail).where(AuditEvent.entity == "witness_care")).startswith("fields:")
