"""What the briefing shows of the report's figures, in every format and on the dashboard: each
section's lines with their change since the last report, the lines with nothing to report folded
into one (a count of 0 that has not moved, a shift fully staffed), so zeros never fill the page;
and the trends over a window a small chart can show."""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import show
from core.pdf import BarChart
from standup.sitrep.report import Figure, Sitrep
from standup.sitrep.trends import Trends

CHART_DAYS = 28
CHART_WEEKS = 12


@dataclass(frozen=True)
class FigureRow:
    label: str
    value: int | str
    change: int | None  # since the last report; None when there is nothing to compare with


@dataclass(frozen=True)
class FigureGroup:
    section: str
    rows: tuple[FigureRow, ...]
    folded: str  # one line for the lines with nothing to report ("" when there are none)

    @property
    def all_quiet(self) -> bool:
        return not self.rows


def shown(value: int | str) -> str:
    """A figure as printed: counts with thousands separators (48,334)."""
    return f"{value:,}" if isinstance(value, int) else value


def change_text(change: int | None) -> str:
    """+3, −1 (a minus sign, as printed), ±0; blank when there is nothing to compare with."""
    if change is None:
        return ""
    return f"+{change:,}" if change > 0 else f"−{-change:,}" if change < 0 else "±0"


def _quiet(r: Sitrep, f: Figure) -> bool:
    if isinstance(f.value, int):
        return f.value == 0 and not r.change(f)
    return f.quiet


def _folded(quiet: list[Figure], everything: bool) -> str:
    if not quiet:
        return ""
    if any(not isinstance(f.value, int) for f in quiet):  # shifts fully staffed: how many, not each
        shifts = f"{'' if everything else 'more '}{'shift' if len(quiet) == 1 else 'shifts'}"
        return f"{len(quiet):,} {shifts} fully staffed"
    return ("All 0: " if everything else "0: ") + "; ".join(f.label for f in quiet)


def figure_groups(r: Sitrep) -> tuple[FigureGroup, ...]:
    groups = []
    for section in r.sections():
        figures = [f for f in r.figures if f.section == section]
        quiet = [f for f in figures if _quiet(r, f)]
        rows = tuple(FigureRow(f.label, f.value, r.change(f)) for f in figures if not _quiet(r, f))
        groups.append(FigureGroup(section, rows, _folded(quiet, everything=not rows)))
    return tuple(groups)


def changes_note(r: Sitrep) -> str:
    """What the changes are measured against, said once above the figures."""
    if r.previous is None:
        return "No earlier report to compare with: changes are shown from the next report on."
    made = show(r.previous.made_at, "%a %d %b %H:%M")
    if r.previous.figures is None:
        return f"The last report ({made}) was made before reports kept their figures: no changes to show."
    return f"Change since the last report, made {made}."


def trend_charts(t: Trends) -> tuple[BarChart, ...]:
    """The last four weeks by day and the last twelve weeks by week (the days Gold remembers)."""
    days, weeks = t.days[-CHART_DAYS:], t.weeks[-CHART_WEEKS:]
    day_labels = tuple(d.strftime("%d %b") for d in days)
    return (
        BarChart("Registrations per day", day_labels,
                 (("registered", t.registrations[-CHART_DAYS:]),)),
        BarChart("Victims' Code referrals per day", day_labels,
                 (("made", t.referrals_made[-CHART_DAYS:]), ("deadlines missed", t.deadlines_missed[-CHART_DAYS:]))),
        BarChart("Screenings per week", tuple(f"w/c {w.strftime('%d %b')}" for w in weeks),
                 (("done", t.screenings_done[-CHART_WEEKS:]), ("positive", t.screenings_positive[-CHART_WEEKS:]))),
    )
