"""The situation report as plain values: what Gold takes into the strategic coordinating group."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Figure:
    section: str  # "People", "Victims' Code", "Screening", "Staffing, next 24 hours", … (standup/sitrep/figures.py)
    label: str
    value: int | str


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
    extra: dict = field(default_factory=dict)

    def value(self, section: str, label: str) -> int | str:
        return next(f.value for f in self.figures if f.section == section and f.label == label)

    def sections(self) -> list[str]:
        return list(dict.fromkeys(f.section for f in self.figures))
