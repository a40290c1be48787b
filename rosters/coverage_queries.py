"""The coverage board (each requirement: filled of needed, gaps first to the eye, the next 24
hours first) and the printable roster (CSV and PDF) for when the systems are down."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, Role, require
from core.clock import now, show
from core.csv_safe import write_csv
from core.pdf import Document
from incident.queries import hub_names, incident_facts
from rosters.assignment_service import describe_unmet, fill_states, requirements_ahead
from rosters.model import Assignment, StaffMember

SOON = timedelta(hours=24)


@dataclass(frozen=True)
class CoverageRow:
    requirement_id: int
    hub_name: str
    starts_at: datetime
    ends_at: datetime
    role: str
    needed: int
    filled: int
    unmet_needs: tuple[str, ...]
    soon: bool  # starts within the next 24 hours (or is under way)

    @property
    def is_gap(self) -> bool:
        return self.filled < self.needed or bool(self.unmet_needs)


def coverage_board(session: Session, actor: Actor, incident_id: int, *, hub_id: int | None = None
                   ) -> list[CoverageRow]:
    """Every requirement not yet over: those under way or starting in the next 24 hours first,
    then the rest, each group soonest first."""
    require(actor, Permission.STAFF_VIEW)
    requirements = requirements_ahead(session, incident_id)
    if hub_id is not None:
        requirements = [r for r in requirements if r.hub_id == hub_id]
    states = fill_states(session, requirements)
    hubs = hub_names(session, incident_id)
    soon_until = now() + SOON
    rows = [
        CoverageRow(r.id, hubs.get(r.hub_id, ""), r.starts_at, r.ends_at, r.role, r.headcount, states[r.id][0],
                    describe_unmet(states[r.id][1]), r.starts_at < soon_until)
        for r in requirements
    ]
    return sorted(rows, key=lambda row: (not row.soon, row.starts_at, row.requirement_id))


ROSTER_HEADER = ("hub", "date", "start", "end", "role", "name", "agency", "mobile", "briefing", "debrief", "status")


def _roster_rows(session: Session, actor: Actor, incident_id: int) -> list[dict[str, object]]:
    requirements = requirements_ahead(session, incident_id)
    ids = [r.id for r in requirements]
    people: dict[int, list[tuple[StaffMember, str]]] = defaultdict(list)
    if ids:
        q = (
            select(Assignment.requirement_id, StaffMember, Agency.name)
            .join(StaffMember, StaffMember.id == Assignment.staff_id)
            .join(Agency, Agency.id == StaffMember.agency_id)
            .where(Assignment.requirement_id.in_(ids), Assignment.withdrawn_at.is_(None))
            .order_by(StaffMember.last_name, StaffMember.first_name)
        )
        if actor.role == Role.AGENCY_COORDINATOR:
            q = q.where(StaffMember.agency_id == actor.agency_id)
        for requirement_id, person, agency_name in session.execute(q):
            people[requirement_id].append((person, agency_name))
    hubs = hub_names(session, incident_id)
    states = fill_states(session, requirements)
    rows: list[dict[str, object]] = []
    for r in requirements:
        base = {"hub": hubs.get(r.hub_id, ""), "date": show(r.starts_at, "%a %d %b"), "start": show(r.starts_at, "%H:%M"),
                "end": show(r.ends_at, "%H:%M"), "role": r.role, "briefing": show(r.briefing_at, "%H:%M"),
                "debrief": show(r.debrief_at, "%H:%M")}
        for person, agency_name in people[r.id]:
            rows.append(base | {"name": person.name, "agency": agency_name, "mobile": person.mobile,
                                "status": "assigned"})
        open_places = r.headcount - states[r.id][0]
        if open_places > 0:
            rows.append(base | {"name": f"OPEN: {open_places} place{'s' if open_places > 1 else ''}",
                                "status": "gap"})
    return rows


def _exported(session: Session, actor: Actor, incident_id: int, form: str, count: int) -> None:
    record(session, actor, "export", "roster", incident_id, incident_id=incident_id,
           detail=f"printable roster ({form}), {count} lines")


def roster_csv(session: Session, actor: Actor, incident_id: int) -> str:
    """The roster from now on as CSV (one line per person on a shift, one per open gap)."""
    require(actor, Permission.STAFF_VIEW)
    rows = _roster_rows(session, actor, incident_id)
    _exported(session, actor, incident_id, "csv", len(rows))
    return write_csv(rows, ROSTER_HEADER)


def roster_pdf(session: Session, actor: Actor, incident_id: int) -> bytes:
    """The same roster as an A4 landscape PDF to print and pin up."""
    require(actor, Permission.STAFF_VIEW)
    incident = incident_facts(session, incident_id)
    rows = _roster_rows(session, actor, incident_id)
    title = f"Hub roster — {incident.name if incident else f'incident {incident_id}'}"
    if incident is not None and incident.is_exercise:
        title = f"EXERCISE — {title}"
    document = Document(title, f"Printed {show(now())} (Europe/London). Personal data: keep secure, shred after use.",
                        landscape=True)
    document.table(list(ROSTER_HEADER[:-1]), [[row.get(h, "") for h in ROSTER_HEADER[:-1]] for row in rows])
    _exported(session, actor, incident_id, "pdf", len(rows))
    return document.to_bytes()

