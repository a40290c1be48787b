"""Victims' feedback in the compliance report: the survey's figures by month and in all, each count a
part of a whole (answered of offered, satisfied of answered…), hidden with whatever could give a small
number away, and rates never "fewer than 5"."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from outreach.queries import FeedbackAnswer
from standup.compliance.feedback import PARTS, feedback_figures
from standup.compliance.small_numbers import SECONDARY, SUPPRESSED, THRESHOLD

NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)


def _answers(month: date, n: int, **yes: int) -> list[FeedbackAnswer]:
    """`n` surveys offered in `month` to n people; the first yes[fact] of them have that fact."""
    facts = ("answered", "satisfied", "asked_informed", "kept_informed", "asked_respect", "treated_with_respect")
    start = month.month * 1000
    return [FeedbackAnswer(start + i, month, *(i < yes.get(fact, 0) for fact in facts)) for i in range(n)]


def test_figures_with_nothing_small_are_shown_with_their_rates():
    answers = _answers(NOV, 20, answered=10, satisfied=5, asked_informed=10, kept_informed=5, asked_respect=10,
                       treated_with_respect=10)
    figures, hidden = feedback_figures(answers, ["2026-11"])
    (november,) = figures.by_month
    expected = (20, 10, 5, 50.0, 5, 50.0, 10, 100.0)
    assert tuple(vars(figures.overall).values())[1:] == expected == tuple(vars(november).values())[1:]
    assert not hidden.primary and not hidden.secondary


def test_a_small_rest_hides_what_it_could_be_worked_out_from_and_rates_never_read_fewer_than_5():
    # November: 12 offered, 10 answered (2 did not: fewer than 5), 8 of them satisfied (2 not).
    # December: 3 offered, none answered.
    answers = (_answers(NOV, 12, answered=10, satisfied=8, asked_informed=10, kept_informed=10, asked_respect=10,
                        treated_with_respect=10)
               + _answers(DEC, 3))
    figures, _ = feedback_figures(answers, ["2026-11", "2026-12"])
    november, december = figures.by_month
    assert december.offered == SUPPRESSED and december.answered == 0
    assert november.answered in (SUPPRESSED, SECONDARY)  # 12 offered less it would give the 2 who did not answer
    for line in (figures.overall, november, december):
        for rate in (line.satisfied_percent, line.kept_informed_percent, line.treated_with_respect_percent):
            assert rate != SUPPRESSED
    # November's 12 is alone beside December's hidden 3 in the total: one of the two is hidden too.
    assert SECONDARY in (november.offered, figures.overall.offered)


def test_one_person_offered_twice_in_a_month_is_one_person():
    twice = [FeedbackAnswer(7, NOV, True, True, True, True, True, True)] * 6  # the same person, six surveys
    figures, hidden = feedback_figures(twice, ["2026-11"])
    assert figures.overall.offered == SUPPRESSED and figures.by_month[0].answered == SUPPRESSED
    assert hidden.primary


month_counts = st.lists(st.tuples(*[st.integers(0, 9)] * 7), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(month_counts)
def test_no_shown_count_describes_fewer_than_5_people_and_no_whole_has_one_hidden_part(months):
    answers, names = [], []
    for k, (offered, *parts) in enumerate(months):
        month = date(2026, 1 + k, 1)
        names.append(f"{month:%Y-%m}")
        # Nested: answered ≤ offered; satisfied, asked_* ≤ answered; kept/treated ≤ their asked.
        answered = min(parts[0], offered)
        satisfied, asked_i, asked_r = (min(p, answered) for p in (parts[1], parts[2], parts[4]))
        kept, treated = min(parts[3], asked_i), min(parts[5], asked_r)
        answers += _answers(month, offered, answered=answered, satisfied=satisfied, asked_informed=asked_i,
                            kept_informed=kept, asked_respect=asked_r, treated_with_respect=treated)
    figures, hidden = feedback_figures(answers, names)
    for line in (figures.overall, *figures.by_month):
        for value in (line.offered, line.answered, line.satisfied, line.kept_informed, line.treated_with_respect):
            assert isinstance(value, str) or value == 0 or value >= THRESHOLD
    hidden_cells = hidden.primary | hidden.secondary
    for row in ("all", *names):
        for part, whole in PARTS:
            members = [(row, whole), (row, part), (row, f"not {part}")]
            assert sum(m in hidden_cells for m in members) != 1, (row, part, whole)
