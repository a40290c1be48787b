"""Screening questionnaires: totals, bands, cut-offs, alerts and refusal of bad answers.

Answer lists are written out by hand so each expected total can be checked by eye.
"""

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.instruments import INSTRUMENTS
from pathways.screening import instrument_for_age, score

SELF_HARM_ALERT = "PHQ-9 item 9: thoughts of self-harm — urgent safety review by a clinician today"
ADULT_INSTRUMENTS = ("TSQ", "PCL-5", "PHQ-9", "GAD-7")
ITEM_COUNTS = {"TSQ": 10, "PCL-5": 20, "PHQ-9": 9, "GAD-7": 7, "CRIES-8": 8}
ALLOWED = {
    "TSQ": (0, 1),
    "PCL-5": (0, 1, 2, 3, 4),
    "PHQ-9": (0, 1, 2, 3),
    "GAD-7": (0, 1, 2, 3),
    "CRIES-8": (0, 1, 3, 5),
}


# --- totals, bands and cut-offs at every edge --------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total", "band", "positive"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "none/minimal", False),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "none/minimal", False),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild", False),
        ([3, 3, 3, 0, 0, 0, 0, 0, 0], 9, "mild", False),
        ([3, 3, 3, 1, 0, 0, 0, 0, 0], 10, "moderate", True),
        ([3, 3, 3, 3, 2, 0, 0, 0, 0], 14, "moderate", True),
        ([3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderately severe", True),
        ([3, 3, 3, 3, 3, 3, 1, 0, 0], 19, "moderately severe", True),
        ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe", True),
        ([3, 3, 3, 3, 3, 3, 3, 3, 0], 24, "severe", True),
    ],
)
def test_phq9_bands(answers, total, band, positive):
    result = score("PHQ-9", answers)
    assert (result.instrument, result.total, result.band, result.positive) == ("PHQ-9", total, band, positive)
    assert result.alerts == ()  # item 9 is 0 in every row


def test_phq9_maximum():
    result = score("PHQ-9", [3] * 9)
    assert (result.total, result.band, result.positive) == (27, "severe", True)
    assert result.alerts == (SELF_HARM_ALERT,)


@pytest.mark.parametrize(
    ("answers", "total", "band", "positive"),
    [
        ([0, 0, 0, 0, 0, 0, 0], 0, "minimal", False),
        ([1, 1, 1, 1, 0, 0, 0], 4, "minimal", False),
        ([1, 1, 1, 1, 1, 0, 0], 5, "mild", False),
        ([3, 3, 3, 0, 0, 0, 0], 9, "mild", False),
        ([3, 3, 3, 1, 0, 0, 0], 10, "moderate", True),
        ([3, 3, 3, 3, 2, 0, 0], 14, "moderate", True),
        ([3, 3, 3, 3, 3, 0, 0], 15, "severe", True),
        ([3, 3, 3, 3, 3, 3, 3], 21, "severe", True),
    ],
)
def test_gad7_bands(answers, total, band, positive):
    result = score("GAD-7", answers)
    assert (result.instrument, result.total, result.band, result.positive) == ("GAD-7", total, band, positive)
    assert result.alerts == ()


@pytest.mark.parametrize(
    ("answers", "total", "positive"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, False),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0, 0], 5, False),
        ([1, 0, 1, 0, 1, 0, 1, 0, 1, 1], 6, True),
        ([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 10, True),
    ],
)
def test_tsq_cutoff_is_six(answers, total, positive):
    result = score("TSQ", answers)
    assert (result.total, result.positive) == (total, positive)
    assert result.band == ("positive" if positive else "below threshold")
    assert result.alerts == ()


@pytest.mark.parametrize(
    ("answers", "total", "positive"),
    [
        ([0] * 20, 0, False),
        ([4] * 8 + [0] * 12, 32, False),
        ([4] * 8 + [1] + [0] * 11, 33, True),
        ([4] * 20, 80, True),
    ],
)
def test_pcl5_default_cutoff_is_33(answers, total, positive):
    result = score("PCL-5", answers)
    assert (result.total, result.positive) == (total, positive)
    assert result.band == ("positive" if positive else "below threshold")


