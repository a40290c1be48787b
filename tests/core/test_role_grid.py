"""Every role is refused every other role's service calls: one representative service per
permission, called as each of the roles, on both databases. The allowed roles are written out
here, not derived from ROLE_PERMISSIONS, so a change to who may do what is a deliberate edit.

And the roles that only read (the commissioner's office, the auditor) are refused every
service that changes data, in every domain, with nothing written: a role × service table
of every use case found in the source, not a list kept by hand."""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.agencies.service import add_agency
from core.audit.service import verify_chain
from core.auth.roles import ROLE_PERMISSIONS, Actor, Permission, PermissionDenied, Role
from core.auth.service import list_users
from core.clock import london, now
from core.db import unit_of_work
from core.retention import apply_retention
from incident.activation_service import add_catalogue_service
from incident.delegation_service import delegations
from incident.gold_queries import gold_board
from incident.governance_queries import governance_overview
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
from standup.compliance.report import compliance_report
from standup.retention import RULES
from standup.sitrep.figures import build_sitrep
from tests.infrastructure import ROOT
from tests.stored_rows import every_row

R = Role
Call = Callable[[Session, Actor, int], object]  # (session, actor, incident id)

# permission: (a service it guards, the roles allowed to call it)
GRID: dict[Permission, tuple[Call, set[Role]]] = {
    # The commissioner's office reads governance alone (every reading audited).
    Permission.INCIDENT_VIEW: (lambda s, a, i: incidents_for_picker(s, a), set(Role) - {R.SCRUTINY}),
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
    Permission.GOVERNANCE_VIEW: (lambda s, a, i: governance_overview(s, a), {R.SCRUTINY, R.AUDITOR}),
    Permission.DELEGATION_RECORD: (lambda s, a, i: delegations(s, a), {R.GOLD, R.ADMIN}),
    Permission.COMPLIANCE_VIEW: (lambda s, a, i: compliance_report(s, a, i), {R.SCRUTINY, R.AUDITOR, R.GOLD}),
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


# --- The roles that only read, against every service that changes data --------------------------

PACKAGES = ("core", "incident", "rosters", "notifications", "pathways", "outreach", "standup")
# Permissions that let a person read, never change: every other one guards a change (or a read
# that only those who change may make, like Gold's board: refused to readers all the same).
READS = frozenset({Permission.INCIDENT_VIEW, Permission.STAFF_VIEW, Permission.OUTBOX_VIEW, Permission.PEOPLE_VIEW,
                   Permission.SITREP_VIEW, Permission.AUDIT_VIEW, Permission.GOVERNANCE_VIEW,
                   Permission.COMPLIANCE_VIEW})
READ_ONLY_ROLES = (R.SCRUTINY, R.AUDITOR)


def _application_sources() -> list[Path]:
    """Every module of the application but its pages (Streamlit scripts, which call services)."""
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py") if "pages" not in path.parts)


def _requires_a_change(node: ast.AST) -> bool:
    """`require(actor, Permission.X)` (or `P.X`) with X not a read."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "require"
            and len(node.args) == 2 and isinstance(permission := node.args[1], ast.Attribute)
            and isinstance(permission.value, ast.Name) and permission.value.id in ("Permission", "P")
            and Permission[permission.attr] not in READS)


CONDITIONAL = (ast.If, ast.For, ast.While, ast.Try, ast.With, ast.Match)


def _write_services() -> dict[str, Callable]:
    """module.function -> the function, for every public function taking (session, actor, ...) that
    requires a permission to change: itself, or through a function it always calls (not under a
    condition), in its module or another (`declare_incident` opens the incident with `open_incident`,
    which checks; a clinician's decision checks with `require_clinician`; the home page, which reads
    what the person's permissions reach, calls none of them always)."""
    functions: dict[tuple[str, str], ast.FunctionDef] = {}
    for path in _application_sources():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        functions.update({(module, node.name): node for node in ast.parse(path.read_text(encoding="utf-8")).body
                          if isinstance(node, ast.FunctionDef)})
    calls = {key: {c.func.id for statement in f.body if not isinstance(statement, CONDITIONAL)
                   for c in ast.walk(statement) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
             for key, f in functions.items()}
    guarded = {key for key, f in functions.items() if any(map(_requires_a_change, ast.walk(f)))}
    while True:  # a call reaches a guard by its name: a private one within its module, a public one anywhere
        names = {(m, n) for m, n in guarded if n.startswith("_")} | {n for _, n in guarded if not n.startswith("_")}
        more = {(m, n) for (m, n), called in calls.items()
                if any(c in names or (m, c) in names for c in called)} - guarded
        if not more:
            break
        guarded |= more
    return {f"{m}.{n}": getattr(importlib.import_module(m), n) for (m, n) in sorted(guarded)
            if not n.startswith("_") and [a.arg for a in functions[m, n].args.args[:2]] == ["session", "actor"]}


WRITE_SERVICES = _write_services()


def test_the_readers_hold_no_permission_to_change_anything():
    for role in READ_ONLY_ROLES:
        assert ROLE_PERMISSIONS[role] <= READS, role


def test_the_table_finds_the_services_that_change_data_in_every_domain():
    """The search is what the table rests on: it must find the use cases we know of, everywhere."""
    assert {"incident.activation_service.request_activation", "incident.activation_service.move_activation",
            "incident.decision_service.log_decision", "incident.delegation_service.record_delegation",
            "incident.lifecycle_service.declare_incident", "core.auth.service.set_role",
            "core.agencies.service.add_agency", "core.retention.apply_retention",
            "rosters.staff_service.record_availability", "rosters.assignment_service.assign",
            "notifications.callout_service.start_callout", "pathways.registration_service.register_person",
            "pathways.clinicians.name_clinician", "pathways.screening_service.decide_review",
            "outreach.cohort_service.import_cohort", "outreach.invitation_service.send_invitations"} <= set(WRITE_SERVICES)
    assert {name.split(".")[0] for name in WRITE_SERVICES} == {"core", "incident", "rosters", "notifications",
                                                               "pathways", "outreach"}
    assert len(WRITE_SERVICES) >= 90


def _attempt(db, service: Callable, actor: Actor) -> str:
    """Call `service` as `actor` (its other arguments None: the permission is checked first) and say
    what happened, and whether any statement tried to write."""
    parameters = list(inspect.signature(service).parameters.values())[2:]
    args = [None for p in parameters if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
    kwargs = {p.name: None for p in parameters if p.default is p.empty and p.kind is p.KEYWORD_ONLY}
    statements: list[str] = []

    def seen(conn, cursor, statement, *rest) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with unit_of_work(db.engine) as session:
            service(session, actor, *args, **kwargs)
        outcome = "allowed"
    except PermissionDenied:
        outcome = "refused"
    except Exception as other:  # noqa: BLE001  (named in the table: a check that came too late)
        outcome = f"{type(other).__name__} before the permission check: {other}"[:160]
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    if any(s.lstrip().split(maxsplit=1)[0].upper() in ("INSERT", "UPDATE", "DELETE") for s in statements):
        outcome += ", and wrote"
    return outcome


@pytest.mark.parametrize("role", READ_ONLY_ROLES, ids=lambda r: r.value)
def test_a_reader_is_refused_every_service_that_changes_data_and_nothing_changes(db, world, role):
    actor = world.actors[role]
    before = every_row(db.engine)
    table = {name: _attempt(db, service, actor) for name, service in WRITE_SERVICES.items()}
    assert table == dict.fromkeys(WRITE_SERVICES, "refused")
    assert every_row(db.engine) == before


def test_the_advocate_is_refused_every_change_but_their_own_log_and_nothing_changes(db, world):
    """The advocate reads the consenting victims and keeps their own log of requests to authorities
    (pathways.advocate_service); every other service that changes data refuses them."""
    actor = world.actors[R.ADVOCATE]
    before = every_row(db.engine)
    others = {name: service for name, service in WRITE_SERVICES.items()
              if not name.startswith("pathways.advocate_service.")}
    assert len(others) < len(WRITE_SERVICES)  # their own services are found, and set aside
    table = {name: _attempt(db, service, actor) for name, service in others.items()}
    assert table == dict.fromkeys(others, "refused")
    assert every_row(db.engine) == before
