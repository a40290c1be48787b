"""Victims' feedback in the compliance report (Victims and Prisoners Act 2024: victims' views are part
of keeping the Code under review): the surveys sent, answered, and how, by month, small numbers
hidden by the report's own rule (standup.compliance.small_numbers). What a person wrote is never here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from outreach.queries import FeedbackAnswer
from standup.compliance.small_numbers import SECONDARY, Cell, Suppression, suppress

# Each shown count is a part of a whole: hidden with what the whole less it would give away.
PARTS = (("answered", "offered"), ("satisfied", "answered"), ("asked_informed", "answered"),
         ("kept_informed", "asked_informed"), ("asked_respect", "answered"),
         ("treated_with_respect", "asked_respect"))
RATES = (("satisfied", "answered"), ("kept_informed", "asked_informed"), ("treated_with_respect", "asked_respect"))
ALL = "all"


@dataclass(frozen=True)
class FeedbackLine:
    group: str  # a month (YYYY-MM), or "all"
    offered: int | str
    answered: int | str
    satisfied: int | str
    satisfied_percent: float | str | None  # of those who answered
    kept_informed: int | str
    kept_informed_percent: float | str | None  # of those asked
    treated_with_respect: int | str
    treated_with_respect_percent: float | str | None  # of those asked


@dataclass(frozen=True)
class FeedbackFigures:
    overall: FeedbackLine
    by_month: list[FeedbackLine]


def _facts(a: FeedbackAnswer) -> dict[str, bool]:
    return {"offered": True, "answered": a.answered, "satisfied": a.satisfied, "asked_informed": a.asked_informed,
            "kept_informed": a.kept_informed, "asked_respect": a.asked_respect,
            "treated_with_respect": a.treated_with_respect}


def feedback_figures(answers: Sequence[FeedbackAnswer], months: Sequence[str]) -> tuple[FeedbackFigures, Suppression]:
    """The figures for each of `months` (YYYY-MM) and in all; every part's rest (not answered, not
    satisfied…) is a hidden cell of its own, so a small rest hides what it could be worked out from."""
    measures = ("offered", *(part for part, _ in PARTS))
    rows = (ALL, *months)
    people: dict[tuple, set[int]] = {(row, m): set() for row in rows for m in measures}
    people |= {(row, f"not {part}"): set() for row in rows for part, _ in PARTS}
    counts = dict.fromkeys(people, 0)
    for a in answers:
        facts = _facts(a)
        for row in (ALL, f"{a.month:%Y-%m}"):
            if (row, "offered") not in counts:
                continue
            for key in [m for m in measures if facts[m]] + [f"not {p}" for p, whole in PARTS if facts[whole] and not facts[p]]:
                counts[(row, key)] += 1
                people[(row, key)].add(a.person_id)
    cells = {key: Cell(counts[key], len(people[key])) for key in counts}
    sums = [((row, whole), [(row, part), (row, f"not {part}")]) for row in rows for part, whole in PARTS]
    sums += [((ALL, key[1]), [(month, key[1]) for month in months]) for key in counts if key[0] == ALL]
    hidden = suppress(cells, sums)

    def line(row: str) -> FeedbackLine:
        shown = {m: hidden.shown((row, m), counts[(row, m)]) for m in measures}

        def percent(part: str, whole: str) -> float | str | None:
            if isinstance(shown[part], str) or isinstance(shown[whole], str):
                return SECONDARY  # as the rights' rates: never "fewer than 5" in a rate's column
            return round(100 * shown[part] / shown[whole], 1) if shown[whole] else None

        return FeedbackLine(row, shown["offered"], shown["answered"], shown["satisfied"],
                            percent("satisfied", "answered"), shown["kept_informed"],
                            percent("kept_informed", "asked_informed"), shown["treated_with_respect"],
                            percent("treated_with_respect", "asked_respect"))

    return FeedbackFigures(line(ALL), [line(month) for month in months]), hidden
