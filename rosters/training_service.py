"""Staff training records: recorded and read on the staff page, the roster's PFA date among them,
and the training running out that coordinators should book refreshers for. Agency coordinators see
and change only their own agency's people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, Role, require
from core.clock import london, now
from core.errors import InputError
from rosters.model import StaffMember, StaffTraining
from rosters.staff_service import staff_for_change, staff_to_read
from rosters.training import EXPIRING_DAYS, TrainingRecord, checked_record, expiring, records_of


def record_training(session: Session, actor: Actor, staff_id: int, course: str, completed_on: date | None,
                    expires_on: date | None = None) -> StaffTraining:
    """A course the person completed (a refresher adds a record: the earlier ones stay)."""
    person = staff_for_change(session, actor, staff_id)
    checked = checked_record(TrainingRecord(course, completed_on, expires_on), london(now()).date())
    if session.scalar(select(StaffTraining.id).where(
            StaffTraining.staff_id == person.id, StaffTraining.course == checked.course,
            StaffTraining.completed_on == checked.completed_on)) is not None:
        raise InputError(f"{person.name}'s {checked.course} of {checked.completed_on:%d/%m/%Y} is already "
                         "recorded; nothing was added.")
    row = StaffTraining(staff_id=person.id, course=checked.course, completed_on=checked.completed_on,
                        expires_on=checked.expires_on, recorded_by=actor.username)
    session.add(row)
    session.flush()
    session.expire(person, ["trainings"])
    record(session, actor, "create", "staff_training", row.id,
           detail=f"staff {person.id} {checked.course} {checked.completed_on.isoformat()}")
    return row


@dataclass(frozen=True)
class ExpiringTraining:
    staff_id: int
    name: str
    agency_id: int
    course: str
    current_until: date

    @property
    def expired(self) -> bool:
        return self.current_until < london(now()).date()


def expiring_training(session: Session, actor: Actor, *, within_days: int = EXPIRING_DAYS) -> list[ExpiringTraining]:
    """Active staff whose training has run out or runs out within `within_days`, soonest first
    (a coordinator: their own agency's)."""
    require(actor, Permission.STAFF_VIEW)
    today = london(now()).date()
    q = select(StaffMember).where(StaffMember.active.is_(True))
    if actor.role == Role.AGENCY_COORDINATOR:
        q = q.where(StaffMember.agency_id == actor.agency_id)
    found = [ExpiringTraining(person.id, person.name, person.agency_id, course, until)
             for person in session.scalars(q)
             for course, until in expiring(records_of(person), today, within_days).items()]
    return sorted(found, key=lambda e: (e.current_until, e.name, e.course))


def training_of(session: Session, actor: Actor, staff_id: int) -> list[TrainingRecord]:
    """The person's training records, newest first."""
    person = staff_to_read(session, actor, staff_id)
    return sorted(records_of(person), key=lambda r: (r.completed_on, r.course), reverse=True)
