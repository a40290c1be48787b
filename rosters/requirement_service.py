"""Shift requirements at a hub: planned one pattern at a time, listed, removed while empty."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now, show
from core.errors import InputError
from core.typed_text import one_line
from incident.queries import HubFacts, hub_facts, hubs_of
from rosters.model import Assignment, NeedKind, RequirementSkill, ShiftRequirement
from rosters.patterns import expand
from rosters.skills import SKILLS, canonical_skill, normalise_language, normalise_role
from rosters.training import course_named

MAX_HEADCOUNT = 200
SURGE_PATTERN = "surge"  # the pattern label's prefix on a surge's requirement
MAX_SURGE_AHEAD = timedelta(days=7)  # further ahead is planning, on the Shift requirements page
SURGE_START_SLACK = timedelta(minutes=5)  # "now" typed a moment ago is still now


def hubs_for(session: Session, actor: Actor, incident_id: int) -> list[HubFacts]:
    require(actor, Permission.STAFF_VIEW)
    return hubs_of(session, incident_id)


def _checked_needs(needs: Mapping[tuple[str, str], int], headcount: int) -> dict[tuple[str, str], int]:
    checked: dict[tuple[str, str], int] = {}
    for (kind, name), count in needs.items():
        if kind == NeedKind.SKILL:
            canonical = canonical_skill(name)
            if canonical is None:
                raise InputError(f"Unknown skill {name!r}; allowed: {', '.join(SKILLS)}.")
        elif kind == NeedKind.LANGUAGE:
            canonical = one_line(normalise_language(name), "A language need", 80)
            if not canonical:
                raise InputError("A language need has no language named.")
        else:
            raise InputError(f"A need is a skill or a language, not {kind!r}.")
        if not isinstance(count, int) or not 1 <= count <= headcount:
            raise InputError(f"{canonical}: the count must be a whole number from 1 to the headcount ({headcount}).")
        checked[(str(kind), canonical)] = checked.get((str(kind), canonical), 0) + count
        if checked[(str(kind), canonical)] > headcount:
            raise InputError(f"{canonical} is asked for more times than the headcount ({headcount}).")
    return checked


def _hub_of_incident(session: Session, incident_id: int, hub_id: int) -> HubFacts:
    hub = hub_facts(session, hub_id)
    if hub is None or hub.incident_id != incident_id:
        raise InputError("That hub does not belong to this incident.")
    return hub


def _role(role: str) -> str:
    role = one_line(normalise_role(role), "Role", 80)
    if not role:
        raise InputError("A shift needs a role (e.g. support worker).")
    return role


def plan_shifts(
    session: Session,
    actor: Actor,
    incident_id: int,
    hub_id: int,
    *,
    role: str,
    headcount: int,
    first_day: date,
    days: int,
    start_times: Sequence[time],
    hours: float,
    needs: Mapping[tuple[str, str], int] | None = None,
    needs_enhanced_dbs: bool = False,
    needs_training: str | None = None,
    briefing_minutes: int = 0,
    debrief_minutes: int = 0,
) -> list[ShiftRequirement]:
    """One requirement per shift of a repeating pattern (times are Europe/London wall-clock),
    all in one action. A shift already planned for that hub, role and time is refused, so a
    double click plans nothing twice."""
    require(actor, Permission.SHIFTS_PLAN)
    hub = _hub_of_incident(session, incident_id, hub_id)
    role = _role(role)
    if not isinstance(headcount, int) or not 1 <= headcount <= MAX_HEADCOUNT:
        raise InputError(f"The headcount must be a whole number from 1 to {MAX_HEADCOUNT}.")
    checked = _checked_needs(needs or {}, headcount)
    training = course_named(needs_training) if needs_training else None
    try:
        planned = expand(first_day, days, start_times, hours, briefing_minutes=briefing_minutes,
                         debrief_minutes=debrief_minutes)
    except ValueError as exc:
        raise InputError(f"The pattern is not possible: {exc}.") from None

    existing = set(session.execute(
        select(ShiftRequirement.starts_at, ShiftRequirement.ends_at).where(
            ShiftRequirement.hub_id == hub.id, ShiftRequirement.role == role,
            ShiftRequirement.starts_at >= planned[0].starts_at, ShiftRequirement.starts_at <= planned[-1].starts_at,
        )
    ).all())
    clashes = [p for p in planned if (p.starts_at, p.ends_at) in existing]
    if clashes:
        raise InputError(
            f"{len(clashes)} of these shifts are already planned at {hub.name} for {role} "
            f"(first {show(clashes[0].starts_at)}); nothing was added."
        )
    pattern = uuid4().hex[:12]
    rows = [
        ShiftRequirement(
            incident_id=incident_id, hub_id=hub.id, starts_at=p.starts_at, ends_at=p.ends_at, role=role,
            headcount=headcount, needs_enhanced_dbs=needs_enhanced_dbs, needs_training=training,
            briefing_at=p.briefing_at,
            debrief_at=p.debrief_at, pattern=pattern, created_by=actor.username,
            needs=[RequirementSkill(kind=k, name=n, count=c) for (k, n), c in checked.items()],
        )
        for p in planned
    ]
    session.add_all(rows)
    session.flush()
    record(session, actor, "plan", "shift_requirement", pattern, incident_id=incident_id,
           detail=f"{len(rows)} shifts of {headcount} {role} at hub {hub.id}")
    return rows


def plan_surge(
    session: Session, actor: Actor, incident_id: int, hub_id: int, *, role: str, headcount: int, hours: float,
    starts_at: datetime | None = None, needs_enhanced_dbs: bool = False, needs_training: str | None = None,
) -> ShiftRequirement:
    """One requirement for a hub surge: `headcount` more people of `role` at the hub from
    `starts_at` (now when None) for `hours`. Surges are urgent: they start within a week."""
    require(actor, Permission.SHIFTS_PLAN)
    hub = _hub_of_incident(session, incident_id, hub_id)
    role = _role(role)
    if not isinstance(headcount, int) or not 1 <= headcount <= MAX_HEADCOUNT:
        raise InputError(f"Say how many more people are needed: 1 to {MAX_HEADCOUNT}.")
    if not 1 <= hours <= 24:
        raise InputError("A surge lasts 1 to 24 hours.")
    training = course_named(needs_training) if needs_training else None
    moment = now()
    start = moment if starts_at is None else starts_at
    if start.tzinfo is None:
        raise InputError("The surge's start time needs a time zone.")
    if start < moment - SURGE_START_SLACK:
        raise InputError(f"A surge starts now or later; {show(start)} has passed.")
    if start > moment + MAX_SURGE_AHEAD:
        raise InputError("A surge starts within 7 days; plan later shifts on the Shift requirements page.")
    row = ShiftRequirement(
        incident_id=incident_id, hub_id=hub.id, starts_at=start, ends_at=start + timedelta(hours=hours), role=role,
        headcount=headcount, needs_enhanced_dbs=needs_enhanced_dbs, needs_training=training,
        pattern=f"{SURGE_PATTERN}-{uuid4().hex[:12]}",
        created_by=actor.username,
    )
    session.add(row)
    session.flush()
    record(session, actor, "plan", "shift_requirement", row.id, incident_id=incident_id,
           detail=f"surge of {headcount} {role} at hub {hub.id} for {hours:g} h")
    return row


def list_requirements(session: Session, actor: Actor, incident_id: int, *, hub_id: int | None = None
                      ) -> list[ShiftRequirement]:
    require(actor, Permission.STAFF_VIEW)
    q = select(ShiftRequirement).where(ShiftRequirement.incident_id == incident_id)
    if hub_id is not None:
        q = q.where(ShiftRequirement.hub_id == hub_id)
    return list(session.scalars(q.options(selectinload(ShiftRequirement.needs))
                                .order_by(ShiftRequirement.starts_at, ShiftRequirement.id)))


def remove_requirement(session: Session, actor: Actor, requirement_id: int) -> int:
    """Delete a requirement nobody is on (take people off first, so each of them is told why)."""
    require(actor, Permission.SHIFTS_PLAN)
    requirement = session.get(ShiftRequirement, requirement_id)
    if requirement is None:
        raise InputError(f"There is no shift requirement {requirement_id}.")
    if session.scalar(select(Assignment.id).where(Assignment.requirement_id == requirement.id).limit(1)):
        raise InputError("People have been assigned to this shift, so it is kept for the record; "
                         "take them off it instead.")
    session.delete(requirement)
    record(session, actor, "delete", "shift_requirement", requirement_id, incident_id=requirement.incident_id)
    return requirement_id
