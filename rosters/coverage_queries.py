"""Coverage: for each shift requirement, the people on it against its headcount and the skills
and languages it still lacks. `shift_coverage` is the one count of it; the coverage board, the gaps
list (call-outs), auto-fill and the situation report's staffing figures all read it, so they
cannot disagree. Also the printable roster (CSV and PDF) for when the systems are down.

A shift is covered when its places are filled AND its needs are met: a shift of 2 of whom one
must speak Arabic is not covered by 2 people who do not. The database does the counting (people
per shift, holders per need), so a month of shifts is two aggregate queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, Role, require
from core.clock import now, show
from core.csv_safe import write_csv
from core.pdf import Document
from incident.queries import hub_names, incident_facts
from rosters.model import Assignment, NeedKind, RequirementSkill, ShiftRequirement, StaffMember
from rosters.places import Holding, describe_need

SOON = timedelta(hours=24)


@dataclass(frozen=True)
class ShiftCoverage:
    """One requirement not yet over, as the board, the gaps list and the situation report count it."""

    requirement_id: int
    hub_id: int
    hub_name: str
    starts_at: datetime
    ends_at: datetime
    role: str
    needed: int
    filled: int  # people on it now
    missing: tuple[tuple[Holding, int], ...]  # each need not yet met, with how many more holders it lacks
    soon: bool  # starts within the next 24 hours (or is under way)

    @property
    def open_places(self) -> int:
        """Places nobody holds: how many more people can still be put on it."""
        return max(self.needed - self.filled, 0)

    @property
    def unmet_needs(self) -> tuple[str, ...]:  # e.g. "1 × Arabic speaker"
        return tuple(describe_need(need, n) for need, n in self.missing)

    @property
    def still_needed(self) -> str:
        """What would cover the shift, in words: "2 more support workers; 1 × Arabic speaker"."""
        more = (f"{self.open_places} more {self.role}" + ("s" if self.open_places > 1 and not self.role.endswith("s")
                                                          else "")) if self.open_places else ""
        return "; ".join(part for part in (more, *self.unmet_needs) if part)

    @property
    def is_gap(self) -> bool:
        return self.filled < self.needed or bool(self.missing)

    @property
    def places_short(self) -> int:
        """The fewest people still to come (or be swapped in) for the shift to be covered: its open
        places, or more when those on it lack a skill the open places cannot make up."""
        return max(self.open_places, *(n for _, n in self.missing), 0)


def _holds_need(dialect: str):
    """Whether the staff member holds the need's skill or language. Both are JSON lists: PostgreSQL
    asks jsonb `?`, SQLite looks through json_each."""
    def holds(column):
        if dialect == "postgresql":
            return cast(column, JSONB).has_key(RequirementSkill.name)
        listed = func.json_each(column).table_valued("value")
        return exists(select(literal(1)).select_from(listed).where(listed.c.value == RequirementSkill.name)
                      .correlate_except(listed))
    return or_(and_(RequirementSkill.kind == NeedKind.SKILL.value, holds(StaffMember.skills)),
               and_(RequirementSkill.kind == NeedKind.LANGUAGE.value, holds(StaffMember.languages)))


def shift_coverage(session: Session, incident_id: int, *, at: datetime | None = None,
                   within: timedelta | None = None, hub_id: int | None = None) -> list[ShiftCoverage]:
    """The incident's requirements not yet over at `at` (now by default), soonest first: only those
    starting within `within`, or at one hub, when asked."""
    at = at if at is not None else now()
    scope = [ShiftRequirement.incident_id == incident_id, ShiftRequirement.ends_at > at]
    if within is not None:
        scope.append(ShiftRequirement.starts_at < at + within)
    if hub_id is not None:
        scope.append(ShiftRequirement.hub_id == hub_id)
    live = Assignment.withdrawn_at.is_(None)
    on_it = (select(func.count(Assignment.id)).where(Assignment.requirement_id == ShiftRequirement.id, live)
             .scalar_subquery())
    # Each need joined to the people live on its shift, holders summed: one pass over the month's
    # assignments, not a count per need.
    holders = func.coalesce(func.sum(case((_holds_need(session.get_bind().dialect.name), 1), else_=0)), 0)
    missing: dict[int, list[tuple[Holding, int]]] = defaultdict(list)
    for requirement_id, kind, name, lacking in session.execute(
        select(RequirementSkill.requirement_id, RequirementSkill.kind, RequirementSkill.name,
               RequirementSkill.count - holders)
        .join(ShiftRequirement, ShiftRequirement.id == RequirementSkill.requirement_id)
        .outerjoin(Assignment, and_(Assignment.requirement_id == RequirementSkill.requirement_id, live))
        .outerjoin(StaffMember, StaffMember.id == Assignment.staff_id)
        .where(*scope)
        .group_by(RequirementSkill.id, RequirementSkill.requirement_id, RequirementSkill.kind, RequirementSkill.name,
                  RequirementSkill.count)
        .having(holders < RequirementSkill.count).order_by(RequirementSkill.id)
    ):
        missing[requirement_id].append(((kind, name), int(lacking)))
    soon_until = at + SOON
    hubs = hub_names(session, incident_id)
    return [
        ShiftCoverage(r.id, r.hub_id, hubs.get(r.hub_id, ""), r.starts_at, r.ends_at, r.role, r.headcount,
                      int(r.on_it), tuple(missing[r.id]), r.starts_at < soon_until)
        for r in session.execute(
            select(ShiftRequirement.id, ShiftRequirement.hub_id, ShiftRequirement.starts_at,
                   ShiftRequirement.ends_at, ShiftRequirement.role, ShiftRequirement.headcount,
                   on_it.label("on_it"))
            .where(*scope).order_by(ShiftRequirement.starts_at, ShiftRequirement.id))
    ]


def coverage_board(session: Session, actor: Actor, incident_id: int, *, hub_id: int | None = None
                   ) -> list[ShiftCoverage]:
    """Every requirement not yet over: those under way or starting in the next 24 hours first,
    then the rest, each group soonest first."""
    require(actor, Permission.STAFF_VIEW)
    rows = shift_coverage(session, incident_id, hub_id=hub_id)
    return sorted(rows, key=lambda row: (not row.soon, row.starts_at, row.requirement_id))


def gaps(session: Session, actor: Actor, incident_id: int, *, within: timedelta | None = None
         ) -> list[ShiftCoverage]:
    """Requirements of the incident, not yet over, with a place open or a skill or language
    still missing; soonest first. `within` keeps those starting within that time from now."""
    require(actor, Permission.STAFF_VIEW)
    return [row for row in shift_coverage(session, incident_id, within=within) if row.is_gap]


ROSTER_HEADER = ("hub", "date", "start", "end", "role", "name", "agency", "mobile", "briefing", "debrief", "status")


def _people_on(session: Session, actor: Actor, ids: list[int]) -> dict[int, list[tuple[StaffMember, str]]]:
    """Who is on each shift now, with their agency; a coordinator sees their own agency's people only."""
    people: dict[int, list[tuple[StaffMember, str]]] = defaultdict(list)
    if not ids:
        return people
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
    return people


