"""The situation report as plain values: what Gold takes into the strategic coordinating group,
in the order it is read out (M/ETHANE, risks, decisions, hubs and command, figures, trends)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from standup.sitrep.trends import Trends


@dataclass(frozen=True)
class Figure:
    section: str  # "People", "Victims' Code", "Screening", "Staffing, next 24 hours", … (standup/sitrep/figures.py)
    label: str
    value: int | str
    # A line with nothing to report though it is not a count of 0 (a shift fully staffed): the
    # briefing folds such lines into one, as it does counts of 0.
    quiet: bool = False


@dataclass(frozen=True)
class EntryRef:
    """Another decision log entry, by the number people quote and a time: when it was decided (the
    entry a correction corrects) or recorded (the correction that strikes an entry through)."""

    sequence: int
    at: datetime


@dataclass(frozen=True)
class Decision:
    decided_at: datetime
    decided_by: str
    decision: str
    rationale: str
    sequence: int = 0
    corrects: EntryRef | None = None
    struck_through_by: EntryRef | None = None
    correction_reason: str = ""


@dataclass(frozen=True)
class DecisionLogHead:
    """The log's length and newest hash when the report was made: a printed report fixes them, so
    a log shortened later no longer matches the paper."""

    entries: int
    chain_head: str


@dataclass(frozen=True)
class HubLine:
    """A hub or site, who to reach there, and how it is staffed now and over the next 24 hours."""

    name: str
    kind: str  # as the hubs page names it: "Victim and Witness Hub"
    address: str
    opening_hours: str
    capacity: int | None
    contact: str
    on_shift_now: int
    needed_now: int
    shifts_short_24h: int
    places_open_24h: int


@dataclass(frozen=True)
class CommandLine:
    """Who holds command now, for which agency and at which level."""

    level: str  # "Strategic (Gold)"
    agency: str
    name: str
    contact: str
    since: datetime


@dataclass(frozen=True)
class Handover:
    handed_over_at: datetime
    level: str
    agency: str
    outgoing: str
    incoming: str
    briefing: str


@dataclass(frozen=True)
class PreviousReport:
    """The last report made (see standup/sitrep/last_report.py): when, and the counts it gave, keyed
    (section, label); None for a report made before reports kept their counts."""

    made_at: datetime
    figures: dict[tuple[str, str], int] | None


@dataclass(frozen=True)
class Sitrep:
    incident_id: int
    incident_name: str
    is_exercise: bool
    status: str
    generated_at: datetime
    declared_at: datetime | None
    figures: tuple[Figure, ...]
    methane: tuple[tuple[str, str], ...] = ()  # the latest M/ETHANE, part by part
    decisions: tuple[Decision, ...] = ()  # since the last report
    decisions_since: datetime | None = None
    risks: tuple[str, ...] = ()
    decision_log_head: DecisionLogHead | None = None
    recipient: str = ""  # who the report is made for, when it is made for someone
    hubs: tuple[HubLine, ...] = ()
    command: tuple[CommandLine, ...] = ()
    handovers: tuple[Handover, ...] = ()  # recorded since `decisions_since`
    previous: PreviousReport | None = None
    trends: Trends | None = None  # drawn in a report made; the dashboard draws its own

    def value(self, section: str, label: str) -> int | str:
        return next(f.value for f in self.figures if f.section == section and f.label == label)

    def sections(self) -> list[str]:
        return list(dict.fromkeys(f.section for f in self.figures))

    @property
    def compared(self) -> bool:
        """Whether the last report's counts are known, so each count shows its change."""
        return self.previous is not None and self.previous.figures is not None

    def change(self, figure: Figure) -> int | None:
        """The count's change since the last report; None when there is no count to compare with.
        A count the last report did not list was 0 then (pathway stages are listed only when
        someone is in them)."""
        if not self.compared or not isinstance(figure.value, int):
            return None
        return figure.value - self.previous.figures.get((figure.section, figure.label), 0)

    def counts(self) -> dict[str, dict[str, int]]:
        """The counts by section, as a report records them for the next one to compare with."""
        return by_section({(f.section, f.label): f.value for f in self.figures if isinstance(f.value, int)})


V = TypeVar("V")


def by_section(values: dict[tuple[str, str], V]) -> dict[str, dict[str, V]]:
    """Values keyed (section, label) as {section: {label: value}}, in their order."""
    out: dict[str, dict[str, V]] = {}
    for (section, label), value in values.items():
        out.setdefault(section, {})[label] = value
    return out
