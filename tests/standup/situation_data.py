"""Two incidents side by side for the situation tests: the full demo EXERCISE, and a small LIVE
incident built row by row with its own people, shifts, messages and alerts, so every figure of
one can be checked against the database without the other leaking in."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from faker import Faker
from sqlalchemy import select

from core.agencies.model import Agency
from core.auth.roles import Actor
from core.clock import now
from core.db import unit_of_work
from incident.decision_service import Decision, log_decision
from incident.lifecycle_service import open_incident
from incident.model import Hub
from notifications.model import OutboundMessage
from pathways.demo_people import bulk_people
from pathways.model import Person, SafetyAlert
from rosters.model import Assignment, ShiftRequirement, StaffMember
from standup.demo import build_demo

LIVE_PEOPLE = 45


@dataclass(frozen=True)
class TwoIncidents:
    exercise_id: int
    live_id: int


def build_two_incidents(engine, live_name: str = "Live: Deansgate incident") -> TwoIncidents:
    exercise_id = build_demo(engine, seed=7).incident_id
    actor = Actor.system("test")
    at = now()
    with unit_of_work(engine) as s:
        live_id = open_incident(s, actor, live_name, is_exercise=False).id
        bulk_people(s, random.Random(3), Faker("en_GB"), live_id, LIVE_PEOPLE, at, key_worker_ids=[None])
        agency_id = s.scalar(select(Agency.id).order_by(Agency.id).limit(1))
        hub = Hub(incident_id=live_id, name="Deansgate reception centre", latitude=53.479, longitude=-2.249,
                  address="Deansgate, Manchester")
        s.add(hub)
        s.flush()
        under_way = ShiftRequirement(incident_id=live_id, hub_id=hub.id, starts_at=at - timedelta(hours=2),
                                     ends_at=at + timedelta(hours=6), role="support worker", headcount=2)
        later = ShiftRequirement(incident_id=live_id, hub_id=hub.id, starts_at=at + timedelta(hours=3),
                                 ends_at=at + timedelta(hours=11), role="coordinator", headcount=3)
        next_week = ShiftRequirement(incident_id=live_id, hub_id=hub.id, starts_at=at + timedelta(days=6),
                                     ends_at=at + timedelta(days=6, hours=8), role="coordinator", headcount=1)
        s.add_all([under_way, later, next_week])
        staff = [StaffMember(agency_id=agency_id, staff_ref=f"LIVE-{i}", first_name="Sam", last_name=f"Live{i}",
                             mobile=f"+4474009{i:05d}", role="support worker") for i in range(3)]
        s.add_all(staff)
        s.flush()
        s.add_all([
            Assignment(requirement_id=under_way.id, staff_id=staff[0].id),
            Assignment(requirement_id=under_way.id, staff_id=staff[1].id, withdrawn_at=at - timedelta(hours=1),
                       withdrawn_reason="unwell"),
            Assignment(requirement_id=later.id, staff_id=staff[2].id),
        ])
        for status in ("failed", "undelivered", "delivered"):
            s.add(OutboundMessage(incident_id=live_id, destination="+447400900001", body="x", segments=1,
                                  purpose="notice", status=status))
        people = s.scalars(select(Person.id).where(Person.incident_id == live_id).order_by(Person.id).limit(2)).all()
        s.add(SafetyAlert(incident_id=live_id, person_id=people[0], text="t"))
        s.add(SafetyAlert(incident_id=live_id, person_id=people[1], text="t", acknowledged_at=at))
        log_decision(s, actor, live_id, Decision(at - timedelta(minutes=5), "Gold", "Open the reception centre",
                                                 "People gathering at the scene"))
    return TwoIncidents(exercise_id, live_id)
