"""Putting people on shifts: who could cover a requirement (and why not), assigning and
withdrawing them, and SMS opt-out. The gaps still open are rosters.coverage_queries'.

Every assignment, whatever made it (a hub manager, auto-fill, an SMS call-out), passes
`assign`, which re-checks every hard rule in the same unit of work that writes it.
Agency coordinators see and change only their own agency's staff and assignments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import null, select
from sqlalchemy.orm import Session, selectinload

from core.audit.service import record
from core.auth.roles import Actor, Permission, Role, require, require_agency
from core.clock import now
from core.errors import InputError
from core.phone import normalise_mobile
from core.settings import get_settings
from core.typed_text import one_line
from rosters.constraints import (
    ENHANCED,
    RULES,
    Booked,
    ShiftSlot,
    StaffFacts,
    Violation,
    Window,
    eligible,
    violations,
)
from rosters.model import (
    Assignment,
    AssignmentSource,
    Availability,
    ShiftRequirement,
    StaffMember,
    StaffTraining,
)
from rosters.places import (
    Holding,
    availability_scope,
    holdings,
    place_violations,
    working_span,
)
from rosters.role_training_service import courses_by_role
from rosters.training import current_until, records_of, records_with_pfa


class RuleBroken(InputError):
    """The assignment would break a hard rule; `.violations` says which, each with a reason."""

    def __init__(self, who: str, found: Sequence[Violation]):
        self.violations = tuple(found)
        super().__init__(f"{who} cannot be assigned: " + "; ".join(v.reason for v in self.violations) + ".")


@dataclass(frozen=True)
class Candidate:
    staff_id: int
    name: str
    agency_id: int
    mobile: str  # E.164
    eligible: bool
    violations: tuple[Violation, ...]
    role: str = ""
    sms_opted_out: bool = False


def min_rest() -> timedelta:
    return timedelta(hours=get_settings().min_rest_hours)


# ---------------------------------------------------------------------------------------
# Facts the rules need, read in bulk


def slot_for(requirement: ShiftRequirement, role_training: Mapping[str, tuple[str, ...]]) -> ShiftSlot:
    """The requirement as the rules see it; `role_training` is role_training_service.courses_by_role."""
    start, end = working_span(requirement.starts_at, requirement.ends_at, requirement.briefing_at,
                              requirement.debrief_at)
    return ShiftSlot(requirement.id, start, end, requirement.role, needs_enhanced_dbs=requirement.needs_enhanced_dbs,
                     required_training=requirement.needs_training,
                     role_training=role_training.get(requirement.role, ()))


def needs_of(requirement: ShiftRequirement) -> dict[Holding, int]:
    return {(n.kind, n.name): n.count for n in requirement.needs}


def staff_holdings(staff: StaffMember) -> frozenset[Holding]:
    return holdings(staff.skills or (), staff.languages or ())


def facts_for(staff: StaffMember, windows: Iterable[Availability] = (), trainings: Iterable | None = None
              ) -> StaffFacts:
    """The person's facts for the rules. `staff` may be a row of StaffMember's columns read without
    its training, given then as `trainings` (rows with course, completed_on, expires_on)."""
    available, unavailable = [], []
    for w in windows:
        (available if w.available else unavailable).append(Window(w.starts_at, w.ends_at))
    return StaffFacts(
        staff_id=staff.id, role=staff.role, skills=frozenset(staff.skills or ()),
        languages=frozenset(staff.languages or ()), dbs_level=staff.dbs_level, dbs_expiry=staff.dbs_expiry,
        training=tuple(current_until(records_of(staff) if trainings is None
                                     else records_with_pfa(trainings, staff.pfa_trained_on)).items()),
        active=staff.active, max_hours_per_week=staff.max_hours_per_week,
        availability=tuple(available), unavailability=tuple(unavailable),
    )


def windows_by_staff(
    session: Session, staff_ids: Iterable[int] | None, start: datetime, end: datetime
) -> dict[int, list[Availability]]:
    """Availability windows touching start..end, per person (all staff when staff_ids is None).
    Read over places.availability_scope(slot), these are the windows that bind that shift."""
    q = select(Availability).where(Availability.starts_at <= end, Availability.ends_at >= start)
    if staff_ids is not None:
        q = q.where(Availability.staff_id.in_(list(staff_ids)))
    found: dict[int, list[Availability]] = defaultdict(list)
    for window in session.scalars(q):
        found[window.staff_id].append(window)
    return found


def booked_by_staff(
    session: Session, staff_ids: Iterable[int] | None, start: datetime, end: datetime
) -> dict[int, list[Booked]]:
    """Live assignments whose shifts start between start and end, per person, as Booked spans."""
    q = (  # columns, not mapped rows: the whole roster's week is read for a call-out
        select(Assignment.staff_id, ShiftRequirement.id, ShiftRequirement.starts_at, ShiftRequirement.ends_at,
               ShiftRequirement.briefing_at, ShiftRequirement.debrief_at)
        .join(ShiftRequirement, ShiftRequirement.id == Assignment.requirement_id)
        .where(Assignment.withdrawn_at.is_(None), ShiftRequirement.starts_at >= start,
               ShiftRequirement.starts_at < end)
    )
    if staff_ids is not None:
        q = q.where(Assignment.staff_id.in_(list(staff_ids)))
    found: dict[int, list[Booked]] = defaultdict(list)
    for staff_id, requirement_id, starts_at, ends_at, briefing_at, debrief_at in session.execute(q):
        found[staff_id].append(Booked(requirement_id, *working_span(starts_at, ends_at, briefing_at, debrief_at)))
    return found


def neighbourhood(slot: ShiftSlot, rest: timedelta) -> tuple[datetime, datetime]:
    """Start times of other shifts that can matter to this one: its London week, and any within
    the rest period either side (briefings can start a shift up to a day early)."""
    margin = rest + timedelta(days=1)
    return min(slot.week_start, slot.start - margin), max(slot.week_end, slot.end + margin)


def live_assignments(session: Session, requirement_ids: Iterable[int]) -> dict[int, list[Assignment]]:
    q = (select(Assignment).options(selectinload(Assignment.staff))
         .where(Assignment.requirement_id.in_(list(requirement_ids)), Assignment.withdrawn_at.is_(None))
         .order_by(Assignment.id))
    found: dict[int, list[Assignment]] = defaultdict(list)
    for a in session.scalars(q):
        found[a.requirement_id].append(a)
    return found


def holdings_on(session: Session, requirement_id: int) -> list[frozenset[Holding]]:
    """What each person on the requirement now holds (skills, languages), for the place rules: one
    statement, where the people's rows (and with them their training) would be three."""
    return [holdings(skills or (), languages or ()) for skills, languages in session.execute(
        select(StaffMember.skills, StaffMember.languages).join(Assignment, Assignment.staff_id == StaffMember.id)
        .where(Assignment.requirement_id == requirement_id, Assignment.withdrawn_at.is_(None))
        .order_by(Assignment.id))]