def names_on_shifts(session: Session, actor: Actor, requirement_ids: list[int]) -> dict[int, list[str]]:
    """The names of the people on each shift, for the coverage board (staff names, no contact details)."""
    require(actor, Permission.STAFF_VIEW)
    return {i: [person.name for person, _ in on] for i, on in _people_on(session, actor, requirement_ids).items()}


def _roster_rows(session: Session, actor: Actor, incident_id: int) -> list[dict[str, object]]:
    shifts = shift_coverage(session, incident_id)
    ids = [c.requirement_id for c in shifts]
    people = _people_on(session, actor, ids)
    briefings = {r.id: (r.briefing_at, r.debrief_at) for r in session.execute(
        select(ShiftRequirement.id, ShiftRequirement.briefing_at, ShiftRequirement.debrief_at)
        .where(ShiftRequirement.id.in_(ids)))} if ids else {}
    rows: list[dict[str, object]] = []
    for c in shifts:
        briefing_at, debrief_at = briefings[c.requirement_id]
        base = {"hub": c.hub_name, "date": show(c.starts_at, "%a %d %b"), "start": show(c.starts_at, "%H:%M"),
                "end": show(c.ends_at, "%H:%M"), "role": c.role, "briefing": show(briefing_at, "%H:%M"),
                "debrief": show(debrief_at, "%H:%M")}
        for person, agency_name in people[c.requirement_id]:
            rows.append(base | {"name": person.name, "agency": agency_name, "mobile": person.mobile,
                                "status": "assigned"})
        if c.open_places:
            rows.append(base | {"name": f"OPEN: {c.open_places} place{'s' if c.open_places > 1 else ''}",
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

