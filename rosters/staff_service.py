"""Staff on the rosters and their availability: listing, small edits, availability windows.
Agency coordinators see and change only their own agency's people."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, Role, require, require_agency
from core.clock import now
from core.errors import InputError
from core.phone import normalise_mobile
from core.typed_text import one_line
from rosters.contact_preferences import LABELS, ContactBy
from rosters.model import Availability, StaffMember
from rosters.queries import away_recorded_by
from rosters.roster_values import DBS_LEVELS
from rosters.skills import normalise_role

MAX_WINDOW = timedelta(days=90)
LIST_LIMIT = 2000


def list_staff(
    session: Session, actor: Actor, *, agency_id: int | None = None, search: str = "", limit: int = LIST_LIMIT
) -> list[StaffMember]:
    """Staff the actor may see (a coordinator: their agency's), by surname; `search` matches
    name, ref, role or mobile digits."""
    require(actor, Permission.STAFF_VIEW)
    q = select(StaffMember)
    if actor.role == Role.AGENCY_COORDINATOR:
        q = q.where(StaffMember.agency_id == actor.agency_id)
    if agency_id is not None:
        q = q.where(StaffMember.agency_id == agency_id)
    # A control character matches no one, and PostgreSQL cannot even compare a NUL: say so instead.
    for word in one_line(" ".join(search.split()), "The search", 200).split():
        like = f"%{word.casefold()}%"
        q = q.where(or_(func.lower(StaffMember.first_name).like(like), func.lower(StaffMember.last_name).like(like),
                        func.lower(StaffMember.staff_ref).like(like), StaffMember.role.like(like),
                        StaffMember.mobile.like(like)))
    rows = list(session.scalars(q.order_by(StaffMember.last_name, StaffMember.first_name).limit(limit)))
    record(session, actor, "view", "staff", detail=f"list of {len(rows)} (agency {agency_id or 'any'})")
    return rows


def visible_agencies(session: Session, actor: Actor) -> list[Agency]:
    """The agencies whose staff the actor may see: a coordinator's own, every active one for the others."""
    require(actor, Permission.STAFF_VIEW)
    q = select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)
    if actor.role == Role.AGENCY_COORDINATOR:
        q = q.where(Agency.id == actor.agency_id)
    return list(session.scalars(q))


def staff_for_change(session: Session, actor: Actor, staff_id: int) -> StaffMember:
    require(actor, Permission.STAFF_EDIT)
    person = session.get(StaffMember, staff_id)
    if person is None:
        raise InputError(f"There is no staff member {staff_id}.")
    require_agency(actor, person.agency_id)
    return person


def update_staff(
    session: Session,
    actor: Actor,
    staff_id: int,
    *,
    active: bool | None = None,
    mobile: str | None = None,
    role: str | None = None,
    max_hours_per_week: float | None = None,
    dbs_level: str | None = None,
    dbs_expiry: date | None = None,
    contact_by: str | None = None,
) -> StaffMember:
    """Change what a coordinator most often corrects between roster files. None leaves a field as it is."""
    person = staff_for_change(session, actor, staff_id)
    changed = []
    if active is not None and active != person.active:
        person.active = active
        changed.append("active")
    if mobile is not None:
        try:
            e164 = normalise_mobile(mobile)
        except ValueError as exc:
            raise InputError(f"Mobile: {exc}.") from None
        if e164 != person.mobile:
            person.mobile = e164
            changed.append("mobile")
    if role is not None:
        new_role = one_line(normalise_role(role), "Role", 80)
        if not new_role:
            raise InputError("A role cannot be blank.")
        if new_role != person.role:
            person.role = new_role
            changed.append("role")
    if max_hours_per_week is not None:
        if not 0 < max_hours_per_week <= 168:
            raise InputError("Maximum hours per week must be more than 0 and at most 168.")
        if max_hours_per_week != person.max_hours_per_week:
            person.max_hours_per_week = float(max_hours_per_week)
            changed.append("max_hours_per_week")
    if dbs_level is not None:
        if dbs_level not in DBS_LEVELS:
            raise InputError(f"DBS level must be one of {', '.join(DBS_LEVELS)}.")
        if dbs_level != person.dbs_level:
            person.dbs_level = dbs_level
            changed.append("dbs_level")
    if dbs_expiry is not None and dbs_expiry != person.dbs_expiry:
        person.dbs_expiry = dbs_expiry
        changed.append("dbs_expiry")
    if contact_by is not None:
        if contact_by not in set(ContactBy):
            raise InputError("How a call-out reaches them must be one of: " + ", ".join(LABELS.values()) + ".")
        if contact_by != person.contact_by:
            person.contact_by = ContactBy(contact_by).value
            changed.append("contact_by")
    if changed:
        person.updated_at = now()
        record(session, actor, "update", "staff", person.id, detail="changed " + ", ".join(changed))
    return person


