"""Every role is refused every other role's service calls: one representative service per
permission, called as each of the seven roles, on both databases. The allowed roles are written out
here, not derived from ROLE_PERMISSIONS, so a change to who may do what is a deliberate edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from core.agencies.service import add_agency
from core.audit.service import verify_chain
from core.auth.roles import ROLE_PERMISSIONS, Actor, Permission, PermissionDenied, Role
from core.auth.service import list_users
from core.clock import london, now
from core.db import unit_of_work
from core.retention import apply_retention
from incident.activation_service import add_catalogue_service
from incident.gold_queries import gold_board
from incident.hub_service import HubDetails, save_hub
from incident.lifecycle_service import incidents_for_picker, open_incident
from incident.team_service import assign_to_team, caseworkers_to_assign
from notifications.board_queries import callouts_for_incident
from notifications.mobilisation_service import requests_for_my_agency
from notifications.outbox_service import outbox_messages
from outreach.cohort_service import cohorts_of
from outreach.settings_service import SettingsChanges, save_outreach_settings
from pathways.advocate_service import advocate_victims, appoint_advocate
from pathways.clinicians import name_clinician
from pathways.people_queries import search_people
from pathways.referral_service import set_incident_force_area
from pathways.registration_service import NewPerson, register_person
from pathways.screening_service import review_queue
from rosters.autofill_service import propose_fill
from rosters.import_service import agency_choices
from rosters.staff_service import visible_agencies
from standup.retention import RULES
from standup.sitrep.figures import build_sitrep

R = Role
Call = Callable[[Session, Actor, int], object]  # (session, actor, incident id)

# permission: (a service it guards, the roles allowed to call it)
GRID: dict[Permission, tuple[Call, set[Role]]] = {
    Permission.INCIDENT_VIEW: (lambda s, a, i: incidents_for_picker(s, a), set(Role)),
    Permission.INCIDENT_COMMAND: (lambda s, a, i: gold_board(s, a, i), {R.GOLD}),
    Permission.INCIDENT_TEAM: (lambda s, a, i: caseworkers_to_assign(s, a, i), {R.GOLD, R.ADMIN}),
    Permission.HUBS_MANAGE: (lambda s, a, i: save_hub(s, a, i, HubDetails("Grid hub")), {R.GOLD, R.HUB_MANAGER}),
    Permission.CATALOGUE_MANAGE: (lambda s, a, i: add_catalogue_service(s, a, "Grid service", "a test"), {R.ADMIN}),
    Permission.AGENCIES_MANAGE: (lambda s, a, i: add_agency(s, a, "Grid agency", "charity"), {R.ADMIN}),
    Permission.STAFF_VIEW: (lambda s, a, i: visible_agencies(s, a), {R.GOLD, R.HUB_MANAGER, R.AGENCY_COORDINATOR}),
    Permission.STAFF_EDIT: (lambda s, a, i: agency_choices(s, a), {R.HUB_MANAGER, R.AGENCY_COORDINATOR}),
    Permission.SHIFTS_PLAN: (lambda s, a, i: propose_fill(s, a, i, time_limit_s=1), {R.HUB_MANAGER}),
    Permission.CALLOUT_RUN: (lambda s, a, i: callouts_for_incident(s, a, i), {R.HUB_MANAGER}),
    Permission.OUTBOX_VIEW: (lambda s, a, i: outbox_messages(s, a, i), {R.HUB_MANAGER, R.ADMIN}),
    Permission.MOBILISATION_ANSWER: (lambda s, a, i: requests_for_my_agency(s, a), {R.AGENCY_COORDINATOR}),
    Permission.PEOPLE_VIEW: (lambda s, a, i: search_people(s, a, i, "grid"), {R.CASEWORKER}),
    Permission.PEOPLE_EDIT: (lambda s, a, i: register_person(s, a, i, NewPerson("Grid", "Person", ["survivor"],
                                                                                   "reception_centre")), {R.CASEWORKER}),
    Permission.CLINICAL_REVIEW: (lambda s, a, i: review_queue(s, a, i), {R.CASEWORKER}),
    Permission.PATHWAYS_MANAGE: (lambda s, a, i: set_incident_force_area(s, a, i, "Greater Manchester"), {R.ADMIN}),
    Permission.OUTREACH_RUN: (lambda s, a, i: cohorts_of(s, a, i), {R.HUB_MANAGER, R.CASEWORKER}),
    Permission.OUTREACH_SETTINGS: (lambda s, a, i: save_outreach_settings(
        s, a, i, SettingsChanges("Grid Resilience Hub", "0161 496 0000")), {R.GOLD, R.HUB_MANAGER}),
    Permission.ADVOCATE_WORK: (lambda s, a, i: advocate_victims(s, a, i), {R.ADVOCATE}),
    Permission.SITREP_VIEW: (lambda s, a, i: build_sitrep(s, a, i), {R.GOLD, R.HUB_MANAGER}),
    Permission.AUDIT_VIEW: (lambda s, a, i: verify_chain(s, a), {R.ADMIN, R.AUDITOR}),
    Permission.USERS_MANAGE: (lambda s, a, i: list_users(s, a), {R.ADMIN}),
    Permission.RETENTION_RUN: (lambda s, a, i: apply_retention(s, a, RULES, {}, dry_run=True), {R.ADMIN}),
}


def test_the_grid_covers_every_permission_as_the_roles_hold_them():
    assert set(GRID) == set(Permission)
    for permission, (_, allowed) in GRID.items():
        assert allowed == {role for role in Role if permission in ROLE_PERMISSIONS[role]}, permission


@dataclass(frozen=True)
class World:
    incident_id: int
    actors: dict[Role, Actor]


@pytest.fixture
def world(db, make_actor) -> World:
    """An incident, one person of each role, and whatever else each role needs to do its own work:
    the caseworker is on the incident's team and a designated clinician; the coordinator has an agency."""
    actors = {role: make_actor(role) for role in Role}
    system = Actor.system("test")
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, system, "Grid incident", is_exercise=False).id
        assign_to_team(s, system, incident_id, actors[R.CASEWORKER].user_id)
        name_clinician(s, system, actors[R.CASEWORKER].user_id, "07400 123456")
        appoint_advocate(s, system, incident_id, declared_on=london(now()).date(), declaration="SI 2027/1",
                         advocate_user_id=actors[R.ADVOCATE].user_id, appointed_on=london(now()).date())
    return World(incident_id, actors)


def _outcome(db, call: Call, actor: Actor, incident_id: int) -> str:
    session = Session(db.engine)
    try:
        call(session, actor, incident_id)
        return "allowed"
    except PermissionDenied:
        return "refused"
    finally:
        session.rollback()  # each call is tried on the same untouched world
        session.close()


@pytest.mark.parametrize("permission", list(GRID), ids=lambda p: p.value)
def test_exactly_the_allowed_roles_pass_each_service_and_the_rest_are_refused(db, world, permission):
    call, allowed = GRID[permission]
    outcomes = {role: _outcome(db, call, world.actors[role], world.incident_id) for role in Role}
    assert outcomes == {role: "allowed" if role in allowed else "refused" for role in Role}
