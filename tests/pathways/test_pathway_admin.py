"""Administrators add pathways (never debriefing) and load licensed item text; caseworkers cannot."""

import re

import pytest
from sqlalchemy import select

from core.audit.model import AuditEvent
from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from pathways.model import FollowUp
from pathways.pathway_admin import (
    add_pathway,
    add_pathway_from_form,
    item_texts,
    load_item_text,
    load_translation,
    translation_text,
)
from pathways.pathway_catalogue import PathwaySpec, StageSpec
from pathways.pathway_service import enrol, list_pathways
from pathways.queries import translated_wording
from tests.stored_rows import every_row

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


FORM = {"code": "peer_support", "name": "Peer support", "description": "Peers first", "months": "1, 3",
        "stages": "first_support | Psychological first aid | Prepare, look, listen, link\npeer | Peer support",
        "moves": "first_support > peer"}
ITEMS = [f"licensed wording {n}" for n in range(1, 9)]
CONTROL = "holds a control character"


def _form(s, admin, **change):
    return add_pathway_from_form(s, admin, **{**FORM, **change})


# The settings page's forms with one field its column cannot hold, and how the refusal names it.
REFUSED = {
    "code too long": (lambda s, a: _form(s, a, code="c" * 41), "The code is at most 40 characters (got 41)."),
    "NUL in the code": (lambda s, a: _form(s, a, code="peer\x00"), f"The code {CONTROL}"),
    "name too long": (lambda s, a: _form(s, a, name="n" * 121), "The name is at most 120 characters (got 121)."),
    "escape in the name": (lambda s, a: _form(s, a, name="Peer \x1b[31msupport"), f"The name {CONTROL}"),
    "NUL in the description": (lambda s, a: _form(s, a, description="Peers\x00"), f"The description {CONTROL}"),
    "stage code too long": (lambda s, a: _form(s, a, stages=FORM["stages"].replace("peer |", "p" * 41 + " |"),
                                               moves=f"first_support > {'p' * 41}"),
                            "The code of stage 2 is at most 40 characters (got 41)."),
    "stage name too long": (lambda s, a: _form(s, a, stages=FORM["stages"].replace("Peer support", "P" * 121)),
                            "The name of stage 2 is at most 120 characters (got 121)."),
    "NUL in an intervention": (lambda s, a: _form(s, a, stages=FORM["stages"].replace("link", "link\x00")),
                               f"The intervention of stage 1 {CONTROL}"),
    "more months than the column holds": (lambda s, a: _form(s, a, months=", ".join(map(str, range(31, 52)))),
                                          "a pathway has at most 20 screening months (got 21)"),
    "NUL in an item": (lambda s, a: load_item_text(s, a, "CRIES-8", [*ITEMS[:2], "Pictures\x00", *ITEMS[3:]]),
                       f"Item 3 {CONTROL}"),
    "item too long": (lambda s, a: load_item_text(s, a, "CRIES-8", [*ITEMS[:7], "w" * 1001]),
                      "Item 8 is at most 1,000 characters (got 1,001)."),
}


def test_the_forms_the_refusals_change_are_accepted(db, frozen_clock, make_actor):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s:
        _form(s, admin)
        load_item_text(s, admin, "CRIES-8", ITEMS)
    with unit_of_work(db.engine) as s:
        assert "peer_support" in [v.pathway.code for v in list_pathways(s, admin)]
        assert item_texts(s, admin, "CRIES-8") == ITEMS


@pytest.mark.parametrize("use", REFUSED)
def test_text_its_column_cannot_hold_is_refused_naming_the_field_and_nothing_changes(db, frozen_clock, make_actor,
                                                                                      use):
    send, message = REFUSED[use]
    admin = make_actor("admin")
    before = every_row(db.engine)
    with pytest.raises(InputError, match=f"^{re.escape(message)}"), unit_of_work(db.engine) as s:
        send(s, admin)
    assert every_row(db.engine) == before


WELSH_PHQ9 = ["Cyfarwyddiadau", "Ddim o gwbl", "Sawl diwrnod", "Mwy na hanner y dyddiau", "Bron bob dydd",
              *[f"Eitem {n}" for n in range(1, 10)]]


def test_a_validated_welsh_translation_is_loaded_checked_and_withdrawn(db, frozen_clock, make_actor, caseworker):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s:
        assert translation_text(s, admin, "PHQ-9", "cy") == []
        with pytest.raises(InputError, match=r"PHQ-9 takes 14 lines: the instructions, the 4 answers "
                                             r"\(0, 1, 2, 3 points\) in order, then the 9 items; got 13"):
            load_translation(s, admin, "PHQ-9", "cy", WELSH_PHQ9[:-1])
        with pytest.raises(InputError, match="Welsh only"):
            load_translation(s, admin, "PHQ-9", "fr", WELSH_PHQ9)
        with pytest.raises(InputError, match="Line 6 holds a control character"):
            load_translation(s, admin, "PHQ-9", "cy", [*WELSH_PHQ9[:5], "Eitem\x00", *WELSH_PHQ9[6:]])
        with pytest.raises(PermissionDenied):
            load_translation(s, caseworker, "PHQ-9", "cy", WELSH_PHQ9)
    with unit_of_work(db.engine) as s:
        assert translation_text(s, admin, "PHQ-9", "cy") == []  # nothing refused was kept
        assert load_translation(s, admin, "PHQ-9", "cy", ["", *WELSH_PHQ9, "  "]) == 14  # blank lines are not lines
    with unit_of_work(db.engine) as s:
        assert translation_text(s, admin, "PHQ-9", "cy") == WELSH_PHQ9
        wording = translated_wording(s, "PHQ-9", "cy")
        assert wording.answer_labels == {0: "Ddim o gwbl", 1: "Sawl diwrnod", 2: "Mwy na hanner y dyddiau",
                                         3: "Bron bob dydd"}
        assert wording.items[8] == "Eitem 9" and wording.instructions == "Cyfarwyddiadau"
        assert translated_wording(s, "GAD-7", "cy") is None
        assert s.scalars(select(AuditEvent.entity_id).where(AuditEvent.entity == "instrument_translation")).all() \
            == ["PHQ-9 cy"]
        assert load_translation(s, admin, "PHQ-9", "cy", [""]) == 0
    with unit_of_work(db.engine) as s:
        assert translated_wording(s, "PHQ-9", "cy") is None
        assert s.scalars(select(AuditEvent.action).where(AuditEvent.entity == "instrument_translation")
                         .order_by(AuditEvent.id)).all() == ["update", "delete"]