@pytest.mark.parametrize(
    ("answers", "total", "positive"),
    [
        ([0] * 8, 0, False),
        ([5, 5, 5, 1, 0, 0, 0, 0], 16, False),
        ([5, 5, 5, 1, 1, 0, 0, 0], 17, True),
        ([3, 3, 3, 3, 3, 1, 1, 0], 17, True),
        ([5] * 8, 40, True),
    ],
)
def test_cries8_cutoff_is_17(answers, total, positive):
    result = score("CRIES-8", answers)
    assert (result.total, result.positive) == (total, positive)
    assert result.band == ("positive" if positive else "below threshold")
    assert result.alerts == ()


# --- PCL-5 cut-off choice and clusters -----------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "total", "positive"),
    [
        (31, 30, False),
        (31, 31, True),
        (32, 31, False),
        (32, 32, True),
        (33, 32, False),
        (33, 33, True),
    ],
)
def test_pcl5_cutoff_can_be_chosen(threshold, total, positive):
    answers = [4] * (total // 4) + [total % 4] + [0] * (19 - total // 4)
    assert sum(answers) == total and len(answers) == 20
    result = score("PCL-5", answers, pcl5_threshold=threshold)
    assert (result.total, result.positive) == (total, positive)
    assert result.band == ("positive" if positive else "below threshold")


def test_pcl5_cutoff_does_not_move_other_instruments():
    # PHQ-9 total 9 stays negative even with a low PCL-5 cut-off.
    assert score("PHQ-9", [3, 3, 3, 0, 0, 0, 0, 0, 0], pcl5_threshold=5).positive is False


@pytest.mark.parametrize("threshold", [0, 81, -33, True, 33.0, "33", None])
def test_pcl5_cutoff_must_be_reachable_whole_number(threshold):
    with pytest.raises(ValueError, match="pcl5_threshold"):
        score("PCL-5", [0] * 20, pcl5_threshold=threshold)


def test_pcl5_cluster_subtotals():
    answers = [
        *[1, 2, 3, 4, 0],  # B, items 1-5: 10
        *[4, 3],  # C, items 6-7: 7
        *[0, 1, 0, 1, 0, 1, 0],  # D, items 8-14: 3
        *[2, 2, 2, 2, 2, 2],  # E, items 15-20: 12
    ]
    result = score("PCL-5", answers)
    assert dict(result.clusters) == {"B": 10, "C": 7, "D": 3, "E": 12}
    assert result.total == 32


@pytest.mark.parametrize(
    ("item", "cluster"),
    [(1, "B"), (5, "B"), (6, "C"), (7, "C"), (8, "D"), (14, "D"), (15, "E"), (20, "E")],
)
def test_pcl5_cluster_edges(item, cluster):
    answers = [0] * 20
    answers[item - 1] = 3
    expected = {"B": 0, "C": 0, "D": 0, "E": 0} | {cluster: 3}
    assert dict(score("PCL-5", answers).clusters) == expected


@pytest.mark.parametrize("instrument", ["TSQ", "PHQ-9", "GAD-7", "CRIES-8"])
def test_only_pcl5_has_clusters(instrument):
    assert dict(score(instrument, [1] * ITEM_COUNTS[instrument]).clusters) == {}


# --- PHQ-9 item 9: self-harm ---------------------------------------------------------------


@pytest.mark.parametrize(("item9", "alerted"), [(0, False), (1, True), (2, True), (3, True)])
def test_phq9_item9_alert_even_when_total_is_low(item9, alerted):
    result = score("PHQ-9", [0, 0, 0, 0, 0, 0, 0, 0, item9])
    assert result.total == item9
    assert result.band == "none/minimal"
    assert result.positive is False
    assert result.alerts == ((SELF_HARM_ALERT,) if alerted else ())


def test_phq9_alert_is_only_about_item_9():
    # Item 8 at its maximum, item 9 at 0: no alert, despite a moderate total.
    result = score("PHQ-9", [1, 1, 1, 1, 1, 1, 1, 3, 0])
    assert (result.total, result.band) == (10, "moderate")
    assert result.alerts == ()


def test_alert_names_item_and_urgency():
    (alert,) = score("PHQ-9", [0] * 8 + [1]).alerts
    assert alert.startswith("PHQ-9 item 9:")
    assert "clinician today" in alert


# --- refusing answers the form cannot give -----------------------------------------------


@pytest.mark.parametrize("instrument", list(ITEM_COUNTS))
@pytest.mark.parametrize("delta", [-1, +1])
def test_wrong_number_of_answers(instrument, delta):
    count = ITEM_COUNTS[instrument] + delta
    with pytest.raises(
        ValueError, match=f"^{instrument} needs {ITEM_COUNTS[instrument]} answers, got {count}$"
    ):
        score(instrument, [0] * count)


def test_no_answers_at_all():
    with pytest.raises(ValueError, match="^PHQ-9 needs 9 answers, got 0$"):
        score("PHQ-9", [])


def test_disallowed_value_message_names_the_item():
    with pytest.raises(ValueError) as raised:
        score("PHQ-9", [0, 0, 0, 7, 0, 0, 0, 0, 0])
    assert str(raised.value) == "PHQ-9 item 4: 7 is not an allowed answer (0, 1, 2, 3)"


@pytest.mark.parametrize(
    ("instrument", "bad"),
    [
        ("TSQ", 2),
        ("TSQ", -1),
        ("PCL-5", 5),
        ("PCL-5", -1),
        ("PHQ-9", 4),
        ("PHQ-9", -1),
        ("GAD-7", 4),
        ("CRIES-8", 2),  # CRIES-8 scores 0, 1, 3, 5: the gaps are not answers
        ("CRIES-8", 4),
        ("CRIES-8", 6),
    ],
)
def test_values_the_form_cannot_give(instrument, bad):
    answers = [0] * ITEM_COUNTS[instrument]
    answers[2] = bad
    with pytest.raises(ValueError, match=f"^{instrument} item 3: "):
        score(instrument, answers)


@pytest.mark.parametrize(
    "bad",
    [None, True, False, 1.0, 2.5, "1", b"1", [1]],
    ids=["None", "True", "False", "float", "fraction", "str", "bytes", "list"],
)
@pytest.mark.parametrize("instrument", list(ITEM_COUNTS))
def test_missing_bool_and_non_int_answers(instrument, bad):
    answers = [0] * ITEM_COUNTS[instrument]
    answers[-1] = bad
    with pytest.raises(ValueError, match=f"^{instrument} item {ITEM_COUNTS[instrument]}: "):
        score(instrument, answers)


def test_missing_answer_is_reported_as_missing():
    with pytest.raises(ValueError, match=r"^PHQ-9 item 4: no answer given \(0, 1, 2, 3\)$"):
        score("PHQ-9", [0, 0, 0, None, 0, 0, 0, 0, 0])


@pytest.mark.parametrize(
    "answers",
    ["000000000", b"\x00" * 9, {i: 0 for i in range(1, 10)}, set(range(9)), None, 0, iter([0] * 9)],
    ids=["str", "bytes", "dict", "set", "None", "int", "iterator"],
)
def test_answers_must_be_an_ordered_list(answers):
    with pytest.raises(ValueError, match="^PHQ-9 answers must be a list"):
        score("PHQ-9", answers)


def test_tuple_of_answers_is_accepted():
    assert score("GAD-7", (1, 1, 1, 1, 1, 0, 0)).total == 5


@pytest.mark.parametrize("name", ["PHQ9", "phq-9", "PCL5", "CRIES", "", None, ["PHQ-9"]])
def test_unknown_instrument_lists_the_known_ones(name):
    with pytest.raises(ValueError, match="unknown instrument") as raised:
        score(name, [0] * 9)
    for known in ITEM_COUNTS:
        assert known in str(raised.value)


# --- the result only flags -----------------------------------------------------------------


def test_positive_result_sends_to_a_clinician():
    result = score("GAD-7", [3, 3, 3, 1, 0, 0, 0])
    assert result.positive is True
    assert "clinician" in result.next_step
    assert "not a diagnosis" in result.next_step


def test_negative_result_flags_nothing():
    result = score("GAD-7", [3, 3, 3, 0, 0, 0, 0])
    assert result.positive is False
    assert "nothing flagged" in result.next_step


def test_result_is_immutable_and_hashable():
    result = score("PCL-5", [1] * 20)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = 0
    with pytest.raises(TypeError):
        result.clusters["B"] = 0
    assert hash(result) == hash(score("PCL-5", [1] * 20))
    assert result == score("PCL-5", [1] * 20)


# --- which instruments for which age -------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "instruments"),
    [
        (0, ()),
        (7, ()),
        (8, ("CRIES-8",)),
        (17, ("CRIES-8",)),
        (18, ADULT_INSTRUMENTS),
        (95, ADULT_INSTRUMENTS),
    ],
)
def test_instrument_for_age(age, instruments):
    assert instrument_for_age(age) == instruments


