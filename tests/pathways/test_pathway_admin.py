"""Administrators add pathways (never debriefing) and load licensed item text; caseworkers cannot."""

import pytest
from sqlalchemy import select

from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from pathways.care_service import enrol, list_pathways
from pathways.model import FollowUp
from pathways.pathway_admin import add_pathway, item_texts, load_item_text
from pathways.pathway_catalogue import PathwaySpec, StageSpec

RESPONDERS = PathwaySpec(
    "responders", "First responders", "Peer support first", (1, 2),
    (StageSpec("first_support", "Psychological first aid and peer support", "TRiM-style peer support"),
     StageSpec("active_monitoring", "Active monitoring", "Screening")),
    (("first_support", "active_monitoring"),),
)


def test_an_administrator_adds_a_pathway_a_caseworker_can_then_use(db, frozen_clock, make_actor, register, caseworker):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s:
        add_pathway(s, admin, RESPONDERS)
    pid = register(roles=["responder"])
    with unit_of_work(db.engine) as s:
        assert "responders" in [v.pathway.code for v in list_pathways(s, caseworker)]
        enrol(s, caseworker, pid, "responders", "police officer at the scene")
    with unit_of_work(db.engine) as s:  # the pathway's own schedule replaces the one not yet due
        planned = s.scalars(select(FollowUp.month).where(FollowUp.person_id == pid, FollowUp.status == "planned"))
        assert sorted(planned) == [1, 2]
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="exists already"):
        add_pathway(s, admin, RESPONDERS)


@pytest.mark.parametrize("stage", [StageSpec("debrief", "Group debriefing", "One session the next day"),
                                   StageSpec("talk", "Talk it through", "single-session psychological debriefing")])
def test_no_administrator_can_add_debriefing(db, frozen_clock, make_actor, stage):
    spec = PathwaySpec("bad", "Bad", "", (1,), RESPONDERS.stages + (stage,),
                       RESPONDERS.moves + (("first_support", stage.code),))
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="NICE"):
        add_pathway(s, make_actor("admin"), spec)
    with unit_of_work(db.engine) as s:
        assert "bad" not in [v.pathway.code for v in list_pathways(s, make_actor("admin"))]


def test_caseworkers_may_not_change_pathways_or_item_text(db, frozen_clock, caseworker):
    with unit_of_work(db.engine) as s:
        with pytest.raises(PermissionDenied):
            add_pathway(s, caseworker, RESPONDERS)
        with pytest.raises(PermissionDenied):
            load_item_text(s, caseworker, "TSQ", [f"q{i}" for i in range(10)])


def test_licensed_item_text_is_loaded_by_an_administrator(db, frozen_clock, make_actor, caseworker):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s:
        assert item_texts(s, caseworker, "CRIES-8") == [f"Item {n}" for n in range(1, 9)]
        assert item_texts(s, caseworker, "PHQ-9")[8].startswith("Thoughts that you would be better off dead")
        with pytest.raises(InputError, match="CRIES-8 has 8 items: give one line per item, got 2"):
            load_item_text(s, admin, "CRIES-8", ["one", "two"])
        with pytest.raises(InputError, match="Only TSQ, CRIES-8"):
            load_item_text(s, admin, "PHQ-9", ["x"] * 9)
        load_item_text(s, admin, "CRIES-8", [f"licensed wording {n}" for n in range(1, 9)])
    with unit_of_work(db.engine) as s:
        assert item_texts(s, caseworker, "CRIES-8")[7] == "licensed wording 8"