def get_requirement(session: Session, requirement_id: int, *, lock: bool = False) -> ShiftRequirement:
    q = select(ShiftRequirement).where(ShiftRequirement.id == requirement_id)
    requirement = session.scalar(q.with_for_update(key_share=True) if lock else q)
    if requirement is None:
        raise InputError(f"There is no shift requirement {requirement_id}.")
    return requirement


def _agency_scope(actor: Actor) -> list:
    """An agency coordinator sees only their own agency's staff."""
    return [StaffMember.agency_id == actor.agency_id] if actor.role == Role.AGENCY_COORDINATOR else []


def _scoped_staff(actor: Actor):
    return select(StaffMember).where(*_agency_scope(actor))


# ---------------------------------------------------------------------------------------
# Use cases


def candidates_for(session: Session, actor: Actor, requirement_id: int, *,
                   eligible_only: bool = False) -> list[Candidate]:
    """Everyone the actor may see, each with every rule that stops them taking a place on the
    requirement: eligible people first, then by name. `eligible_only` (a call-out, a swap) leaves
    out in the query those the roster already rules out — inactive, or another role — so 5,000
    staff are not loaded to find the few hundred who could come."""
    require(actor, Permission.STAFF_VIEW)
    requirement = get_requirement(session, requirement_id)
    slot = slot_for(requirement, courses_by_role(session))
    rest = min_rest()
    q = _scoped_staff(actor)
    if eligible_only:
        q = q.where(StaffMember.active.is_(True))
        if slot.role is not None:
            q = q.where(StaffMember.role == slot.role)
    staff = list(session.scalars(q.order_by(StaffMember.last_name, StaffMember.first_name, StaffMember.id)))
    windows = windows_by_staff(session, None, *availability_scope(slot))
    booked = booked_by_staff(session, None, *neighbourhood(slot, rest))
    on_it = live_assignments(session, [requirement.id])[requirement.id]
    on_it_ids = {a.staff_id for a in on_it}
    assigned_holdings = [staff_holdings(a.staff) for a in on_it]
    needs = needs_of(requirement)

    candidates = []
    for person in staff:
        if person.id in on_it_ids:
            found: tuple[Violation, ...] = (Violation("assigned", "is already on this shift"),)
        else:
            found = violations(facts_for(person, windows.get(person.id, ())), slot, booked.get(person.id, ()),
                               min_rest=rest)
            found += place_violations(requirement.headcount, needs, assigned_holdings, staff_holdings(person))
        candidates.append(Candidate(person.id, person.name, person.agency_id, person.mobile, not found, found,
                                    person.role, person.sms_opted_out))
    candidates.sort(key=lambda c: not c.eligible)  # stable: names stay in order within each group
    record(session, actor, "view", "staff", incident_id=requirement.incident_id,
           detail=f"candidates for requirement {requirement.id}: {len(candidates)} people")
    return candidates


