"""Service activations: the catalogue is data; each activation moves through its stages with who and when."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from incident.activation_service import (
    STARTER_CATALOGUE,
    Authority,
    activations_board,
    add_catalogue_service,
    catalogue,
    move_activation,
    request_activation,
    set_catalogue_service_active,
)
from incident.lifecycle_service import change_status
from incident.model import ServiceActivation
from tests import factories


def _service_id(db, actor, name="Victim and Witness Hub surge"):
    with unit_of_work(db.engine) as s:
        return next(c.id for c in catalogue(s, actor) if c.name == name)


def test_the_catalogue_starts_with_the_nine_services_once(db, gold):
    with unit_of_work(db.engine) as s:
        first = [c.name for c in catalogue(s, gold)]
    with unit_of_work(db.engine) as s:
        again = [c.name for c in catalogue(s, gold)]
    assert first == again == [name for name, _ in STARTER_CATALOGUE] and len(first) == 9


def test_an_administrator_extends_and_retires_catalogue_entries(db, make_actor, gold):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s:
        added = add_catalogue_service(s, admin, "  Faith  community liaison ", "Faith leaders and places of worship")
    assert added.name == "Faith community liaison"
    with pytest.raises(InputError, match="already has a service"), unit_of_work(db.engine) as s:
        add_catalogue_service(s, admin, "faith community LIAISON", "")
    with unit_of_work(db.engine) as s:
        set_catalogue_service_active(s, admin, added.id, False)
    with unit_of_work(db.engine) as s:
        assert "Faith community liaison" not in [c.name for c in catalogue(s, gold)]
        assert "Faith community liaison" in [c.name for c in catalogue(s, gold, include_retired=True)]


@pytest.mark.parametrize("role", ["gold", "hub_manager", "caseworker"])
def test_only_administrators_change_the_catalogue(db, make_actor, role):
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        add_catalogue_service(s, make_actor(role), "Something", "")


def test_an_activation_moves_through_every_stage_with_who_and_when(db, gold, incident_id, agency_id, frozen_clock,
                                                                   authority):
    service_id = _service_id(db, gold)
    with unit_of_work(db.engine) as s:
        activation_id = request_activation(s, gold, incident_id, service_id, agency_id, "surge to 24/7", authority).id
    for stage in ("standing_up", "operational", "stood_down"):
        frozen_clock.advance(timedelta(hours=1))
        with unit_of_work(db.engine) as s:
            move_activation(s, gold, activation_id, stage, authority=authority if stage == "stood_down" else Authority())
    with unit_of_work(db.engine) as s:
        (card,) = activations_board(s, gold, incident_id)
    assert (card.service, card.lead_agency, card.stage) == ("Victim and Witness Hub surge", "Victim Support",
                                                            "stood_down")
    assert [step.stage for step in card.steps] == ["requested", "standing_up", "operational", "stood_down"]
    assert [step.at - card.steps[0].at for step in card.steps] == [timedelta(hours=h) for h in range(4)]
    assert {step.by for step in card.steps} == {gold.display_name}
    assert card.steps[0].note == "surge to 24/7" and card.since == card.steps[-1].at


def test_skipping_a_stage_or_a_double_click_is_refused(db, gold, incident_id, agency_id, authority):
    with unit_of_work(db.engine) as s:
        activation_id = request_activation(s, gold, incident_id, _service_id(db, gold), agency_id,
                                           authority=authority).id
    with pytest.raises(InputError, match="cannot go from requested to operational"), unit_of_work(db.engine) as s:
        move_activation(s, gold, activation_id, "operational")
    with unit_of_work(db.engine) as s:
        move_activation(s, gold, activation_id, "standing_up")
    with pytest.raises(InputError, match="cannot go from standing up to standing up"), unit_of_work(db.engine) as s:
        move_activation(s, gold, activation_id, "standing_up")
    with unit_of_work(db.engine) as s:
        assert [step.stage for step in activations_board(s, gold, incident_id)[0].steps] == ["requested",
                                                                                              "standing_up"]


def test_a_service_runs_once_per_incident_but_may_be_requested_again_after_standing_down(
        db, gold, incident_id, agency_id, authority):
    service_id = _service_id(db, gold)
    with unit_of_work(db.engine) as s:
        first = request_activation(s, gold, incident_id, service_id, agency_id, authority=authority).id
    with pytest.raises(InputError, match="already activated"), unit_of_work(db.engine) as s:
        request_activation(s, gold, incident_id, service_id, agency_id, authority=authority)
    with unit_of_work(db.engine) as s:
        move_activation(s, gold, first, "stood_down", "request withdrawn", authority)
        request_activation(s, gold, incident_id, service_id, agency_id, authority=authority)
        assert s.query(ServiceActivation).count() == 2


def test_bad_requests_are_refused(db, make_actor, gold, incident_id, agency_id):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s:
        retired = add_catalogue_service(s, admin, "Old service", "").id
        set_catalogue_service_active(s, admin, retired, False)
    closed_agency_id = factories.agency(db, "Closed charity", active=False)
    for service_id, lead, message in ((retired, agency_id, "retired services"), (99999, agency_id, "catalogue"),
                                      (_service_id(db, gold), closed_agency_id, "active partner agency")):
        with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
            request_activation(s, gold, incident_id, service_id, lead)
    with unit_of_work(db.engine) as s:
        change_status(s, gold, incident_id, "cancelled", "false alarm")
    with pytest.raises(InputError, match="no longer possible"), unit_of_work(db.engine) as s:
        request_activation(s, gold, incident_id, _service_id(db, gold), agency_id)


def test_hub_managers_see_the_board_but_do_not_activate(db, make_actor, gold, incident_id, agency_id):
    hub = make_actor("hub_manager")
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        request_activation(s, hub, incident_id, _service_id(db, gold), agency_id)
    with unit_of_work(db.engine) as s:
        assert activations_board(s, hub, incident_id) == []


def test_the_stage_history_is_append_only_in_the_database(db, gold, incident_id, agency_id, authority):
    with unit_of_work(db.engine) as s:
        request_activation(s, gold, incident_id, _service_id(db, gold), agency_id, authority=authority)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE activation_stage_change SET stage = 'operational'"))


def _close(db, gold, incident_id, how: str) -> None:
    steps = ["cancelled"] if how == "cancelled" else ["response", "recovery", "stood_down"]
    with unit_of_work(db.engine) as s:
        for status in steps:
            change_status(s, gold, incident_id, status, "closing")


@pytest.mark.parametrize("how", ["stood_down", "cancelled"])
def test_a_closed_incidents_services_can_only_be_stood_down(db, gold, incident_id, agency_id, how, authority):
    """No service comes up in an incident that has ended; one left running is closed off in the record."""
    service_id = _service_id(db, gold)
    with unit_of_work(db.engine) as s:
        activation = request_activation(s, gold, incident_id, service_id, agency_id, authority=authority).id
    _close(db, gold, incident_id, how)
    label = how.replace("_", " ")
    with pytest.raises(InputError, match=f"This incident is {label}; a service can only be stood down now"), \
            unit_of_work(db.engine) as s:
        move_activation(s, gold, activation, "standing_up")
    with unit_of_work(db.engine) as s:
        assert s.get(ServiceActivation, activation).stage == "requested"
        move_activation(s, gold, activation, "stood_down", "closed off after the stand-down", authority)
    with unit_of_work(db.engine) as s:
        (card,) = activations_board(s, gold, incident_id)
    assert card.stage == "stood_down" and card.steps[-1].note == "closed off after the stand-down"


def test_after_stand_down_the_record_still_takes_decisions_and_the_team(db, make_actor, gold, incident_id, agency_id):
    """What Gold still does after stand-down: log (and correct) decisions, keep the caseworkers on
    (support goes on for months); what is refused: new services, hubs, commanders, M/ETHANE."""
    from core.clock import now
    from incident.command_service import assign_commander
    from incident.decision_service import Decision, log_decision
    from incident.hub_service import HubDetails, save_hub
    from incident.team_service import assign_to_team

    service_id, caseworker = _service_id(db, gold), make_actor("caseworker")
    _close(db, gold, incident_id, "stood_down")
    with unit_of_work(db.engine) as s:
        assert log_decision(s, gold, incident_id, Decision(now(), "Gold", "Debrief on Monday", "lessons")).sequence == 1
        assign_to_team(s, gold, incident_id, caseworker.user_id)
    for refused in (lambda s: save_hub(s, gold, incident_id, HubDetails("Late hub")),
                    lambda s: assign_commander(s, gold, incident_id, agency_id, "strategic", "Ch Supt Late"),
                    lambda s: request_activation(s, gold, incident_id, service_id, agency_id)):
        with pytest.raises(InputError, match="stood down"), unit_of_work(db.engine) as s:
            refused(s)
