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
class Decision:
    decided_at: datetime
    decided_by: str
    decision: str
    rationale: str


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
    extra: dict = field(default_factory=dict)

    def value(self, section: str, label: str) -> int | str:
        return next(f.value for f in self.figures if f.section == section and f.label == label)

    def sections(self) -> list[str]:
        return list(dict.fromkeys(f.section for f in self.figures))