# What the rules read of a person, and what a call-out needs to reach them: columns, not rows
# mapped to objects (a call-out for a large role reads thousands).
_PERSON_COLUMNS = (StaffMember.id, StaffMember.first_name, StaffMember.last_name, StaffMember.agency_id,
                   StaffMember.mobile, StaffMember.role, StaffMember.dbs_level, StaffMember.dbs_expiry,
                   StaffMember.pfa_trained_on, StaffMember.max_hours_per_week, StaffMember.active,
                   StaffMember.sms_opted_out)
_HOLDINGS = (StaffMember.skills, StaffMember.languages)
_NO_HOLDINGS = (null().label("skills"), null().label("languages"))  # a shift that asks for none: not read


def _not_ruled_out_for_certain(requirement: ShiftRequirement, slot: ShiftSlot, rest: timedelta) -> list:
    """Conditions on StaffMember leaving out, in the database, the people some hard rule surely
    stops: inactive, another role, no DBS or one expiring before the shift ends or not enhanced when
    it must be, marked unavailable during it, already on it, or on another shift less than the rest
    period away. Each is the rule's own test, on the same rows the rules read (a shift's hours
    without its briefing and debrief: those only bring it closer), so nobody the rules would accept
    is left out; the rules still judge everyone left (weekly hours, training, availability windows,
    the shift's needs)."""
    near_start, near_end = neighbourhood(slot, rest)
    conditions = [StaffMember.active.is_(True), StaffMember.dbs_level.is_not(None),
                  StaffMember.dbs_expiry.is_(None) | (StaffMember.dbs_expiry >= slot.last_london_date)]
    if slot.role is not None:
        conditions.append(StaffMember.role == slot.role)
    if slot.needs_enhanced_dbs:
        conditions.append(StaffMember.dbs_level == ENHANCED)
    unavailable = select(Availability.id).where(
        Availability.staff_id == StaffMember.id, Availability.available.is_(False),
        Availability.starts_at < slot.end, Availability.ends_at > slot.start)
    on_it_or_too_close = (
        select(Assignment.id).join(ShiftRequirement, ShiftRequirement.id == Assignment.requirement_id)
        .where(Assignment.staff_id == StaffMember.id, Assignment.withdrawn_at.is_(None),
               (ShiftRequirement.id == requirement.id)
               | ((ShiftRequirement.starts_at >= near_start) & (ShiftRequirement.starts_at < near_end)
                  & (ShiftRequirement.starts_at < slot.end + rest) & (ShiftRequirement.ends_at > slot.start - rest))))
    return [*conditions, ~unavailable.exists(), ~on_it_or_too_close.exists()]


# How eligible_for settles each hard rule (rosters.constraints.RULES) for a person it does not hand
# to the rules: in the database (`_not_ruled_out_for_certain`), or because the person has nothing
# for the rule to judge. A rule missing here (a new one) hands everyone to the rules.
_SETTLED_IN_THE_DATABASE = {"inactive", "role", "dbs_missing", "dbs_expired", "dbs_level", "unavailable"}
_SETTLED_BY_NOTHING_TO_JUDGE = {"training", "skill", "language", "availability", "overlap", "rest", "weekly_hours"}