def test_under_eights_go_to_clinician_judgement(db, frozen_clock, register, caseworker, app_as):
    from core.db import unit_of_work
    from core.errors import InputError
    from pathways.screening_service import record_screening

    pid = register(date_of_birth=date(2020, 6, 1))  # 6 on the frozen day
    for name, form in INSTRUMENTS.items():
        with unit_of_work(db.engine) as s, pytest.raises(
                InputError, match=r"offer no self-report screen \(under 8: refer for clinician judgement\)"):
            record_screening(s, caseworker, pid, name, [form.allowed_answers[0]] * form.item_count)
    at = app_as("caseworker", "pathways/pages/person.py", actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "screening"}, person_tab="Screening")
    assert "Refer for clinician judgement" in at.info[0].value
    assert not [b for b in at.button if b.label == "Save screening"]


@pytest.mark.parametrize(("born", "offered", "refused"), [
    (date(2008, 11, 24), "CRIES-8", "PHQ-9"),  # 18 tomorrow: still a child
    (date(2008, 11, 23), "PHQ-9", "CRIES-8"),  # 18 today: an adult in law, the adult forms
])
def test_on_the_18th_birthday_the_adult_forms_take_over_from_cries8(
        db, frozen_clock, register, caseworker, born, offered, refused):
    from core.db import unit_of_work
    from core.errors import InputError
    from pathways.screening_service import record_screening

    pid = register(date_of_birth=born)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match=f"{refused} is not used at age"):
        record_screening(s, caseworker, pid, refused, [0] * ITEM_COUNTS[refused])
    with unit_of_work(db.engine) as s:
        # Screened on the day of the incident: CRIES-8, a trauma screen, needs the clinician's reason.
        assert record_screening(s, caseworker, pid, offered, [0] * ITEM_COUNTS[offered],
                                early_reason="baseline asked for by CAMHS").instrument == offered


