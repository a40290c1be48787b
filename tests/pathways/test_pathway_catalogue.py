"""Pathways as data: the standard four, no debriefing anywhere, and which moves are allowed."""

import pytest

from pathways.pathway_catalogue import (
    STANDARD_PATHWAYS,
    PathwaySpec,
    StageSpec,
    debriefing_refusal,
    move_refusal,
    pathway_problems,
)


def test_the_standard_pathways_are_the_four_the_service_runs():
    assert [p.code for p in STANDARD_PATHWAYS] == [
        "adult_trauma", "children_young_people", "bereaved", "practical_support"]


@pytest.mark.parametrize("spec", STANDARD_PATHWAYS, ids=lambda s: s.code)
def test_every_standard_pathway_is_valid_starts_with_first_aid_and_never_debriefs(spec):
    assert pathway_problems(spec) == []
    assert "first aid" in spec.stages[0].name.lower() or "practical" in spec.stages[0].name.lower()
    for stage in spec.stages:
        assert debriefing_refusal(stage.code, stage.name, stage.intervention) == ""
        assert "debrief" not in f"{stage.code} {stage.name} {stage.intervention}".lower()


def test_adult_and_children_rescreen_at_one_three_six_nine_and_twelve_months():
    months = {p.code: p.screening_months for p in STANDARD_PATHWAYS}
    assert months["adult_trauma"] == months["children_young_people"] == months["bereaved"] == (1, 3, 6, 9, 12)


@pytest.mark.parametrize("name", ["Single-session debriefing", "Psychological de-briefing", "CISD group",
                                  "Critical incident stress DEBRIEF"])
def test_debriefing_is_refused_under_any_spelling(name):
    assert "NICE" in debriefing_refusal(name)


def _spec(**changes):
    base = dict(code="responders", name="Responders", description="", screening_months=(1, 3),
                stages=(StageSpec("first_support", "Psychological first aid", "PFA"),
                        StageSpec("monitor", "Active monitoring", "screening")),
                moves=(("first_support", "monitor"),))
    return PathwaySpec(**{**base, **changes})


def test_a_new_pathway_must_start_with_first_aid_name_real_stages_and_valid_months():
    assert pathway_problems(_spec()) == []
    bad = _spec(stages=(StageSpec("talk", "Group debriefing", "one session"),), moves=(("talk", "nowhere"),),
                screening_months=(0,))
    problems = " | ".join(pathway_problems(bad))
    assert "debriefing" in problems
    assert "first stage must be psychological first aid or practical support" in problems
    assert "names a stage the pathway does not have" in problems
    assert "screening months" in problems


def test_a_move_the_pathway_does_not_allow_is_refused_naming_the_allowed_ones():
    allowed = {("a", "b"), ("a", "c")}
    names = {"a": "First support", "b": "Monitoring", "c": "Assessment", "d": "Treatment"}
    assert move_refusal("a", "b", allowed, names) == ""
    refusal = move_refusal("a", "d", allowed, names)
    assert "'First support' to 'Treatment'" in refusal and "Assessment, Monitoring" in refusal