def _nothing_to_judge(slot: ShiftSlot, windows: dict, booked: dict):
    """Whether the database's verdict on a person is the hard rules' too: they have no availability
    windows near the shift, no other shift near it (rest, overlap and their week's hours: the
    neighbourhood holds the week), and no weekly maximum shorter than the shift itself, and the
    shift (or its role) asks for no course, and it asks for no skill or language. Else the rules judge them."""
    if set(RULES) != _SETTLED_IN_THE_DATABASE | _SETTLED_BY_NOTHING_TO_JUDGE or (
            slot.required_training or slot.role_training or slot.required_skill or slot.required_language):
        return lambda person: False
    hours = (slot.end - slot.start).total_seconds() / 3600
    return lambda person: (person.id not in windows and person.id not in booked
                           and (person.max_hours_per_week is None or hours <= person.max_hours_per_week))


def eligible_for(session: Session, actor: Actor, requirement_id: int) -> list[Candidate]:
    """Everyone the actor may see who could take a place on the requirement now (a call-out asks
    them), by name: `candidates_for`'s eligible people, found without judging the whole role one by
    one. The database leaves out whom a rule surely stops (`_not_ruled_out_for_certain`); of the
    rest, the hard rules judge everyone with anything more for them to judge (`_nothing_to_judge`),
    the place rule each set of skills and languages once; `assign` judges each person again when
    they answer."""
    require(actor, Permission.STAFF_VIEW)
    requirement = get_requirement(session, requirement_id)
    slot, rest = slot_for(requirement, courses_by_role(session)), min_rest()
    needs = needs_of(requirement)
    holdings_matter = bool(needs or slot.required_skill or slot.required_language)
    people = session.execute(
        select(*_PERSON_COLUMNS, *(_HOLDINGS if holdings_matter else _NO_HOLDINGS))
        .where(*_agency_scope(actor), *_not_ruled_out_for_certain(requirement, slot, rest))
        .order_by(StaffMember.last_name, StaffMember.first_name, StaffMember.id)).all()
    trainings: dict[int, list] = defaultdict(list)
    if slot.required_training is not None or slot.role_training:  # only then can a course stop anyone
        for row in session.execute(select(StaffTraining.staff_id, StaffTraining.course, StaffTraining.completed_on,
                                          StaffTraining.expires_on)
                                   .where(StaffTraining.staff_id.in_([p.id for p in people]))):
            trainings[row.staff_id].append(row)
    windows = windows_by_staff(session, None, *availability_scope(slot))
    booked = booked_by_staff(session, None, *neighbourhood(slot, rest))
    assigned_holdings = holdings_on(session, requirement.id)
    settled = _nothing_to_judge(slot, windows, booked)
    place_taken: dict[frozenset, bool] = {}  # by holdings: the place rule reads nothing else of a person

    def may_take_a_place(person) -> bool:
        held = staff_holdings(person)
        if held not in place_taken:
            place_taken[held] = not place_violations(requirement.headcount, needs, assigned_holdings, held)
        return place_taken[held]

    found = [
        Candidate(p.id, f"{p.first_name} {p.last_name}", p.agency_id, p.mobile, True, (), p.role, p.sms_opted_out)
        for p in people
        if may_take_a_place(p) and (settled(p) or eligible(
            facts_for(p, windows.get(p.id, ()), trainings.get(p.id, ())), slot, booked.get(p.id, ()), min_rest=rest))]
    record(session, actor, "view", "staff", incident_id=requirement.incident_id,
           detail=f"eligible for requirement {requirement.id}: {len(found)} people")
    return found


@dataclass(frozen=True)
class OnShift:
    assignment_id: int
    staff_id: int
    name: str
    agency_id: int
    mobile: str
    source: str
    assigned_at: datetime


def people_on(session: Session, actor: Actor, requirement_id: int) -> list[OnShift]:
    """Who is on a requirement now (a coordinator sees only their own agency's people)."""
    require(actor, Permission.STAFF_VIEW)
    requirement = get_requirement(session, requirement_id)
    on = live_assignments(session, [requirement.id])[requirement.id]
    if actor.role == Role.AGENCY_COORDINATOR:
        on = [a for a in on if a.staff.agency_id == actor.agency_id]
    if on:
        record(session, actor, "view", "assignment", incident_id=requirement.incident_id,
               detail=f"people on requirement {requirement.id}")
    return [OnShift(a.id, a.staff_id, a.staff.name, a.staff.agency_id, a.staff.mobile, a.source, a.assigned_at)
            for a in on]


