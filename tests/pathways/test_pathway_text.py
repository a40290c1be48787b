"""A pathway as an administrator writes it on the settings page: stage and move lines read into a
definition, and a line that fits neither shape refused by name, never silently dropped."""

import pytest
from sqlalchemy import select

from core.db import unit_of_work
from core.errors import InputError
from pathways.model import Pathway
from pathways.pathway_admin import add_pathway_from_form
from pathways.pathway_catalogue import StageSpec
from pathways.pathway_text import parse_moves, parse_stages
from pathways.queries import translated_wording
from tests.page_text import as_read

STAGES = """
first_support | Psychological first aid | Prepare, look, listen, link
peer | Peer support
"""


def test_stage_lines_read_with_an_optional_intervention_and_blank_lines_skipped():
    assert parse_stages(STAGES) == (StageSpec("first_support", "Psychological first aid", "Prepare, look, listen, link"),
                                    StageSpec("peer", "Peer support", ""))


@pytest.mark.parametrize(("text", "message"), [
    ("a | b | c | d", r"stage line 1 \('a \| b \| c \| d'\) has 4 parts"),
    ("ok | Fine\njust_a_code", r"stage line 2 \('just_a_code'\) needs a code and a name"),
    (" | A name", "needs a code and a name"),
])
def test_a_stage_line_that_is_not_code_name_intervention_is_refused_by_number(text, message):
    with pytest.raises(ValueError, match=message):
        parse_stages(text)


def test_move_lines_read():
    assert parse_moves("first_support > peer\n\n  peer>first_support ") == (("first_support", "peer"),
                                                                           ("peer", "first_support"))


@pytest.mark.parametrize("line", ["first_support - peer", "first_support >", "> peer", "a > b > c"])
def test_a_move_line_without_one_arrow_between_two_codes_is_refused_not_dropped(line):
    with pytest.raises(ValueError, match=r"move line 2 .* is not from_code > to_code"):
        parse_moves(f"first_support > peer\n{line}")


def test_the_settings_form_refuses_a_bad_line_for_a_person_and_saves_nothing(db, frozen_clock, make_actor):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match=r"^Move line 1 \('first_support - peer'\)"):
        add_pathway_from_form(s, admin, "peer_support", "Peer support", "", "1, 3", STAGES, "first_support - peer")
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Pathway).where(Pathway.code == "peer_support")) is None
        add_pathway_from_form(s, admin, "peer_support", "Peer support", "", "1, 3", STAGES, "first_support > peer")
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Pathway.screening_months).where(Pathway.code == "peer_support")) == "1,3"


def test_the_settings_page_adds_a_pathway_or_shows_what_to_correct(app_as, db, frozen_clock):
    at = app_as("admin", "pathways/pages/admin.py")

    def field(kind, label):
        return next(w for w in getattr(at, kind) if w.label == label)

    field("text_input", "Code (e.g. responders)").input("peer_support")
    field("text_input", "Name").input("Peer support")
    field("text_area", "Stages").input(STAGES)
    field("text_area", "Moves").input("first_support to peer")
    field("button", "Add pathway").click().run()
    assert any("Move line 1 ('first_support to peer') is not from_code > to_code" in as_read(e.value) for e in at.error)
    field("text_area", "Moves").input("first_support > peer")
    field("button", "Add pathway").click().run()
    assert not at.exception and any("Added Peer support." in s.value for s in at.success)


def test_the_settings_page_loads_a_welsh_translation_or_says_what_each_line_is(app_as, db, frozen_clock):
    at = app_as("admin", "pathways/pages/admin.py")
    next(w for w in at.selectbox if w.key == "translated_instrument").select("GAD-7").run()
    box = next(w for w in at.text_area if w.label.startswith("One line each:"))
    assert box.label == "One line each: 12 lines: the instructions, the 4 answers (0, 1, 2, 3 points) in order, then the 7 items"
    box.input("Cyfarwyddiadau\nDdim o gwbl")  # a form: kept until its button
    next(w for w in at.button if w.label == "Save Welsh wording").click().run()
    assert any("GAD-7 takes 12 lines" in as_read(e.value) and "got 2" in as_read(e.value) for e in at.error)
    lines = ["Cyfarwyddiadau", "Ddim o gwbl", "Sawl diwrnod", "Mwy na hanner", "Bron bob dydd",
             *[f"Eitem {n}" for n in range(1, 8)]]
    next(w for w in at.text_area if w.label.startswith("One line each:")).input("\n".join(lines))
    next(w for w in at.button if w.label == "Save Welsh wording").click().run()
    assert not at.exception and any("Saved." in s.value for s in at.success)
    with unit_of_work(db.engine) as s:
        assert translated_wording(s, "GAD-7", "cy").items[6] == "Eitem 7"
