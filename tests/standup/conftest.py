"""Fixtures for the situation tests: two incidents side by side, the full demo EXERCISE and a small
LIVE incident with its own people, shifts, messages and alerts, so every figure of one can be
checked against the database without the other leaking in."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

import pytest
from faker import Faker
from sqlalchemy import select

from core.agencies.model import Agency
from core.clock import now
from core.db import unit_of_work
from incident.decision_service import Decision, log_decision
from notifications.model import OutboundStatus
from pathways.demo_people import bulk_people
from pathways.model import Person
from rosters.assignment_service import assign, withdraw
from standup.demo import build_demo
from tests import factories


@dataclass(frozen=True)
class TwoIncidents:
    exercise_id: int
    live_id: int
    live_people: int  # how many people the live incident registered


@pytest.fixture
def two_incidents(db, frozen_clock):
    """Builds them when called (a test may look at the database before)."""

    def build(live_name: str = "Live: Deansgate incident") -> TwoIncidents:
        exercise_id = build_demo(db.engine, seed=7).incident_id
        at = now()
        live_id = factories.incident(db, live_name, is_exercise=False)
        live_people = 45
        with unit_of_work(db.engine) as s:
            bulk_people(s, random.Random(3), Faker("en_GB"), live_id, live_people, at, key_worker_ids=[None])
            agency_id = s.scalar(select(Agency.id).order_by(Agency.id).limit(1))
            people = s.scalars(select(Person.id).where(Person.incident_id == live_id).order_by(Person.id)
                               .limit(2)).all()
        hub_id = factories.hub(db, live_id, "Deansgate reception centre", latitude=53.479, longitude=-2.249,
                               address="Deansgate, Manchester")
        under_way = factories.requirement(db, live_id, hub_id, at - timedelta(hours=2), headcount=2)
        later = factories.requirement(db, live_id, hub_id, at + timedelta(hours=3), role="coordinator", headcount=3)
        factories.requirement(db, live_id, hub_id, at + timedelta(days=6), role="coordinator")  # next week
        staff = [factories.staff(db, agency_id, role=role)
                 for role in ("support worker", "support worker", "coordinator")]
        with unit_of_work(db.engine) as s:
            assign(s, factories.SYSTEM, under_way, staff[0])
            unwell = assign(s, factories.SYSTEM, under_way, staff[1]).id
            withdraw(s, factories.SYSTEM, unwell, "unwell")
            assign(s, factories.SYSTEM, later, staff[2])
        for status in (OutboundStatus.FAILED, OutboundStatus.UNDELIVERED, OutboundStatus.DELIVERED):
            factories.text_message(db, to="+447400900001", body="x", incident_id=live_id, status=status)
        factories.safety_alert(db, live_id, people[0])
        factories.safety_alert(db, live_id, people[1], acknowledged_at=at)
        with unit_of_work(db.engine) as s:
            log_decision(s, factories.SYSTEM, live_id, Decision(
                at - timedelta(minutes=5), "Gold", "Open the reception centre", "People gathering at the scene"))
        return TwoIncidents(exercise_id, live_id, live_people)

    return build