@pytest.mark.parametrize("age", [-1, 7.5, True, "18", None])
def test_age_must_be_whole_years(age):
    with pytest.raises(ValueError, match="age_years"):
        instrument_for_age(age)


# --- instrument data -----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ITEM_COUNTS))
def test_instrument_definitions(name):
    form = INSTRUMENTS[name]
    assert form.item_count == ITEM_COUNTS[name]
    assert form.allowed_answers == ALLOWED[name]


@pytest.mark.parametrize("name", ["PHQ-9", "GAD-7", "PCL-5"])
def test_public_instruments_ship_their_text(name):
    form = INSTRUMENTS[name]
    assert len(form.item_text) == form.item_count
    assert all(text.strip() for text in form.item_text)
    assert tuple(form.answer_labels) == form.allowed_answers
    assert form.instructions


@pytest.mark.parametrize("name", ["TSQ", "CRIES-8"])
def test_licensed_instruments_ship_no_text(name):
    form = INSTRUMENTS[name]
    assert form.item_text == ()
    assert dict(form.answer_labels) == {}
    assert form.instructions == ""


def test_phq9_item_9_is_the_self_harm_question():
    assert "hurting yourself" in INSTRUMENTS["PHQ-9"].item_text[8]


# --- property ------------------------------------------------------------------------------


@st.composite
def completed_forms(draw):
    name = draw(st.sampled_from(list(ITEM_COUNTS)))
    answers = draw(
        st.lists(st.sampled_from(ALLOWED[name]), min_size=ITEM_COUNTS[name], max_size=ITEM_COUNTS[name])
    )
    return name, answers


@given(completed_forms())
def test_any_completed_form_scores_within_range(form):
    name, answers = form
    result = score(name, answers)
    assert 0 <= result.total <= ITEM_COUNTS[name] * max(ALLOWED[name])
    assert result.total == sum(answers)
    if name == "PCL-5":
        assert sum(result.clusters.values()) == result.total
    # The self-harm alert depends on item 9 alone, whatever the total.
    assert (SELF_HARM_ALERT in result.alerts) == (name == "PHQ-9" and answers[8] > 0)