def record_availability(
    session: Session, actor: Actor, staff_id: int, starts_at: datetime, ends_at: datetime, *,
    available: bool, note: str = "",
) -> Availability:
    """A window the person is available (or not). Recording none at all means available any time."""
    person = staff_for_change(session, actor, staff_id)
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InputError("Availability times need a time zone.")
    if ends_at <= starts_at:
        raise InputError("The window must end after it starts.")
    if ends_at - starts_at > MAX_WINDOW:
        raise InputError("A window can be at most 90 days long; record longer stretches in parts.")
    note = one_line(" ".join(note.split()), "The note", 200)
    window = Availability(staff_id=person.id, starts_at=starts_at, ends_at=ends_at, available=available, note=note,
                          recorded_by=actor.username)
    session.add(window)
    session.flush()
    record(session, actor, "create", "staff_availability", window.id,
           detail=f"staff {person.id} {'available' if available else 'unavailable'}")
    return window


def end_time_away(session: Session, actor: Actor, staff_id: int) -> int:
    """The person is available again from now: the unavailability `actor` recorded for them ends
    now (a window not yet begun is removed, one under way is cut short); what anyone else recorded
    stays. How many windows changed."""
    person = staff_for_change(session, actor, staff_id)
    moment = now()
    windows = list(session.scalars(select(Availability).where(
        Availability.staff_id == person.id, away_recorded_by(actor), Availability.ends_at > moment)))
    for window in windows:
        if window.starts_at >= moment:
            session.delete(window)
            record(session, actor, "delete", "staff_availability", window.id, detail=f"staff {person.id} back")
        else:
            window.ends_at = moment
            record(session, actor, "update", "staff_availability", window.id,
                   detail=f"staff {person.id} back: ends_at")
    return len(windows)


def staff_to_read(session: Session, actor: Actor, staff_id: int) -> StaffMember:
    """A staff member the actor may see: a coordinator, only their own agency's."""
    require(actor, Permission.STAFF_VIEW)
    person = session.get(StaffMember, staff_id)
    if person is None:
        raise InputError(f"There is no staff member {staff_id}.")
    if actor.role == Role.AGENCY_COORDINATOR:
        require_agency(actor, person.agency_id)
    return person


def availability_of(session: Session, actor: Actor, staff_id: int) -> list[Availability]:
    staff_to_read(session, actor, staff_id)
    return list(session.scalars(
        select(Availability).where(Availability.staff_id == staff_id).order_by(Availability.starts_at)
    ))


def remove_availability(session: Session, actor: Actor, availability_id: int) -> int:
    require(actor, Permission.STAFF_EDIT)  # before the lookup: no one else learns which windows exist
    window = session.get(Availability, availability_id)
    if window is None:
        raise InputError(f"There is no availability window {availability_id} (already removed?).")
    staff_for_change(session, actor, window.staff_id)
    session.delete(window)
    record(session, actor, "delete", "staff_availability", availability_id, detail=f"staff {window.staff_id}")
    return availability_id
