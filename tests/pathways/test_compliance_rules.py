"""The Victims' Code compliance rules (met, missed, pending; the rate) and the equality-monitoring
groups the figures are broken down by."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pathways.compliance_rules import RIGHT_KEYS, Outcome, by_case_close, by_deadline, rate
from pathways.equality_monitoring import (
    AGE_BANDS,
    ETHNIC_GROUP_WORDS,
    ETHNIC_GROUPS,
    NOT_RECORDED,
    age_band,
    answer_group,
    ethnicity_group,
    refusal,
)
from pathways.victims_code import answer_due

DUE = datetime(2026, 11, 4, 23, 59, 59, tzinfo=UTC)
AT = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("done", "at", "expected"), [
    (DUE - timedelta(days=1), AT, Outcome.MET),
    (DUE, AT, Outcome.MET),  # on the deadline is in time
    (DUE + timedelta(seconds=1), AT, Outcome.MISSED),
    (None, AT, Outcome.MISSED),  # not done and the deadline passed
    (None, DUE, Outcome.PENDING),  # not done, still in time
    (DUE - timedelta(hours=1), DUE - timedelta(hours=2), Outcome.MET),
])
def test_a_right_with_a_deadline_is_met_in_time_missed_after_and_pending_until_then(done, at, expected):
    assert by_deadline(done, DUE, at) == expected


def test_a_need_without_a_deadline_is_missed_only_when_the_case_closed_without_it():
    assert by_case_close(True, False) == by_case_close(True, True) == Outcome.MET
    assert by_case_close(False, False) == Outcome.PENDING
    assert by_case_close(False, True) == Outcome.MISSED


def test_the_rate_is_met_of_those_decided_and_none_when_none_is():
    assert rate(3, 1) == 0.75
    assert rate(0, 4) == 0.0
    assert rate(0, 0) is None


def test_every_right_the_issue_names_is_measured():
    assert RIGHT_KEYS == ("right_1", "right_4_referral", "right_4_needs_assessment", "right_6", "right_12",
                          "enhanced_rights")


def test_a_complaint_is_due_twenty_working_days_after_the_london_day_it_came_in():
    # Received late on Friday 18 December 2026 (GMT in winter: the same London day).
    received = datetime(2026, 12, 18, 23, 30, tzinfo=UTC)
    due = answer_due(received, nation="england", working_days=20)
    # 25 and 28 December (Boxing Day, substituted) and 1 January are bank holidays in England.
    assert due.date() == date(2027, 1, 20)
    assert answer_due(received, nation="scotland", working_days=20).date() == date(2027, 1, 21)  # and 2 January (substituted: 4th)
    with pytest.raises(ValueError):
        answer_due(datetime(2026, 12, 18), working_days=20)


@pytest.mark.parametrize(("born", "band"), [
    (date(2008, 11, 11), "under 18"),  # 18 tomorrow
    (date(2008, 11, 10), "18 to 24"),
    (date(2001, 11, 11), "18 to 24"),
    (date(2001, 11, 10), "25 to 44"),
    (date(1961, 11, 10), "65 and over"),
    (None, NOT_RECORDED),
    (date(2027, 1, 1), NOT_RECORDED),  # born after the day: a mistyped date, not a negative age
])
def test_ages_are_banded_on_the_day_the_right_arose(born, band):
    assert age_band(born, date(2026, 11, 10)) == band
    assert band in {b for _, b in AGE_BANDS} | {NOT_RECORDED}


def test_answers_group_with_not_recorded_and_prefer_not_to_say_as_categories():
    assert answer_group(None) == answer_group("") == NOT_RECORDED
    assert answer_group("prefer_not_to_say") == "prefer not to say"
    assert answer_group("female") == "female"
    assert ethnicity_group("black_caribbean") == "Black, Black British, Black Welsh, Caribbean or African"
    assert ethnicity_group("white_roma") == "White"
    assert ethnicity_group(None) == NOT_RECORDED
    assert ethnicity_group("prefer_not_to_say") == "prefer not to say"


def test_the_ons_2021_classification_has_19_groups_in_5():
    assert len(ETHNIC_GROUPS) == 5 and len(ETHNIC_GROUP_WORDS) == 19


def test_unknown_answers_are_refused_and_empty_ones_are_not_recorded():
    assert refusal("female", "asian_indian", "yes") == ""
    assert refusal(None, "", None) == ""
    assert "sex" in refusal("woman", None, None)
    assert "ethnic group" in refusal(None, "British", None)
    assert "disability" in refusal(None, None, "maybe")
