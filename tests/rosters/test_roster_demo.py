"""The rosters part of `standup demo`: staff from six or more agencies, 14 days of shifts, some
gaps left open, every assignment keeping every hard rule, and a second demo beside the first."""

from __future__ import annotations

import random

from faker import Faker
from sqlalchemy import func, select

from core.agencies.model import Agency
from core.auth.roles import Actor
from core.clock import london
from core.db import unit_of_work
from core.demo_context import DemoContext
from core.phone import normalise_mobile
from incident.lifecycle_service import open_incident
from rosters.assignment_service import (
    availability_scope,
    booked_by_staff,
    facts_for,
    min_rest,
    neighbourhood,
    slot_for,
    windows_by_staff,
)
from rosters.constraints import violations
from rosters.contribution_service import agency_contributions
from rosters.coverage_queries import gaps
from rosters.model import Assignment, ShiftRequirement, StaffMember
from rosters.plugin import seed_demo
from rosters.role_training_service import courses_by_role
from standup.demo import _seed_agencies

SYSTEM = Actor.system("demo")


def _demo(db, name: str) -> int:
    with unit_of_work(db.engine) as s:
        incident = open_incident(s, SYSTEM, name, is_exercise=True)
        faker = Faker("en_GB")
        faker.seed_instance(3)
        ctx = DemoContext(s, SYSTEM, incident.id, "small", random.Random(3), faker)
        _seed_agencies(ctx)
        seed_demo(ctx)
        return incident.id


def test_the_demo_has_rosters_from_six_agencies_14_days_of_shifts_gaps_and_no_broken_rule(db, frozen_clock):
    incident_id = _demo(db, "Exercise one")
    with unit_of_work(db.engine) as s:
        per_agency = dict(s.execute(select(StaffMember.agency_id, func.count()).group_by(StaffMember.agency_id)).all())
        assert len(per_agency) >= 6 and min(per_agency.values()) >= 10
        assert all(normalise_mobile(m) == m for m in s.scalars(select(StaffMember.mobile)))
        days = {london(start).date() for start in s.scalars(
            select(ShiftRequirement.starts_at).where(ShiftRequirement.incident_id == incident_id))}
        assert len(days) == 14
        assert s.scalar(select(func.count()).select_from(Assignment)) > 50
        assert gaps(s, SYSTEM, incident_id)
        # Every assignment the demo made keeps every hard rule.
        broken = []
        for assignment in s.scalars(select(Assignment)):
            slot = slot_for(assignment.requirement, courses_by_role(s))
            person = assignment.staff
            windows = windows_by_staff(s, [person.id], *availability_scope(slot)).get(person.id, ())
            booked = booked_by_staff(s, [person.id], *neighbourhood(slot, min_rest())).get(person.id, ())
            broken += violations(facts_for(person, windows), slot, booked, min_rest=min_rest())
    assert broken == []


def test_a_second_demo_reuses_the_agencies_rosters(db, frozen_clock):
    _demo(db, "Exercise one")
    with unit_of_work(db.engine) as s:
        staff_before = s.scalar(select(func.count()).select_from(StaffMember))
    second = _demo(db, "Exercise two")
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(StaffMember)) == staff_before
        assert s.scalar(select(func.count()).select_from(ShiftRequirement)
                        .where(ShiftRequirement.incident_id == second)) > 0


def test_the_demo_records_what_each_agency_agreed_to_give(db, frozen_clock):
    incident_id = _demo(db, "Exercise three")
    with unit_of_work(db.engine) as s:
        lines = agency_contributions(s, Actor.system("test"), incident_id)
        every_agency = sorted(s.scalars(select(Agency.name)))
    assert [line.agency for line in lines] == every_agency and all(line.agreed and line.agreed.staff_per_day in (4, 6, 8) for line in lines)
    assert all(line.person_days_asked == line.agreed.staff_per_day for line in lines)  # its first day
