"""A NUL typed (or pasted) into a staff search, a staff correction, an availability note, a shift's
role or language, or a reason to take someone off a shift is refused with a message naming the
field, and nothing is saved: PostgreSQL cannot store or even compare a NUL, so without the refusal
the page would crash there (and SQLite would keep it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest

from core.auth.roles import Actor
from core.db import unit_of_work
from rosters.assignment_service import assign, withdraw
from rosters.requirement_service import plan_shifts, plan_surge
from rosters.staff_service import list_staff, record_availability, update_staff
from tests.factories import agency, at, incident_with_hub, requirement, staff
from tests.stored_rows import assert_control_character_refused


@dataclass(frozen=True)
class Scene:
    hub_manager: Actor
    incident_id: int
    hub_id: int
    staff_id: int
    assignment_id: int


@pytest.fixture
def scene(db, frozen_clock, make_actor) -> Scene:
    incident_id, hub_id = incident_with_hub(db)
    hub_manager = make_actor("hub_manager")
    person = staff(db, agency(db))
    with unit_of_work(db.engine) as s:
        assignment = assign(s, hub_manager, requirement(db, incident_id, hub_id, at(3)), person)
        return Scene(hub_manager, incident_id, hub_id, person, assignment.id)


def _plan(s, w: Scene, **change):
    pattern = dict(role="support worker", headcount=2, first_day=date(2026, 11, 25), days=1, start_times=[time(7)],
                   hours=8.0)
    return plan_shifts(s, w.hub_manager, w.incident_id, w.hub_id, **{**pattern, **change})


# What each form sends with a NUL in one field, and how the refusal names that field.
USES = {
    "staff search": (lambda s, w: list_staff(s, w.hub_manager, search="Tes\x00ter"), "The search"),
    "staff role": (lambda s, w: update_staff(s, w.hub_manager, w.staff_id, role="support\x00 worker"), "Role"),
    "availability note": (lambda s, w: record_availability(s, w.hub_manager, w.staff_id, at(24), at(48),
                                                           available=False, note="Leave\x00"), "The note"),
    "shift role": (lambda s, w: _plan(s, w, role="support\x00"), "Role"),
    "language need": (lambda s, w: _plan(s, w, needs={("language", "Ara\x00bic"): 1}), "A language need"),
    "surge role": (lambda s, w: plan_surge(s, w.hub_manager, w.incident_id, w.hub_id, role="\x00", headcount=2,
                                           hours=4), "Role"),
    "reason to take off": (lambda s, w: withdraw(s, w.hub_manager, w.assignment_id, "Ill\x00"), "The reason"),
}


@pytest.mark.parametrize("use", USES)
def test_a_nul_in_typed_text_is_refused_naming_the_field_and_nothing_changes(db, scene, use):
    send, field = USES[use]
    assert_control_character_refused(db.engine, lambda s: send(s, scene), field)
