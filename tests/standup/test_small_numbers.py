"""Small-number suppression: over many random tables shaped like the compliance report's, no cell
describing 1 to 4 people is shown, and no sum is left with a single hidden figure (which its total
less the others would give away)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.compliance_rules import RIGHTS, Outcome
from pathways.queries import CodeCase
from standup.compliance.report import BREAKDOWNS, right_figures
from standup.compliance.report import MEASURES as LINE_MEASURES
from standup.compliance.small_numbers import SECONDARY, SUPPRESSED, THRESHOLD, Cell, suppress

MEASURES = ("met", "missed", "pending")


def _table(rows: list[list[int]]):
    """A report-shaped table: each row's eligible = its measures; the overall row = the rows' sums."""
    cells, sums = {}, []
    for i, counts in enumerate(rows):
        for m, n in zip(MEASURES, counts, strict=True):
            cells[(i, m)] = Cell(n, n)
        cells[(i, "eligible")] = Cell(sum(counts), sum(counts))
        sums.append(((i, "eligible"), [(i, m) for m in MEASURES]))
    for m in (*MEASURES, "eligible"):
        total = sum(cells[(i, m)].count for i in range(len(rows)))
        cells[("all", m)] = Cell(total, total)
        sums.append((("all", m), [(i, m) for i in range(len(rows))]))
    sums.append((("all", "eligible"), [("all", m) for m in MEASURES]))
    return cells, sums


counts = st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=1, max_size=8)


@settings(max_examples=400, deadline=None)
@given(counts)
def test_no_figure_of_fewer_than_5_people_is_shown_nor_can_be_worked_out(rows):
    cells, sums = _table(rows)
    hidden = suppress(cells, sums)
    for key, cell in cells.items():
        shown = hidden.shown(key, cell.count)
        if 0 < cell.people < THRESHOLD:
            assert shown == SUPPRESSED, key
        elif key in hidden.secondary:
            assert shown == SECONDARY and cell.count > 0
        else:
            assert shown == cell.count
    for total, parts in sums:
        assert sum(1 for k in (total, *parts) if k in hidden.primary | hidden.secondary) != 1, (total, parts)


def test_the_next_smallest_figure_of_the_sum_is_the_one_hidden_too():
    cells, sums = _table([[3, 0, 10], [20, 6, 9]])
    hidden = suppress(cells, sums)
    assert hidden.primary == {(0, "met")}
    # Row 0: 3 hidden, 0 shown, so 10 goes; the overall "met" (23) would give row 0's 3 from row 1's 20: 20 goes.
    assert {(0, "pending"), (1, "met")} <= hidden.secondary
    assert hidden.shown((0, "missed"), 0) == 0


def test_a_case_count_of_5_or_more_among_fewer_than_5_people_is_still_hidden():
    hidden = suppress({"told": Cell(8, 3), "all": Cell(8, 3)}, [])
    assert hidden.shown("told", 8) == SUPPRESSED


def test_nothing_is_hidden_when_every_figure_is_0_or_5_and_more():
    cells, sums = _table([[5, 0, 7], [0, 0, 0], [12, 6, 5]])
    hidden = suppress(cells, sums)
    assert not hidden.primary and not hidden.secondary


# --- The same, through the report: random cases of one right, every breakdown ------------------------

GROUPS = {"month": ["2026-10", "2026-11", "2026-12"], "age_band": ["under 18", "18 to 24", "not recorded"],
          "sex": ["female", "male", "not recorded"], "ethnicity": ["White", "Other ethnic group", "not recorded"],
          "disability": ["yes", "no", "not recorded"], "incident": ["Arena"]}
cases = st.lists(st.builds(
    lambda person, month, outcome, age, sex, ethnicity, disability: CodeCase(
        "right_6", 1, person, date(2026, 10 + month, 1), outcome, age, sex, ethnicity, disability),
    st.integers(1, 25), st.integers(0, 2), st.sampled_from(list(Outcome)), st.sampled_from(GROUPS["age_band"]),
    st.sampled_from(GROUPS["sex"]), st.sampled_from(GROUPS["ethnicity"]), st.sampled_from(GROUPS["disability"])),
    max_size=60)


def _people(cases_of_right, breakdown: str | None, group: str | None, measure: str) -> int:
    def in_group(c) -> bool:
        if breakdown is None:
            return True
        value = f"{c.arose_on:%Y-%m}" if breakdown == "month" else "Arena" if breakdown == "incident" else getattr(
            c, breakdown)
        return value == group
    return len({c.person_id for c in cases_of_right if in_group(c) and measure in ("eligible", c.outcome.value)})


@settings(max_examples=200, deadline=None)
@given(cases)
def test_no_figure_of_the_report_shows_fewer_than_5_people_nor_stands_hidden_alone(random_cases):
    figures, _ = right_figures(RIGHTS[3], random_cases, GROUPS, {1: "Arena"})
    lines = [(None, figures.overall)] + [(b, line) for b, _ in BREAKDOWNS for line in figures.breakdowns[b]]
    hidden_marks = (SUPPRESSED, SECONDARY)
    for breakdown, line in lines:
        for measure in LINE_MEASURES:
            value = getattr(line, measure)
            people = _people(random_cases, breakdown, line.group if breakdown else None, measure)
            if isinstance(value, int) and value:
                assert people >= THRESHOLD, (breakdown, line)
            if 0 < people < THRESHOLD:
                assert value == SUPPRESSED
        assert sum(getattr(line, m) in hidden_marks for m in LINE_MEASURES) != 1, line
        if line.rate is not None and not isinstance(line.rate, str):
            assert line.met not in hidden_marks and line.missed not in hidden_marks
    for breakdown, _ in BREAKDOWNS:
        for measure in LINE_MEASURES:
            column = [getattr(figures.overall, measure)] + [getattr(line, measure)
                                                            for line in figures.breakdowns[breakdown]]
            assert sum(v in hidden_marks for v in column) != 1, (breakdown, measure)
