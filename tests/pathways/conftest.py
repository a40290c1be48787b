"""Fixtures for the pathways tests: an incident in Greater Manchester, a caseworker, and a quick
way to register someone (registration goes through the real service)."""

from __future__ import annotations

from datetime import date

import pytest

from core.auth.roles import Actor
from core.db import unit_of_work
from incident.service import open_incident
from pathways.model import IncidentServiceArea
from pathways.people_service import NewPerson, register_person


@pytest.fixture
def incident_id(db) -> int:
    with unit_of_work(db.engine) as s:
        incident = open_incident(s, Actor.system("test"), "Arena", is_exercise=True)
        s.add(IncidentServiceArea(incident_id=incident.id, force_area="Greater Manchester"))
        return incident.id


@pytest.fixture
def caseworker(make_actor) -> Actor:
    return make_actor("caseworker")


@pytest.fixture
def register(db, caseworker, incident_id):
    def make(**changes) -> int:
        target = changes.pop("incident", incident_id)
        fields = dict(given_name="Amira", family_name="Khan", roles=["survivor"], source="reception_centre",
                      date_of_birth=date(1990, 4, 2), mobile="07400 123456", postcode="M4 5AB",
                      victim_of_terrorism=True)
        fields.update(changes)
        with unit_of_work(db.engine) as s:
            return register_person(s, caseworker, target, NewPerson(**fields)).id

    return make
