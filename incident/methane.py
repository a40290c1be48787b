"""The M/ETHANE message (JESIP): its seven parts, what a valid one needs, and what changed
between two versions."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from enum import StrEnum

from core.errors import InputError
from core.typed_text import free_text
from incident.uk_area import check_uk_point


class MajorIncident(StrEnum):
    STANDBY = "standby"
    DECLARED = "declared"
    STOP = "stop"
    STAND_DOWN = "stand_down"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Methane:
    """One M/ETHANE message, as typed (or clicked) by Gold."""

    major_incident: str
    exact_location: str
    incident_type: str
    hazards: str
    access: str
    casualties: str
    emergency_services: str
    latitude: float | None = None
    longitude: float | None = None
    cordon_radius_m: float | None = None


# Shown in this order; the letters are the message's own.
PART_LABELS: dict[str, str] = {
    "major_incident": "M — Major incident",
    "exact_location": "E — Exact location",
    "latitude": "E — Latitude",
    "longitude": "E — Longitude",
    "cordon_radius_m": "E — Cordon radius (m)",
    "incident_type": "T — Type of incident",
    "hazards": "H — Hazards",
    "access": "A — Access",
    "casualties": "N — Number, type and severity of casualties",
    "emergency_services": "E — Emergency services present and required",
}
TEXT_PARTS = ("exact_location", "incident_type", "hazards", "access", "casualties", "emergency_services")
MAX_CORDON_M = 50_000.0  # 50 km: beyond this the number is almost certainly a typo (metres vs km)


def cleaned(m: Methane) -> Methane:
    """The message with text trimmed, checked: every part filled with text that can be stored, the
    point in the UK, a cordon radius above 0 (and only with a point to draw it round). Raises InputError."""
    values = {f.name: getattr(m, f.name) for f in fields(m)}
    for name in TEXT_PARTS:
        values[name] = free_text(values[name], PART_LABELS[name])
    missing = [PART_LABELS[n] for n in TEXT_PARTS if not values[n]]
    if missing:
        raise InputError(f"Every part of M/ETHANE must be filled in; missing: {', '.join(missing)}. "
                         "Write 'not known' where that is the answer.")
    if values["major_incident"] not in {v.value for v in MajorIncident}:
        raise InputError(f"M must be one of: {', '.join(v.value.replace('_', ' ') for v in MajorIncident)}.")
    check_uk_point(values["latitude"], values["longitude"], what="incident location")
    radius = values["cordon_radius_m"]
    if radius is not None:
        if not math.isfinite(radius) or radius <= 0:
            raise InputError(f"A cordon radius must be more than 0 metres (got {radius}); leave it empty for no cordon.")
        if radius > MAX_CORDON_M:
            raise InputError(f"A cordon radius of {radius:,.0f} m is more than {MAX_CORDON_M:,.0f} m; "
                             "give it in metres.")
        if values["latitude"] is None:
            raise InputError("A cordon needs a location to be drawn round: set the latitude and longitude too.")
    return Methane(**values)


@dataclass(frozen=True)
class Change:
    part: str  # the field name
    label: str
    before: object
    after: object


def diff(before: Methane | None, after: Methane) -> list[Change]:
    """The parts that differ between two versions, in message order; every filled part when
    there is no earlier version."""
    old = asdict(before) if before is not None else {}
    new = asdict(after)
    return [Change(name, label, old.get(name), new[name]) for name, label in PART_LABELS.items()
            if old.get(name) != new[name]]
