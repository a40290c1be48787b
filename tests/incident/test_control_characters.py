"""A NUL typed (or pasted) into any of Gold's forms, hubs, the team, the commissioner's delegation or
the inquiry export is refused with a message naming the field, and nothing is saved: PostgreSQL
cannot store a NUL, so without the refusal the page would crash there (and SQLite would keep it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pytest

from core.auth.roles import Actor
from core.clock import now
from core.db import unit_of_work
from incident.activation_service import (
    Authority,
    add_catalogue_service,
    catalogue,
    move_activation,
    request_activation,
)
from incident.command_service import assign_commander, hand_over
from incident.decision_service import Decision, correct_decision, log_decision
from incident.delegation_service import record_delegation
from incident.delegation_terms import DelegationTerms
from incident.export import export_incident
from incident.hub_service import HubDetails, save_hub
from incident.lifecycle_service import change_status, declare_incident
from incident.methane import Methane
from incident.methane_service import submit_methane
from incident.team_service import assign_to_team, remove_from_team
from tests.stored_rows import assert_control_character_refused

METHANE = Methane(major_incident="declared", exact_location="Victoria Station, Manchester M3 1AR",
                  incident_type="Explosion", hazards="Secondary device not ruled out", access="RVP Great Ducie Street",
                  casualties="Not known", emergency_services="Police, fire, ambulance on scene")
DELEGATION = DelegationTerms("Police and Crime Commissioner", "Chief Constable", "Standing up victim support",
                             date(2026, 4, 1), "PCC decision notice 2026/014")
HUB = HubDetails(name="Town Hall Hub", address="Albert Square", postcode="M2 5DB", opening_hours="24 hours",
                 contact="0161 555 0100")


def _decision(**change) -> Decision:
    return Decision(**{"decided_at": now(), "decision_maker": "Ch Supt A. Khan", "decision": "Open the hub",
                       "rationale": "Hundreds of people affected", **change})


@dataclass(frozen=True)
class Scene:
    gold: Actor
    incident_id: int
    agency_id: int
    commander_id: int
    activation_id: int
    caseworker_id: int


@pytest.fixture
def scene(db, frozen_clock, gold, incident_id, agency_id, make_actor) -> Scene:
    caseworker = make_actor("caseworker")
    with unit_of_work(db.engine) as s:
        assign_to_team(s, gold, incident_id, caseworker.user_id)
        entry = log_decision(s, gold, incident_id, _decision(decision="Open the reception centre"))  # entry 1
        commander = assign_commander(s, gold, incident_id, agency_id, "strategic", "Ch Supt A. Khan")
        activation = request_activation(s, gold, incident_id, catalogue(s, gold)[0].id, agency_id,
                                        authority=Authority(entry.id))
        return Scene(gold, incident_id, agency_id, commander.id, activation.id, caseworker.user_id)


# What each form sends with a NUL in one field, and how the refusal names that field.
USES = {
    "incident name": (lambda s, w, tmp: declare_incident(s, w.gold, "Arena\x00", is_exercise=False, summary="",
                                                         reason="M/ETHANE"), "The incident's name"),
    "incident summary": (lambda s, w, tmp: declare_incident(s, w.gold, "Arena 2", is_exercise=False,
                                                            summary="Blast\x00", reason="M/ETHANE"), "The summary"),
    "declaring reason": (lambda s, w, tmp: declare_incident(s, w.gold, "Arena 2", is_exercise=False, summary="",
                                                            reason="\x00"), "The reason"),
    "status reason": (lambda s, w, tmp: change_status(s, w.gold, w.incident_id, "response", "Scene\x00 safe"),
                      "The reason"),
    "M/ETHANE part": (lambda s, w, tmp: submit_methane(s, w.gold, w.incident_id, replace(METHANE, hazards="Gas\x00")),
                      "H — Hazards"),
    "decision-maker": (lambda s, w, tmp: log_decision(s, w.gold, w.incident_id, _decision(decision_maker="A\x00")),
                       "The decision-maker"),
    "decision": (lambda s, w, tmp: log_decision(s, w.gold, w.incident_id, _decision(decision="Open\x00")),
                 "The decision"),
    "rationale": (lambda s, w, tmp: log_decision(s, w.gold, w.incident_id, _decision(rationale="\x00")),
                  "The rationale"),
    "options considered": (lambda s, w, tmp: log_decision(s, w.gold, w.incident_id,
                                                          _decision(options_considered="Helpline\x00")),
                           "The options considered"),
    "late reason": (lambda s, w, tmp: log_decision(s, w.gold, w.incident_id, _decision(late_reason="Radio\x00")),
                    "The reason it is late"),
    "correction reason": (lambda s, w, tmp: correct_decision(s, w.gold, w.incident_id, 1, _decision(),
                                                             "Wrong\x00 hub"), "The reason for the correction"),
    "hub name": (lambda s, w, tmp: save_hub(s, w.gold, w.incident_id, replace(HUB, name="Hub\x00")), "Name"),
    "hub address": (lambda s, w, tmp: save_hub(s, w.gold, w.incident_id, replace(HUB, address="\x00")), "Address"),
    "hub postcode": (lambda s, w, tmp: save_hub(s, w.gold, w.incident_id, replace(HUB, postcode="M2\x00")),
                     "Postcode"),
    "hub opening hours": (lambda s, w, tmp: save_hub(s, w.gold, w.incident_id, replace(HUB, opening_hours="24\x00")),
                          "Opening hours"),
    "hub contact": (lambda s, w, tmp: save_hub(s, w.gold, w.incident_id, replace(HUB, contact="0161\x00")),
                    "Contact"),
    "team removal reason": (lambda s, w, tmp: remove_from_team(s, w.gold, w.incident_id, w.caseworker_id, "Off\x00"),
                            "The reason"),
    "commander name": (lambda s, w, tmp: assign_commander(s, w.gold, w.incident_id, w.agency_id, "tactical",
                                                          "Supt\x00 Lee"), "The commander's rank and name"),
    "commander contact": (lambda s, w, tmp: assign_commander(s, w.gold, w.incident_id, w.agency_id, "tactical",
                                                             "Supt Lee", "07400\x00"), "The contact"),
    "incoming commander": (lambda s, w, tmp: hand_over(s, w.gold, w.commander_id, "Ch Supt\x00 Patel", now(),
                                                       "All passed on"), "The commander's rank and name"),
    "incoming contact": (lambda s, w, tmp: hand_over(s, w.gold, w.commander_id, "Ch Supt Patel", now(),
                                                     "All passed on", "\x00"), "The incoming commander's contact"),
    "handover briefing": (lambda s, w, tmp: hand_over(s, w.gold, w.commander_id, "Ch Supt Patel", now(), "All\x00"),
                          "The briefing"),
    "catalogue service name": (lambda s, w, tmp: add_catalogue_service(s, Actor.system("test"), "Helpline\x00", ""),
                               "The service's name"),
    "catalogue description": (lambda s, w, tmp: add_catalogue_service(s, Actor.system("test"), "Helpline 2",
                                                                      "\x00"), "What it is"),
    "activation note": (lambda s, w, tmp: request_activation(s, w.gold, w.incident_id, catalogue(s, w.gold)[1].id,
                                                             w.agency_id, "Asap\x00"), "The note"),
    "activation move note": (lambda s, w, tmp: move_activation(s, w.gold, w.activation_id, "standing_up", "Go\x00"),
                             "The note"),
    "activation's missing decision": (lambda s, w, tmp: request_activation(
        s, w.gold, w.incident_id, catalogue(s, w.gold)[1].id, w.agency_id, authority=Authority(late_reason="By\x00 phone")),
        "The reason the decision is not in the log yet"),
    "who delegates": (lambda s, w, tmp: record_delegation(s, w.gold, replace(DELEGATION, delegated_by="PCC\x00")),
                      "Who delegates"),
    "delegated to": (lambda s, w, tmp: record_delegation(s, w.gold, replace(DELEGATION, delegated_to="\x00")),
                     "To whom"),
    "what is delegated": (lambda s, w, tmp: record_delegation(s, w.gold, replace(DELEGATION, scope="Stand\x00 up")),
                          "What is delegated"),
    "delegation document": (lambda s, w, tmp: record_delegation(s, w.gold, replace(DELEGATION,
                                                                                  document_reference="2026/\x00")),
                            "The document reference"),
    "inquiry file recipient": (lambda s, w, tmp: export_incident(s, w.gold, w.incident_id, tmp,
                                                                 recipient="Inquiry\x00"), "The recipient"),
}


@pytest.mark.parametrize("use", USES)
def test_a_nul_in_typed_text_is_refused_naming_the_field_and_nothing_changes(db, scene, tmp_path, use):
    send, field = USES[use]
    assert_control_character_refused(db.engine, lambda s: send(s, scene, tmp_path / "export"), field)
    assert not (tmp_path / "export").exists()
