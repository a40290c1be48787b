"""rosters.assignment_service through the service: every hard rule refused by assign() whatever a page
does, candidates with their reasons, withdrawal, SMS opt-out, gaps, agency scoping."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from rosters.assignment_service import RuleBroken, assign, candidates_for, set_sms_opt_out, withdraw
from rosters.coverage_queries import gaps
from rosters.model import Assignment
from tests.factories import agency, at, incident_with_hub, requirement, staff, window

SYSTEM = Actor.system("test")


def _assign(db, actor, requirement_id, staff_id, **kw):
    with unit_of_work(db.engine) as s:
        return assign(s, actor, requirement_id, staff_id, **kw).id


def _refused_rules(db, actor, requirement_id, staff_id) -> set[str]:
    with pytest.raises(RuleBroken) as refused:
        _assign(db, actor, requirement_id, staff_id)
    assert str(refused.value)  # a message for the person
    return {v.rule for v in refused.value.violations}


def _live_count(db) -> int:
    with unit_of_work(db.engine) as s:
        return s.query(Assignment).filter(Assignment.withdrawn_at.is_(None)).count()


@pytest.fixture
def scene(db, frozen_clock, make_actor):
    incident_id, hub_id = incident_with_hub(db)
    agency_id = agency(db)
    return incident_id, hub_id, agency_id, make_actor("hub_manager")


def test_an_eligible_person_is_assigned_and_it_is_audited(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(24))
    person = staff(db, agency_id)
    assignment_id = _assign(db, hub, req, person)
    with unit_of_work(db.engine) as s:
        a = s.get(Assignment, assignment_id)
        assert (a.source, a.assigned_by, a.withdrawn_at) == ("manual", hub.username, None)
        assert s.query(AuditEvent).filter_by(action="assign", entity="assignment").count() == 1


@pytest.mark.parametrize(
    ("person", "rule"),
    [
        ({"active": False}, "inactive"),
        ({"role": "family liaison"}, "role"),
        ({"dbs_level": None}, "dbs_missing"),
        ({"dbs_expiry": date(2026, 11, 23)}, "dbs_expired"),
        ({"dbs_level": "standard"}, "dbs_level"),
        ({"max_hours_per_week": 6}, "weekly_hours"),
    ],
)
def test_each_personal_rule_is_refused_by_the_service(db, scene, person, rule):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(24), needs_enhanced_dbs=True)
    assert rule in _refused_rules(db, hub, req, staff(db, agency_id, **person))
    assert _live_count(db) == 0


def test_overlap_rest_and_weekly_hours_count_existing_shifts(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    person = staff(db, agency_id, max_hours_per_week=20)
    first = requirement(db, incident_id, hub_id, at(24))  # Tue 09:00-17:00
    _assign(db, hub, first, person)
    assert "overlap" in _refused_rules(db, hub, requirement(db, incident_id, hub_id, at(28)), person)
    assert "rest" in _refused_rules(db, hub, requirement(db, incident_id, hub_id, at(34)), person)  # 3 h rest
    second = requirement(db, incident_id, hub_id, at(48))  # Wed 09:00: 16 h rest, 16 h in the week
    _assign(db, hub, second, person)
    assert "weekly_hours" in _refused_rules(db, hub, requirement(db, incident_id, hub_id, at(72)), person)
    assert _live_count(db) == 2


def test_briefing_and_debrief_count_as_working_time(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    person = staff(db, agency_id)
    _assign(db, hub, requirement(db, incident_id, hub_id, at(24), debrief_minutes=60), person)  # ends 17:00 + debrief
    # 11 h after 17:00 is 04:00, but after the 18:00 debrief it is 05:00.
    later = requirement(db, incident_id, hub_id, at(24 + 8 + 11.5))
    assert "rest" in _refused_rules(db, hub, later, person)


def test_availability_and_unavailability_windows(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(24))
    away = staff(db, agency_id)
    window(db, away, at(20), at(30), available=False)
    partial = staff(db, agency_id)
    window(db, partial, at(24), at(28))
    assert "unavailable" in _refused_rules(db, hub, req, away)
    assert "availability" in _refused_rules(db, hub, req, partial)


def test_a_full_requirement_and_a_second_click_are_refused(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(24))
    first = staff(db, agency_id)
    _assign(db, hub, req, first)
    assert _refused_rules(db, hub, req, first) == {"assigned"}
    assert "full" in _refused_rules(db, hub, req, staff(db, agency_id))
    assert _live_count(db) == 1


def test_the_last_places_are_kept_for_the_skills_the_requirement_needs(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(24), headcount=3,
                      needs={("skill", "trauma-informed"): 1, ("language", "Arabic"): 1})
    _assign(db, hub, req, staff(db, agency_id))
    _assign(db, hub, req, staff(db, agency_id))  # one person may still meet both needs
    assert _refused_rules(db, hub, req, staff(db, agency_id)) == {"skill_mix"}
    assert _refused_rules(db, hub, req, staff(db, agency_id, skills=["trauma-informed"])) == {"skill_mix"}
    _assign(db, hub, req, staff(db, agency_id, skills=["trauma-informed"], languages=["Arabic"]))
    with unit_of_work(db.engine) as s:
        assert gaps(s, hub, incident_id) == []


def test_candidates_list_eligible_people_first_and_say_why_the_others_cannot(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(24), needs_enhanced_dbs=True)
    staff(db, agency_id, first_name="Zed", dbs_level="basic")
    good = staff(db, agency_id, first_name="Amy")
    with unit_of_work(db.engine) as s:
        found = candidates_for(s, hub, req)
    assert [c.eligible for c in found] == [True, False]
    assert found[0].staff_id == good and found[0].violations == ()
    assert found[1].violations[0].rule == "dbs_level" and "needs enhanced" in found[1].violations[0].reason


def test_withdrawal_frees_the_place_and_the_person_can_be_assigned_again(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    req = requirement(db, incident_id, hub_id, at(24))
    person = staff(db, agency_id)
    assignment_id = _assign(db, hub, req, person)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="Say why"):
        withdraw(s, hub, assignment_id, "  ")
    with unit_of_work(db.engine) as s:
        withdraw(s, hub, assignment_id, "off sick")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="already taken off"):
        withdraw(s, hub, assignment_id, "again")
    with unit_of_work(db.engine) as s:
        assert [g.requirement_id for g in gaps(s, hub, incident_id)] == [req]
    assert _assign(db, hub, req, person) == assignment_id  # the same row, revived
    assert _live_count(db) == 1


def test_sms_opt_out_changes_every_row_with_that_mobile_once(db, scene):
    _incident_id, _hub_id, agency_id, _hub = scene
    other = agency(db, "British Red Cross")
    staff(db, agency_id, mobile="+447400111222")
    staff(db, other, mobile="+447400111222")
    staff(db, agency_id, mobile="+447400999888")
    with unit_of_work(db.engine) as s:
        assert set_sms_opt_out(s, SYSTEM, "+447400111222", True) == 2
    with unit_of_work(db.engine) as s:
        assert set_sms_opt_out(s, SYSTEM, "07400 111222", True) == 0  # already out: nothing changes
        assert set_sms_opt_out(s, SYSTEM, "+447400111222", False) == 2
    with unit_of_work(db.engine) as s, pytest.raises(InputError):
        set_sms_opt_out(s, SYSTEM, "not a number", True)


def test_gaps_are_soonest_first_and_within_limits_them(db, scene):
    incident_id, hub_id, agency_id, hub = scene
    later = requirement(db, incident_id, hub_id, at(48), headcount=2)
    soon = requirement(db, incident_id, hub_id, at(2), headcount=2)
    requirement(db, incident_id, hub_id, at(-20))  # over already
    _assign(db, hub, soon, staff(db, agency_id))
    with unit_of_work(db.engine) as s:
        all_gaps = gaps(s, hub, incident_id)
        next_day = gaps(s, hub, incident_id, within=timedelta(hours=24))
    assert [(g.requirement_id, g.needed, g.filled) for g in all_gaps] == [(soon, 2, 1), (later, 2, 0)]
    assert [g.requirement_id for g in next_day] == [soon]
    assert all_gaps[0].hub_name == "Victoria Hub"


def test_coordinators_see_and_assign_only_their_own_agency(db, scene, make_actor):
    incident_id, hub_id, agency_id, hub = scene
    coordinator = make_actor("agency_coordinator", agency="Victim Support")
    other = agency(db, "British Red Cross")
    mine = staff(db, agency_id)
    theirs = staff(db, other)
    req = requirement(db, incident_id, hub_id, at(24), headcount=2)
    with unit_of_work(db.engine) as s:
        assert [c.staff_id for c in candidates_for(s, coordinator, req)] == [mine]
    with pytest.raises(PermissionDenied):
        _assign(db, coordinator, req, theirs)
    _assign(db, coordinator, req, mine)
    theirs_assignment = _assign(db, hub, req, theirs)
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied):
        withdraw(s, coordinator, theirs_assignment, "not ours")
    assert _live_count(db) == 2


def test_a_caseworker_may_not_assign(db, scene, make_actor):
    incident_id, hub_id, agency_id, _hub = scene
    req = requirement(db, incident_id, hub_id, at(24))
    with pytest.raises(PermissionDenied):
        _assign(db, make_actor("caseworker"), req, staff(db, agency_id))
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied):
        candidates_for(s, make_actor("caseworker"), req)


def test_standup_min_rest_hours_sets_the_rest_rule_the_service_applies(db, scene, monkeypatch):
    from core.settings import reset_settings

    incident_id, hub_id, agency_id, hub = scene
    person = staff(db, agency_id)
    _assign(db, hub, requirement(db, incident_id, hub_id, at(24)), person)  # Tue 09:00-17:00
    after_nine_hours = requirement(db, incident_id, hub_id, at(24 + 8 + 9))  # Wed 02:00
    assert "rest" in _refused_rules(db, hub, after_nine_hours, person)  # 11 h by default
    monkeypatch.setenv("STANDUP_MIN_REST_HOURS", "8")
    reset_settings()
    with unit_of_work(db.engine) as s:
        [candidate] = candidates_for(s, hub, after_nine_hours)
        assert candidate.eligible
    _assign(db, hub, after_nine_hours, person)
    monkeypatch.setenv("STANDUP_MIN_REST_HOURS", "12")
    reset_settings()
    eleven_and_a_half = requirement(db, incident_id, hub_id, at(24 + 8 + 9 + 8 + 11.5))
    with pytest.raises(RuleBroken, match="12 h rest needed"):
        _assign(db, hub, eleven_and_a_half, person)
    assert _live_count(db) == 2


def test_two_clashing_shifts_for_one_person_at_the_same_moment_give_exactly_one_assignment(db, scene):
    # On PostgreSQL the two units of work really run at once; assign() locks the person's row, so
    # the second sees the first's shift. (On SQLite one writer at a time gives the same answer.)
    import threading

    incident_id, hub_id, agency_id, hub = scene
    person = staff(db, agency_id)
    shifts = [requirement(db, incident_id, hub_id, at(24)), requirement(db, incident_id, hub_id, at(26))]
    start_together = threading.Barrier(2)
    outcomes: list[str] = []

    def take(requirement_id: int) -> None:
        start_together.wait()
        try:
            _assign(db, hub, requirement_id, person)
            outcomes.append("assigned")
        except RuleBroken as refused:
            outcomes.append(",".join(v.rule for v in refused.violations))

    threads = [threading.Thread(target=take, args=(r,)) for r in shifts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["assigned", "overlap"]
    assert _live_count(db) == 1
