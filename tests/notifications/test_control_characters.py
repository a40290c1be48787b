"""A NUL typed (or pasted) into a call-out's message or the reason for cancelling one is refused
with a message naming the field, and nothing is saved or sent: PostgreSQL cannot store a NUL, so
without the refusal the page would crash there (and SQLite would keep it, and text it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from core.auth.roles import Actor
from core.db import unit_of_work
from notifications.callout_rules import DEFAULT_TEMPLATE
from notifications.callout_service import cancel_callout, preview_callout, start_callout
from tests import factories
from tests.stored_rows import assert_control_character_refused


@dataclass(frozen=True)
class Scene:
    hub_manager: Actor
    callout_id: int
    other_requirement_id: int  # a shift with no call-out yet


@pytest.fixture
def scene(db, world, make_actor) -> Scene:
    w = world()
    hub_manager = make_actor("hub_manager")
    with unit_of_work(db.engine) as s:
        callout_id = start_callout(s, hub_manager, w.requirement_id).id
    later = factories.requirement(db, w.incident_id, w.hub_id, w.shift_starts_at + timedelta(days=1))
    return Scene(hub_manager, callout_id, later)


# What each form sends with a NUL in one field, and how the refusal names that field.
USES = {
    "message previewed": (lambda s, w: preview_callout(s, w.hub_manager, w.other_requirement_id,
                                                       DEFAULT_TEMPLATE + "\x00"), "The message"),
    "message sent": (lambda s, w: start_callout(s, w.hub_manager, w.other_requirement_id,
                                                template="\x00" + DEFAULT_TEMPLATE), "The message"),
    "cancel reason": (lambda s, w: cancel_callout(s, w.hub_manager, w.callout_id, "Filled\x00 by phone"),
                      "The reason"),
}


@pytest.mark.parametrize("use", USES)
def test_a_nul_in_typed_text_is_refused_naming_the_field_and_nothing_changes(db, scene, use):
    send, field = USES[use]
    assert_control_character_refused(db.engine, lambda s: send(s, scene), field)
