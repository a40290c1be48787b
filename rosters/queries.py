"""What the other domains may read of rosters, or ask it: plain facts and selects of ids, never
rosters' rows. notifications (and anything above incident) imports this module, not rosters.model
(an import-linter contract in pyproject.toml). A new need is a new function here, named for what
it answers; how rosters stores it (a pattern label, who recorded a window) stays in rosters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import Session

from core.auth.roles import Actor
from rosters.assignment_service import get_requirement
from rosters.contact_preferences import ContactPreference, preference
from rosters.model import Availability, ShiftRequirement, StaffMember
from rosters.requirement_service import SURGE_PATTERN


@dataclass(frozen=True)
class RequirementFacts:
    """A shift requirement as others see it: where, what role, how many, when."""

    id: int
    incident_id: int
    hub_id: int
    role: str
    headcount: int
    starts_at: datetime
    ends_at: datetime


def requirement_facts(session: Session, requirement_id: int, *, lock: bool = False) -> RequirementFacts:
    """The requirement (refused when there is none); `lock` holds its row until the unit of work
    ends, so two clicks at once queue instead of both acting on it."""
    r = get_requirement(session, requirement_id, lock=lock)
    return RequirementFacts(r.id, r.incident_id, r.hub_id, r.role, r.headcount, r.starts_at, r.ends_at)


def surges_overlapping(shift: RequirementFacts) -> Select:
    """Ids of the other surge requirements for the same role at the same hub whose time overlaps
    `shift`'s, to use inside a query (`CallOut.requirement_id.in_(...)`)."""
    return select(ShiftRequirement.id).where(
        ShiftRequirement.id != shift.id, ShiftRequirement.hub_id == shift.hub_id,
        ShiftRequirement.role == shift.role, ShiftRequirement.pattern.like(f"{SURGE_PATTERN}-%"),
        ShiftRequirement.starts_at < shift.ends_at, ShiftRequirement.ends_at > shift.starts_at)


def staff_ids_by_mobile(session: Session, mobile: str) -> list[int]:
    """Every roster entry with this mobile (E.164): one person may be on several agencies' rosters."""
    return list(session.scalars(select(StaffMember.id).where(StaffMember.mobile == mobile).order_by(StaffMember.id)))


def rostered_mobiles(session: Session, mobiles: Iterable[str]) -> set[str]:
    """Which of these mobiles (E.164; a batch of inbound messages' senders, tens) are on a roster."""
    return set(session.scalars(select(StaffMember.mobile).where(StaffMember.mobile.in_(sorted(set(mobiles))))))


def contact_preferences(session: Session, staff_ids: Iterable[int]) -> dict[int, ContactPreference]:
    """How each of these people asked a call-out to reach them (may we phone, phone first), by
    staff id; an id with no staff row is left out."""
    ids = sorted(set(staff_ids))
    found: dict[int, ContactPreference] = {}
    for start in range(0, len(ids), 500):  # SQLite caps bound parameters
        found.update((staff_id, preference(contact_by)) for staff_id, contact_by in session.execute(
            select(StaffMember.id, StaffMember.contact_by).where(StaffMember.id.in_(ids[start:start + 500]))))
    return found


def away_recorded_by(actor: Actor) -> ColumnElement[bool]:
    """The condition on availability windows: unavailability that `actor` recorded."""
    return and_(Availability.available.is_(False), Availability.recorded_by == actor.username)


def already_away(session: Session, staff_id: int, starts_at: datetime, ends_at: datetime, *,
                 recorded_by: Actor) -> bool:
    """Whether `recorded_by` already recorded this person away for the whole of the time given."""
    return session.scalar(select(Availability.id).where(
        Availability.staff_id == staff_id, away_recorded_by(recorded_by), Availability.starts_at <= starts_at,
        Availability.ends_at >= ends_at).limit(1)) is not None