def assign(
    session: Session, actor: Actor, requirement_id: int, staff_id: int, *, source: str = AssignmentSource.MANUAL
) -> Assignment:
    """Put one person on a requirement, or raise RuleBroken naming every hard rule it would break."""
    require(actor, Permission.STAFF_EDIT)
    if source not in {s.value for s in AssignmentSource}:
        raise InputError(f"Unknown assignment source {source!r}; allowed: manual, autofill, callout.")
    requirement = get_requirement(session, requirement_id, lock=True)
    # Locking the person serialises two assignments of the same person to clashing shifts.
    person = session.scalar(select(StaffMember).where(StaffMember.id == staff_id).with_for_update(key_share=True))
    if person is None:
        raise InputError(f"There is no staff member {staff_id}.")
    require_agency(actor, person.agency_id)

    existing = session.scalar(select(Assignment).where(Assignment.requirement_id == requirement.id,
                                                       Assignment.staff_id == person.id))
    if existing is not None and existing.withdrawn_at is None:
        raise RuleBroken(person.name, [Violation("assigned", "is already on this shift")])
    slot = slot_for(requirement, courses_by_role(session))
    rest = min_rest()
    found = violations(
        facts_for(person, windows_by_staff(session, [person.id], *availability_scope(slot)).get(person.id, ())),
        slot,
        booked_by_staff(session, [person.id], *neighbourhood(slot, rest)).get(person.id, ()),
        min_rest=rest,
    )
    found += place_violations(requirement.headcount, needs_of(requirement), holdings_on(session, requirement.id),
                              staff_holdings(person))
    if found:
        raise RuleBroken(person.name, found)

    if existing is None:
        existing = Assignment(requirement_id=requirement.id, staff_id=person.id)
        session.add(existing)
    existing.source = str(source)
    existing.assigned_at = now()
    existing.assigned_by = actor.username
    existing.withdrawn_at = None
    existing.withdrawn_reason = ""
    session.flush()
    record(session, actor, "assign", "assignment", existing.id, incident_id=requirement.incident_id,
           detail=f"staff {person.id} to requirement {requirement.id} ({source})")
    return existing


def withdraw(session: Session, actor: Actor, assignment_id: int, reason: str) -> None:
    """Take a person off a shift, keeping the row (and the reason) for the record."""
    require(actor, Permission.STAFF_EDIT)
    reason = one_line(" ".join((reason or "").split()), "The reason", 300)
    if not reason:
        raise InputError("Say why the person is being taken off the shift.")
    assignment = session.scalar(select(Assignment).where(Assignment.id == assignment_id).with_for_update(key_share=True))
    if assignment is None:
        raise InputError(f"There is no assignment {assignment_id}.")
    require_agency(actor, assignment.staff.agency_id)
    if assignment.withdrawn_at is not None:
        raise InputError(f"{assignment.staff.name} was already taken off this shift.")
    assignment.withdrawn_at = now()
    assignment.withdrawn_reason = reason
    record(session, actor, "withdraw", "assignment", assignment.id, incident_id=assignment.requirement.incident_id,
           reason=reason, detail=f"staff {assignment.staff_id} from requirement {assignment.requirement_id}")


def set_sms_opt_out(session: Session, actor: Actor, mobile_e164: str, opted_out: bool) -> int:
    """Mark every roster entry with this mobile as opted out of SMS (STOP) or back in (START).
    Returns how many staff rows changed."""
    require(actor, Permission.STAFF_EDIT)
    try:
        mobile = normalise_mobile(mobile_e164)
    except ValueError as exc:
        raise InputError(f"Cannot change SMS opt-out: {exc}.") from None
    rows = list(session.scalars(
        _scoped_staff(actor).where(StaffMember.mobile == mobile, StaffMember.sms_opted_out != opted_out)
    ))
    for person in rows:
        person.sms_opted_out = opted_out
        person.updated_at = now()
        record(session, actor, "update", "staff", person.id, detail=f"sms_opted_out={opted_out}")
    return len(rows)
