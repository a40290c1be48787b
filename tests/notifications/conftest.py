"""Fixtures for the notifications tests: Twilio settings, and a shift with staff to call out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from core.agencies.model import Agency
from core.clock import now
from core.db import unit_of_work
from core.settings import reset_settings
from incident.model import Hub, Incident
from rosters.model import ShiftRequirement, StaffMember

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "https://standup.example.org"
COORDINATOR_MOBILE = "+447400111222"


@pytest.fixture
def twilio_env(monkeypatch):
    """SMS_BACKEND=twilio with a test account; the REST base is set per test when needed."""
    monkeypatch.setenv("SMS_BACKEND", "twilio")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_MESSAGING_SERVICE_SID", "MG" + "1" * 32)
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    reset_settings()


def staff_mobile(n: int) -> str:
    return f"+4474001{n:05d}"


@dataclass(frozen=True)
class World:
    incident_id: int
    requirement_id: int
    staff_ids: list[int]
    agency_id: int

    def mobile(self, i: int) -> str:
        return staff_mobile(i)


@pytest.fixture
def world(db, frozen_clock):
    """An exercise incident, a hub, one shift tomorrow needing 3 support workers, 10 eligible staff,
    and an agency whose coordinator has a mobile."""

    def build(headcount: int = 3, staff: int = 10, exercise: bool = True) -> World:
        with unit_of_work(db.engine) as s:
            incident = Incident(name="Exercise Test", is_exercise=exercise, opened_on=date(2026, 11, 23))
            agency = Agency(name="Victim Support", kind="charity", coordinator_mobile=COORDINATOR_MOBILE)
            s.add_all([incident, agency])
            s.flush()
            hub = Hub(incident_id=incident.id, name="Etihad Hub")
            s.add(hub)
            s.flush()
            start = now() + timedelta(days=1)
            requirement = ShiftRequirement(incident_id=incident.id, hub_id=hub.id, starts_at=start,
                                           ends_at=start + timedelta(hours=8), role="support worker",
                                           headcount=headcount)
            people = [StaffMember(agency_id=agency.id, staff_ref=f"VS{i}", first_name="Sam", last_name=f"Test{i:02d}",
                                  mobile=staff_mobile(i), role="support worker", skills=[], languages=[],
                                  dbs_level="enhanced", dbs_expiry=date(2030, 1, 1)) for i in range(staff)]
            s.add(requirement)
            s.add_all(people)
            s.flush()
            return World(incident.id, requirement.id, [p.id for p in people], agency.id)

    return build
