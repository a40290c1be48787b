"""The situation report counts the justice process: milestones entered, inform tasks open, overdue,
done in time and late (a merged duplicate's not counted, an exercise's never in a live report), and
says the overdue ones under Risks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.db import unit_of_work
from pathways.justice_service import NewMilestone, close_inform_task, record_milestone
from pathways.merge_service import merge_people
from pathways.model import InformTask
from pathways.registration_service import NewPerson, register_person
from standup.sitrep.figures import build_sitrep
from tests import factories

SECTION = "Justice process"
OVERDUE = "Inform tasks overdue (person not told within the Victims' Code time)"


def _person(db, incident_id: int, name: str, *, enhanced: bool = False) -> int:
    with unit_of_work(db.engine) as s:
        return register_person(s, factories.SYSTEM, incident_id, NewPerson(
            name, "Hughes", ["survivor"], "reception_centre", postcode="M4 5AB", victim_of_terrorism=enhanced)).id


def _task(s, person_id: int, milestone_id: int) -> int:
    return s.scalar(select(InformTask.id).where(InformTask.person_id == person_id,
                                                InformTask.milestone_id == milestone_id))


def _justice(db, gold, incident_id) -> dict[str, object]:
    with unit_of_work(db.engine) as s:
        report = build_sitrep(s, gold, incident_id)
    return {f.label: f.value for f in report.figures if f.section == SECTION} | {"risks": report.risks}


def test_the_report_counts_inform_tasks_and_says_the_overdue_ones(db, frozen_clock, make_actor):
    # Monday 23 Nov 2026. A charge on Thursday 19th: the enhanced victim's time ended on Friday 20th,
    # the others' ends on Thursday 26th.
    gold = make_actor("gold")
    live = factories.incident(db, "Live: Deansgate", is_exercise=False)
    exercise = factories.incident(db, "Exercise: Arena")
    ann = _person(db, live, "Ann", enhanced=True)
    ben, cal, dup = (_person(db, live, name) for name in ("Ben", "Cal", "Callum"))
    _person(db, exercise, "Eve", enhanced=True)
    with unit_of_work(db.engine) as s:
        charge = record_milestone(s, gold, live, NewMilestone("charge", date(2026, 11, 19))).id
        hearing = record_milestone(s, gold, live, NewMilestone("first_hearing", date(2026, 11, 30),
                                                               audience="people", person_ids=(ann,))).id
        record_milestone(s, gold, exercise, NewMilestone("charge", date(2026, 11, 19)))
        close_inform_task(s, factories.SYSTEM, _task(s, ben, charge), method="phone")
        merge_people(s, factories.SYSTEM, cal, dup)  # Callum's task is Cal's: counted once

    figures = _justice(db, gold, live)
    assert figures["Milestones entered (arrest, charge, hearings…)"] == 2
    assert figures["Inform tasks open (Victims' Code time not yet passed)"] == 2  # Cal's charge, Ann's hearing
    assert figures[OVERDUE] == 1  # Ann's charge
    assert (figures["Inform tasks done within the time"], figures["Inform tasks done late"]) == (1, 0)
    assert ("1 inform task overdue: a person not told of a justice milestone (an arrest, a charge, a hearing…) "
            "within the Victims' Code time") in figures["risks"]

    with unit_of_work(db.engine) as s:
        close_inform_task(s, factories.SYSTEM, _task(s, ann, charge), method="in_person")
        close_inform_task(s, factories.SYSTEM, _task(s, ann, hearing), method="in_person")
    figures = _justice(db, gold, live)
    assert (figures[OVERDUE], figures["Inform tasks done within the time"], figures["Inform tasks done late"]) == (
        0, 2, 1)
    assert not [r for r in figures["risks"] if "justice milestone" in r]
