"""Auto-fill as use cases: propose placements for an incident's open places (rosters.autofill),
let the hub manager swap a proposed person for another who could take that place, then accept
the ones kept, each through staffing.assign so every hard rule is checked again at the moment
it is written. A placement that no longer fits (someone else filled the place, the person's
DBS was corrected) is reported with its reason, never dropped silently."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, PermissionDenied, require
from core.errors import InputError
from incident.queries import hub_facts, hub_names, hub_postcodes
from rosters.assignment_service import (
    assign,
    booked_by_staff,
    candidates_for,
    facts_for,
    get_requirement,
    holdings_on,
    min_rest,
    needs_of,
    neighbourhood,
    slot_for,
    staff_holdings,
    windows_by_staff,
)
from rosters.autofill import NOT_NEEDED, FillResult, OpenRequirement, Person, propose, reasons_not_placed
from rosters.constraints import Booked, violations
from rosters.coverage_queries import shift_coverage
from rosters.model import AssignmentSource, ShiftRequirement, StaffMember
from rosters.places import availability_scope, place_violations
from rosters.role_training_service import courses_by_role
from rosters.travel import travel_km

DEFAULT_TIME_LIMIT_S = 8.0
MAX_TIME_LIMIT_S = 60.0


@dataclass(frozen=True)
class ProposedPlacement:
    requirement_id: int
    staff_id: int
    staff_name: str
    agency_name: str
    role: str
    hub_name: str
    starts_at: datetime
    ends_at: datetime
    travel_km: float


@dataclass(frozen=True)
class NotUsed:
    staff_id: int
    staff_name: str
    agency_name: str
    role: str
    what: str  # the rule that stopped them, or rosters.autofill.NOT_NEEDED
    why: str


@dataclass(frozen=True)
class FillProposal:
    incident_id: int
    placements: tuple[ProposedPlacement, ...]
    open_places: int
    status: str
    seconds: float
    not_used: tuple[NotUsed, ...] = ()  # everyone of a wanted role left out, with why

    @property
    def summary(self) -> str:
        return (f"{len(self.placements)} of {self.open_places} open places filled "
                f"({self.status}, {self.seconds:.1f} s)")


@dataclass(frozen=True)
class AcceptOutcome:
    assigned: tuple[tuple[int, int], ...]  # (requirement id, staff id)
    refused: tuple[tuple[int, int, str], ...]  # (requirement id, staff id, why)


def fill_inputs(
    session: Session, incident_id: int, *, within: timedelta | None = None, hub_id: int | None = None,
    requirement_ids: Iterable[int] | None = None,
) -> tuple[list[OpenRequirement], list[Person], dict[int, StaffMember]]:
    """What the solver needs, read in a few bulk queries."""
    shifts = [c for c in shift_coverage(session, incident_id, within=within, hub_id=hub_id) if c.open_places > 0]
    if requirement_ids is not None:
        wanted_ids = set(requirement_ids)
        shifts = [c for c in shifts if c.requirement_id in wanted_ids]
    if not shifts:
        return [], [], {}
    requirements = {r.id: r for r in session.scalars(
        select(ShiftRequirement).where(ShiftRequirement.id.in_([c.requirement_id for c in shifts])))}
    postcodes = hub_postcodes(session, incident_id)
    role_training = courses_by_role(session)
    open_requirements = [
        OpenRequirement(slot_for(requirements[c.requirement_id], role_training), c.open_places, dict(c.missing),
                        postcodes.get(c.hub_id, ""))
        for c in shifts
    ]
    rest = min_rest()
    slots = sorted((o.slot for o in open_requirements), key=lambda s: s.start)
    first, last = neighbourhood(slots[0], rest), neighbourhood(slots[-1], rest)
    roles = {o.slot.role for o in open_requirements}
    staff = {p.id: p for p in session.scalars(
        select(StaffMember).where(StaffMember.active.is_(True), StaffMember.role.in_(roles))
    )}
    # Every window binding any of the shifts (autofill narrows them per shift with places.binding_facts).
    windows = windows_by_staff(session, None, availability_scope(slots[0])[0],
                               max(availability_scope(s)[1] for s in slots))
    booked = booked_by_staff(session, None, first[0], last[1])
    people = [
        Person(facts_for(p, windows.get(p.id, ())), tuple(booked.get(p.id, ())), staff_holdings(p),
               p.home_postcode or "")
        for p in staff.values()
    ]
    return open_requirements, people, staff


def propose_fill(
    session: Session, actor: Actor, incident_id: int, *, within: timedelta | None = None, hub_id: int | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> FillProposal:
    """Placements for the incident's open places (those starting within `within`, at one hub if
    given), found by the solver within the time limit. Nothing is assigned until accepted."""
    require(actor, Permission.SHIFTS_PLAN)
    if not 0 < time_limit_s <= MAX_TIME_LIMIT_S:
        raise InputError(f"The time limit must be more than 0 and at most {MAX_TIME_LIMIT_S:g} seconds.")
    open_requirements, people, staff = fill_inputs(session, incident_id, within=within, hub_id=hub_id)
    result: FillResult = propose(open_requirements, people, travel=travel_km, min_rest=min_rest(),
                                 time_limit_s=time_limit_s)
    by_id = {o.slot.shift_id: o for o in open_requirements}
    hubs = hub_names(session, incident_id)
    requirement_rows = {r.id: r for r in session.scalars(
        select(ShiftRequirement).where(ShiftRequirement.id.in_(list(by_id)))
    )} if by_id else {}
    agencies = dict(session.execute(select(Agency.id, Agency.name)).all())
    placements = tuple(
        ProposedPlacement(
            p.requirement_id, p.staff_id, staff[p.staff_id].name, agencies.get(staff[p.staff_id].agency_id, ""),
            requirement_rows[p.requirement_id].role, hubs.get(requirement_rows[p.requirement_id].hub_id, ""),
            requirement_rows[p.requirement_id].starts_at, requirement_rows[p.requirement_id].ends_at, p.travel_km,
        )
        for p in result.placements
    )
    why = reasons_not_placed(open_requirements, people, {p.staff_id for p in result.placements}, min_rest=min_rest())
    not_used = tuple(sorted((NotUsed(i, staff[i].name, agencies.get(staff[i].agency_id, ""), staff[i].role,
                                     found.what, found.why) for i, found in why.items()),
                            key=lambda n: (n.what == NOT_NEEDED, n.what, n.staff_name)))
    record(session, actor, "propose", "assignment", incident_id=incident_id,
           detail=f"auto-fill: {len(placements)} of {result.open_places} places ({result.status})")
    return FillProposal(incident_id, placements, result.open_places, result.status, result.seconds, not_used)


def swap_options(session: Session, actor: Actor, placements: Sequence[ProposedPlacement], index: int
                 ) -> list[ProposedPlacement]:
    """Who could take placement `index`'s place instead of the proposed person: eligible under
    every hard rule, counting the rest of the proposal as if it were accepted (their other
    proposed shifts, the skills of the others proposed for the same shift). Accepting checks
    every rule again."""
    require(actor, Permission.SHIFTS_PLAN)
    if not 0 <= index < len(placements):
        raise InputError("That placement is not in the proposal any more; propose again.")
    chosen = placements[index]
    others = [p for i, p in enumerate(placements) if i != index]
    requirement = get_requirement(session, chosen.requirement_id)
    role_training = courses_by_role(session)
    slot, rest = slot_for(requirement, role_training), min_rest()
    alongside = {p.staff_id for p in others if p.requirement_id == requirement.id}
    people = [c for c in candidates_for(session, actor, requirement.id, eligible_only=True)
              if c.eligible and c.staff_id != chosen.staff_id and c.staff_id not in alongside]
    ids = [c.staff_id for c in people] + list(alongside)
    staff = {p.id: p for p in session.scalars(select(StaffMember).where(StaffMember.id.in_(ids)))}
    proposed_shifts = {r.id: slot_for(r, role_training) for r in session.scalars(
        select(ShiftRequirement).where(ShiftRequirement.id.in_({p.requirement_id for p in others})))}
    taken = holdings_on(session, requirement.id)
    taken += [staff_holdings(staff[i]) for i in alongside]
    windows = windows_by_staff(session, ids, *availability_scope(slot))
    booked = booked_by_staff(session, ids, *neighbourhood(slot, rest))
    hub = hub_facts(session, requirement.hub_id)
    agencies = dict(session.execute(select(Agency.id, Agency.name)).all())
    options = []
    for candidate in people:
        person = staff[candidate.staff_id]
        also_proposed = [Booked(p.requirement_id, proposed_shifts[p.requirement_id].start,
                                proposed_shifts[p.requirement_id].end) for p in others if p.staff_id == person.id]
        found = violations(facts_for(person, windows.get(person.id, ())), slot,
                           [*booked.get(person.id, ()), *also_proposed], min_rest=rest)
        found += place_violations(requirement.headcount, needs_of(requirement), taken, staff_holdings(person))
        if not found:
            options.append(ProposedPlacement(
                requirement.id, person.id, person.name, agencies.get(person.agency_id, ""), requirement.role,
                chosen.hub_name, requirement.starts_at, requirement.ends_at,
                travel_km(person.home_postcode, hub.postcode if hub else None),
            ))
    return options


def accept_fill(session: Session, actor: Actor, placements: Sequence[tuple[int, int]]) -> AcceptOutcome:
    """Assign each kept (requirement id, staff id) through staffing.assign; those that now
    break a rule are returned with the reason and the rest still go in."""
    require(actor, Permission.SHIFTS_PLAN)
    assigned, refused = [], []
    for requirement_id, staff_id in placements:
        try:
            with session.begin_nested():
                assign(session, actor, requirement_id, staff_id, source=AssignmentSource.AUTOFILL)
        except (InputError, PermissionDenied) as problem:
            refused.append((requirement_id, staff_id, str(problem)))
        else:
            assigned.append((requirement_id, staff_id))
    return AcceptOutcome(tuple(assigned), tuple(refused))
