"""Fixtures for the incident domain: a Gold actor and an incident to work in."""

from __future__ import annotations

import pytest

from core.clock import now
from core.db import unit_of_work
from incident.activation_service import Authority
from incident.decision_service import Decision, log_decision
from incident.lifecycle_service import declare_incident
from tests import factories


@pytest.fixture
def gold(make_actor):
    return make_actor("gold")


@pytest.fixture
def incident_id(db, gold, frozen_clock) -> int:
    """A declared live incident, opened at the frozen clock's time."""
    with unit_of_work(db.engine) as s:
        return declare_incident(s, gold, "Arena explosion", is_exercise=False, summary="", reason="M/ETHANE received").id


@pytest.fixture
def agency_id(db) -> int:
    return factories.agency(db)


@pytest.fixture
def authority(db, gold, incident_id) -> Authority:
    """Entry 1 of the incident's decision log, to authorise requests and stand-downs with."""
    with unit_of_work(db.engine) as s:
        entry = log_decision(s, gold, incident_id, Decision(now(), "Ch Supt Khan", "Stand up victim support",
                                                            "Hundreds of people affected"))
    return Authority(entry.id)
