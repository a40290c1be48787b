"""Fixtures for the notifications tests: a shift with staff to call out (Twilio settings are the
root conftest's `twilio_env`; `voice_env` adds Twilio calls)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from core.clock import now
from core.settings import reset_settings
from tests import factories
from tests.twilio_requests import FROM_NUMBER


def staff_mobile(n: int) -> str:
    return f"+4474001{n:05d}"


@dataclass(frozen=True)
class World:
    incident_id: int
    hub_id: int
    requirement_id: int
    shift_starts_at: datetime  # the shift lasts 8 hours
    staff_ids: list[int]
    agency_id: int
    coordinator_mobile: str

    def mobile(self, i: int) -> str:
        return staff_mobile(i)


@pytest.fixture
def voice_env(twilio_env, monkeypatch):
    """SMS and calls by Twilio (calls come from FROM_NUMBER)."""
    monkeypatch.setenv("VOICE_BACKEND", "twilio")
    monkeypatch.setenv("TWILIO_FROM_NUMBER", FROM_NUMBER)
    reset_settings()


@pytest.fixture
def world(db, frozen_clock):
    """An exercise incident, a hub, one shift tomorrow needing 3 support workers, 10 eligible staff,
    and an agency whose coordinator has a mobile."""

    def build(headcount: int = 3, staff: int = 10, exercise: bool = True, *, hub_name: str = "Etihad Hub",
              staff_name: tuple[str, str] | None = None) -> World:
        """`staff_name` (first, last) names every one of the staff alike."""
        coordinator_mobile = "+447400111222"
        agency_id = factories.agency(db, coordinator_mobile=coordinator_mobile)
        incident_id = factories.incident(db, is_exercise=exercise)
        hub_id = factories.hub(db, incident_id, hub_name)
        shift_starts_at = now() + timedelta(days=1)
        requirement_id = factories.requirement(db, incident_id, hub_id, shift_starts_at, 8, headcount=headcount)
        staff_ids = []
        for i in range(staff):
            first, last = staff_name or ("Sam", f"Test{i:02d}")
            staff_ids.append(factories.staff(db, agency_id, staff_ref=f"VS{i}", first_name=first, last_name=last,
                                             mobile=staff_mobile(i), skills=[], dbs_expiry=date(2030, 1, 1),
                                             home_postcode=None))
        return World(incident_id, hub_id, requirement_id, shift_starts_at, staff_ids, agency_id, coordinator_mobile)

    return build
