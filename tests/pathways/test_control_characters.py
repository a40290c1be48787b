"""A NUL typed (or pasted) into any of the justice, support-plan, advocate or group-update fields is
refused with a message naming the field, and nothing is saved: PostgreSQL cannot store a NUL, so
without the refusal the page would crash there (and SQLite would keep it)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.auth.roles import Actor
from core.clock import london, now
from core.db import unit_of_work
from pathways.advocate_service import (
    NewRequest,
    appoint_advocate,
    export_requests,
    log_request,
    record_answer,
)
from pathways.consent_service import record_consent
from pathways.justice_service import (
    NewMilestone,
    RightsDetails,
    WitnessCareDetails,
    close_inform_task,
    record_milestone,
    save_victim_rights,
    save_witness_care,
)
from pathways.model import InformTask
from pathways.needs_service import assess_needs
from pathways.support_plan_service import NewAction, add_action, review_plan
from pathways.update_service import send_update
from tests.stored_rows import assert_control_character_refused


@dataclass(frozen=True)
class Scene:
    gold: Actor
    caseworker: Actor
    advocate: Actor
    incident_id: int
    person_id: int
    task_id: int
    request_id: int


@pytest.fixture
def scene(db, frozen_clock, incident_id, caseworker, make_actor, register) -> Scene:
    gold, advocate = make_actor("gold"), make_actor("advocate")
    person_id = register(roles=["witness"])
    today = london(now()).date()
    with unit_of_work(db.engine) as s:
        milestone = record_milestone(s, gold, incident_id, NewMilestone("charge", today, "Charged"))
        assess_needs(s, caseworker, person_id, ["housing"], "high")
        appoint_advocate(s, gold, incident_id, declared_on=today, declaration="SI 2027/1",
                         advocate_user_id=advocate.user_id, appointed_on=today)
        record_consent(s, caseworker, person_id, "advocate", given=True, lawful_basis="consent")
    with unit_of_work(db.engine) as s:
        task_id = s.query(InformTask.id).filter_by(milestone_id=milestone.id, person_id=person_id).scalar()
        request_id = log_request(s, advocate, incident_id, NewRequest("Home Office", "Timeline", today,
                                                                  person_ids=(person_id,))).id
    return Scene(gold, caseworker, advocate, incident_id, person_id, task_id, request_id)


def _today():
    return london(now()).date()


# What each form sends with a NUL in one field, and how the refusal names that field.
USES = {
    "milestone details": (lambda s, w: record_milestone(s, w.gold, w.incident_id,
                                                        NewMilestone("first_hearing", _today(), "Court\x00 1")),
                          "The details"),
    "told by": (lambda s, w: close_inform_task(s, w.caseworker, w.task_id, method="phone", told_by="D\x00C Shaw"),
                "Told by"),
    "told note": (lambda s, w: close_inform_task(s, w.caseworker, w.task_id, method="phone", note="Upset\x00"),
                  "The note"),
    "witness care officer": (lambda s, w: save_witness_care(s, w.caseworker, w.person_id,
                                                            WitnessCareDetails(officer="Jo\x00")),
                             "Witness care officer"),
    "witness care notes": (lambda s, w: save_witness_care(s, w.caseworker, w.person_id,
                                                          WitnessCareDetails(notes="\x00")), "The notes"),
    "officer in the case": (lambda s, w: save_victim_rights(s, w.caseworker, w.person_id,
                                                            RightsDetails(officer_in_case="DS\x00 Patel")),
                            "Officer in the case"),
    "support action": (lambda s, w: add_action(s, w.caseworker, w.person_id,
                                               NewAction("Call\x00", _today(), owner_user_id=w.caseworker.user_id)),
                       "What will be done"),
    "review note": (lambda s, w: review_plan(s, w.caseworker, w.person_id, "Better\x00"), "The review note"),
    "advocate declaration": (lambda s, w: appoint_advocate(
        s, w.gold, w.incident_id, declared_on=_today(), declaration="SI\x00", advocate_user_id=w.advocate.user_id,
        appointed_on=_today()), "The declaration"),
    "public authority": (lambda s, w: log_request(s, w.advocate, w.incident_id,
                                                  NewRequest("Home\x00 Office", "Timeline", _today(), person_ids=(w.person_id,))),
                         "The public authority"),
    "what was asked": (lambda s, w: log_request(s, w.advocate, w.incident_id,
                                                NewRequest("Home Office", "Time\x00line", _today(), person_ids=(w.person_id,))),
                       "What was asked"),
    "answer": (lambda s, w: record_answer(s, w.advocate, w.incident_id, w.request_id, answered_on=_today(),
                                          answer="Soon\x00"), "The answer"),
    "export recipient": (lambda s, w: export_requests(s, w.advocate, w.incident_id, "Secretary\x00"),
                         "The recipient"),
    "group update": (lambda s, w: send_update(s, w.caseworker, w.incident_id, "The hearing\x00 moved"),
                     "The update"),
}


@pytest.mark.parametrize("use", USES)
def test_a_nul_in_typed_text_is_refused_naming_the_field_and_nothing_changes(db, scene, use):
    send, field = USES[use]
    assert_control_character_refused(db.engine, lambda s: send(s, scene), field)
