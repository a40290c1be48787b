"""Hubs and sites, and the command structure with logged handovers."""

from datetime import timedelta

import pytest

from core.auth.roles import PermissionDenied
from core.clock import now
from core.db import unit_of_work
from core.errors import InputError
from incident.command_service import assign_commander, command_structure, hand_over, handovers
from incident.hub_service import HubDetails, hubs, save_hub

TOWN_HALL = HubDetails(name="Town Hall Hub", address="Albert Square, Manchester", postcode="m2 5db",
                       latitude=53.4794, longitude=-2.2447, opening_hours="24 hours", capacity=120,
                       contact="0161 555 0100")


def test_a_hub_is_added_and_updated(db, make_actor, incident_id):
    hub_manager = make_actor("hub_manager")
    with unit_of_work(db.engine) as s:
        hub_id = save_hub(s, hub_manager, incident_id, TOWN_HALL).id
    with unit_of_work(db.engine) as s:
        save_hub(s, hub_manager, incident_id, HubDetails(**{**TOWN_HALL.__dict__, "capacity": 200}), hub_id)
    with unit_of_work(db.engine) as s:
        (hub,) = hubs(s, hub_manager, incident_id)
    assert (hub.name, hub.postcode, hub.capacity, hub.latitude) == ("Town Hall Hub", "M2 5DB", 200, 53.4794)


@pytest.mark.parametrize(("change", "message"), [
    ({"name": " "}, "needs a name"),
    ({"latitude": 48.86, "longitude": 2.35}, "outside the United Kingdom"),
    ({"capacity": 0}, "above 0"),
    ({"kind": "bunker"}, "Unknown kind"),
])
def test_bad_hubs_are_refused(db, gold, incident_id, change, message):
    with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
        save_hub(s, gold, incident_id, HubDetails(**{**TOWN_HALL.__dict__, **change}))
    with unit_of_work(db.engine) as s:
        assert hubs(s, gold, incident_id) == []


def test_two_sites_with_one_name_are_refused(db, gold, incident_id):
    with unit_of_work(db.engine) as s:
        save_hub(s, gold, incident_id, TOWN_HALL)
    with pytest.raises(InputError, match="already has a site"), unit_of_work(db.engine) as s:
        save_hub(s, gold, incident_id, TOWN_HALL)


def test_caseworkers_cannot_change_hubs(db, make_actor, incident_id):
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        save_hub(s, make_actor("caseworker"), incident_id, TOWN_HALL)


def test_commanders_hand_over_and_the_handover_is_logged(db, gold, incident_id, agency_id, frozen_clock):
    with unit_of_work(db.engine) as s:
        first = assign_commander(s, gold, incident_id, agency_id, "strategic", "Ch Supt A. Khan", "07700 000001")
    frozen_clock.advance(timedelta(hours=12))
    handed_at = now() - timedelta(minutes=20)
    with unit_of_work(db.engine) as s:
        hand_over(s, gold, first.id, "Ch Supt B. Jones", handed_at, "Hub at capacity; helpline live; press at 18:00")
    with unit_of_work(db.engine) as s:
        current = command_structure(s, gold, incident_id)
        everyone = command_structure(s, gold, incident_id, current_only=False)
        (logged,) = handovers(s, gold, incident_id)
    assert [(c.commander.name, c.level_title) for c in current] == [("Ch Supt B. Jones", "Strategic (Gold)")]
    assert [c.commander.ended_at for c in everyone] == [handed_at, None]
    assert (logged.outgoing, logged.incoming, logged.handover.handed_over_at) == (
        "Ch Supt A. Khan", "Ch Supt B. Jones", handed_at)
    assert logged.handover.briefing.startswith("Hub at capacity")


def test_command_mistakes_are_refused(db, gold, incident_id, agency_id):
    with unit_of_work(db.engine) as s:
        first = assign_commander(s, gold, incident_id, agency_id, "tactical", "Supt C. Patel").id
    cases = [
        (lambda s: assign_commander(s, gold, incident_id, agency_id, "tactical", "Someone else"), "record a handover"),
        (lambda s: assign_commander(s, gold, incident_id, agency_id, "platinum", "X"), "Unknown command level"),
        (lambda s: hand_over(s, gold, first, "Supt D. Lee", now(), "  "), "briefing"),
        (lambda s: hand_over(s, gold, first, "Supt D. Lee", now() + timedelta(hours=1), "b"), "in the future"),
        (lambda s: hand_over(s, gold, first, "Supt D. Lee", now() - timedelta(days=1), "b"), "before"),
    ]
    for call, message in cases:
        with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
            call(s)
    with unit_of_work(db.engine) as s:
        hand_over(s, gold, first, "Supt D. Lee", now(), "all quiet")
    with pytest.raises(InputError, match="already handed over"), unit_of_work(db.engine) as s:
        hand_over(s, gold, first, "Supt E. Moss", now(), "again")


def test_a_handover_typed_in_the_minute_command_was_taken_is_accepted(db, gold, incident_id, agency_id,
                                                                      frozen_clock):
    """The form takes the time to the minute: named at 21:05:37, handed over "21:05" is not before it."""
    frozen_clock.set(frozen_clock.at.replace(hour=21, minute=5, second=37, microsecond=0))
    with unit_of_work(db.engine) as s:
        first = assign_commander(s, gold, incident_id, agency_id, "strategic", "Ch Supt A. Khan")
    typed = now().replace(second=0)
    with unit_of_work(db.engine) as s:
        hand_over(s, gold, first.id, "Ch Supt B. Jones", typed, "taken over at once")
    with unit_of_work(db.engine) as s:
        (logged,) = handovers(s, gold, incident_id)
    assert logged.handover.handed_over_at == now()  # at the outgoing commander's start, never before it
    with pytest.raises(InputError, match="before"), unit_of_work(db.engine) as s:
        later = command_structure(s, gold, incident_id)[0].commander
        hand_over(s, gold, later.id, "Ch Supt C. Doe", typed - timedelta(minutes=1), "a minute early")
