"""A new screening instrument is one entry in the registry (pathways.instruments). A throwaway form,
registered here in the test only, is scored by score(), offered for its ages, asked on the person
page and saved by the screening service, with no other code changed. An entry that cannot work is
refused when it is written."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

import pytest
from sqlalchemy import select

from core.db import unit_of_work
from core.errors import InputError
from pathways import instruments
from pathways.instruments import INSTRUMENTS, ItemAlert, registry
from pathways.model import SafetyAlert, Screening
from pathways.screening import instrument_for_age, score
from pathways.screening_service import record_screening

ADULT_FORMS = ("TSQ", "PCL-5", "PHQ-9", "GAD-7")
ALERT = "TEST-3 item 3: often — a clinician looks today"
ENTRY = dict(
    name="TEST-3", item_count=3, allowed_answers=(0, 1, 2), positive_from=4, from_age=30, before_age=40,
    severity_bands=((0, "low"), (3, "raised")), clusters=MappingProxyType({"A": (1, 2), "B": (3,)}),
    alerts=(ItemAlert(item=3, above=1, text=ALERT),), instructions="In the past week, how often:",
    answer_labels=MappingProxyType({0: "Never", 1: "Sometimes", 2: "Often"}),
    item_text=("Thrown-away question one", "Thrown-away question two", "Thrown-away question three"),
    use="Only in this test.",
)


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(instruments, "INSTRUMENTS", registry(*INSTRUMENTS.values(), instruments.Instrument(**ENTRY)))


def test_an_instrument_not_in_the_registry_is_unknown():
    with pytest.raises(ValueError, match="unknown instrument 'TEST-3'"):
        score("TEST-3", [0, 0, 0])


def test_a_registered_instrument_is_scored_by_its_entry(registered):
    result = score("TEST-3", [2, 2, 0])
    assert (result.instrument, result.total, result.band, result.positive, result.alerts) == (
        "TEST-3", 4, "raised", True, ())
    assert dict(result.clusters) == {"A": 4, "B": 0}
    low = score("TEST-3", [0, 0, 2])
    assert (low.total, low.band, low.positive, low.alerts) == (2, "low", False, (ALERT,))
    with pytest.raises(ValueError, match=r"^TEST-3 item 1: 3 is not an allowed answer \(0, 1, 2\)$"):
        score("TEST-3", [3, 0, 0])
    with pytest.raises(ValueError, match="^TEST-3 needs 3 answers, got 2$"):
        score("TEST-3", [0, 0])


def test_a_registered_instrument_is_offered_for_its_ages_only(registered):
    assert instrument_for_age(29) == ADULT_FORMS
    assert instrument_for_age(30) == instrument_for_age(39) == (*ADULT_FORMS, "TEST-3")
    assert instrument_for_age(40) == ADULT_FORMS
    assert instrument_for_age(12) == ("CRIES-8",)


def test_the_form_and_the_screening_service_take_a_registered_instrument(
        registered, db, frozen_clock, register, caseworker, app_as):
    thirty_five = register(date_of_birth=date(1991, 5, 1))
    forty_six = register(given_name="Omar", date_of_birth=date(1980, 5, 1))
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="TEST-3 is not used at age 46"):
        record_screening(s, caseworker, forty_six, "TEST-3", [0, 0, 0])

    page = app_as("caseworker", "pathways/pages/person.py", actor=caseworker, pathways_person_id=thirty_five,
                  pathways_view_reasons={thirty_five: "screening"}, person_tab="Screening")
    assert "TEST-3" in page.selectbox(key="screen_instrument").options
    page.selectbox(key="screen_instrument").set_value("TEST-3").run()
    assert [page.radio(key=f"q_TEST-3_{n}").label for n in (1, 2, 3)] == [
        "1. Thrown-away question one", "2. Thrown-away question two", "3. Thrown-away question three"]
    assert page.radio(key="q_TEST-3_1").options == ["0 Never", "1 Sometimes", "2 Often"]
    for number, points in enumerate([2, 1, 2], start=1):
        page.radio(key=f"q_TEST-3_{number}").set_value(points)
    next(b for b in page.button if b.label == "Save screening").click().run()
    assert not page.exception

    with unit_of_work(db.engine) as s:
        saved = s.scalar(select(Screening).where(Screening.person_id == thirty_five))
        alerts = s.scalars(select(SafetyAlert.text).where(SafetyAlert.person_id == thirty_five)).all()
        assert (saved.instrument, saved.result, saved.positive, saved.review_status) == (
            "TEST-3", "5; raised", True, "pending")
    assert alerts == [ALERT]


@pytest.mark.parametrize(("change", "problem"), [
    ({"name": "TEST-THREE-ITEMS"}, "the name must be 1 to 10 characters"),
    ({"allowed_answers": (2, 1, 0)}, "ascending"),
    ({"positive_from": 7}, "a total the form can reach"),
    ({"before_age": 30}, "end after it starts"),
    ({"severity_bands": ((3, "raised"), (0, "low"))}, "start at 0 and rise"),
    ({"clusters": MappingProxyType({"A": (1, 4)})}, "cluster item"),
    ({"alerts": (ItemAlert(item=0, above=0, text="x"),)}, "alert"),
    ({"item_text": ("only one",)}, "ship the text of every item"),
    ({"text_loaded_by_administrator": True}, "or none when an administrator loads it"),
    ({"answer_labels": MappingProxyType({3: "Always"})}, "answer labels"),
])
def test_an_entry_that_cannot_work_is_refused(change, problem):
    with pytest.raises(ValueError, match=f"^instrument '.*': .*{problem}"):
        instruments.Instrument(**(ENTRY | change))


def test_two_instruments_of_one_name_are_refused():
    with pytest.raises(ValueError, match="two instruments are named 'PHQ-9'"):
        registry(*INSTRUMENTS.values(), INSTRUMENTS["PHQ-9"])
