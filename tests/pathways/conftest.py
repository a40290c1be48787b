"""Fixtures for the pathways tests: an incident in Greater Manchester, a caseworker on its team, and
a quick way to register someone (registration goes through the real service)."""

from __future__ import annotations

from datetime import date

import pytest

from core.auth.roles import Actor, Role
from core.db import unit_of_work
from incident.lifecycle_service import open_incident
from pathways.model import IncidentServiceArea
from pathways.registration_service import NewPerson, register_person
from tests import factories


@pytest.fixture
def incident_id(db) -> int:
    with unit_of_work(db.engine) as s:
        incident = open_incident(s, Actor.system("test"), "Arena", is_exercise=True)
        s.add(IncidentServiceArea(incident_id=incident.id, force_area="Greater Manchester"))
        return incident.id


@pytest.fixture
def join_team(db):
    """Puts a caseworker on an incident's team, as Gold Command would."""
    from incident.team_service import assign_to_team

    def join(incident_id: int, actor: Actor) -> Actor:
        with unit_of_work(db.engine) as s:
            assign_to_team(s, Actor.system("test"), incident_id, actor.user_id)
        return actor

    return join


@pytest.fixture
def make_actor(make_actor, request):
    """The root fixture, except that a caseworker starts on the team of the test's incident (when the
    test has one), as anyone working in it would be; `on_team=False` makes one who is not."""
    def make(role: Role | str, *, agency: str | None = None, on_team: bool = True) -> Actor:
        actor = make_actor(role, agency=agency)
        if on_team and Role(role) == Role.CASEWORKER and "incident_id" in request.fixturenames:
            request.getfixturevalue("join_team")(request.getfixturevalue("incident_id"), actor)
        return actor

    return make


@pytest.fixture
def caseworker(make_actor) -> Actor:
    return make_actor("caseworker")


@pytest.fixture
def agency_id(db) -> int:
    """A partner agency to refer to (its areas not recorded)."""
    return factories.agency(db, "Cruse Bereavement Support")


@pytest.fixture
def make_clinician(db, make_actor):
    """Names a caseworker (a new one by default) as a designated clinician, as an administrator would."""
    from pathways.clinicians import name_clinician

    def make(actor: Actor | None = None, mobile: str = "07400 900123") -> Actor:
        actor = actor or make_actor("caseworker")
        with unit_of_work(db.engine) as s:
            name_clinician(s, Actor.system("test"), actor.user_id, mobile)
        return actor

    return make


@pytest.fixture
def clinician(make_clinician) -> Actor:
    return make_clinician()


@pytest.fixture
def on_duty(db, incident_id, clinician) -> Actor:
    """A designated clinician who is the incident's duty clinician."""
    from pathways.clinicians import set_duty_clinician

    with unit_of_work(db.engine) as s:
        set_duty_clinician(s, Actor.system("test"), incident_id, clinician.user_id)
    return clinician


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
