"""The training a role needs: a course everyone working in that role must hold current, on every
shift of the role (a hub's support workers need psychological first aid), checked by the same
hard rule as the course one shift requires (rosters.constraints, "training"). Set by those who plan
shifts; read by every assignment, auto-fill and call-out through `courses_by_role`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.errors import InputError
from core.typed_text import one_line
from rosters.model import RoleTraining, ShiftRequirement
from rosters.skills import normalise_role
from rosters.training import course_named


@dataclass(frozen=True)
class RoleCourse:
    role: str
    course: str
    set_at: datetime
    set_by: str


def courses_by_role(session: Session) -> dict[str, tuple[str, ...]]:
    """Per role, the courses it needs current (roles needing none are absent). Read once per use
    case and passed to rosters.assignment_service.slot_for: a handful of rows."""
    found: dict[str, list[str]] = defaultdict(list)
    for role, course in session.execute(select(RoleTraining.role, RoleTraining.course)
                                        .order_by(RoleTraining.role, RoleTraining.course)):
        found[role].append(course)
    return {role: tuple(courses) for role, courses in found.items()}


def role_training(session: Session, actor: Actor) -> list[RoleCourse]:
    """Every role's required courses, by role."""
    require(actor, Permission.STAFF_VIEW)
    return [RoleCourse(r.role, r.course, r.set_at, r.set_by)
            for r in session.scalars(select(RoleTraining).order_by(RoleTraining.role, RoleTraining.course))]


def _role_and_course(role: str, course: str) -> tuple[str, str]:
    named_role = normalise_role(one_line(role, "role", RoleTraining.role.type.length))
    if not named_role:
        raise InputError("Name the role that needs the training.")
    return named_role, course_named(course)


def require_role_training(session: Session, actor: Actor, role: str, course: str) -> RoleCourse:
    """From now on everyone working in `role` needs `course` current; people already on shifts stay
    (a planner sees who no longer qualifies on the assignment page)."""
    require(actor, Permission.SHIFTS_PLAN)
    named_role, named_course = _role_and_course(role, course)
    if session.get(RoleTraining, (named_role, named_course)) is not None:
        raise InputError(f"The role {named_role} already needs {named_course}; nothing was changed.")
    row = RoleTraining(role=named_role, course=named_course, set_by=actor.username)
    session.add(row)
    session.flush()
    shifts = session.scalar(select(func.count()).where(ShiftRequirement.role == named_role))
    record(session, actor, "create", "role_training", named_role,
           detail=f"role {named_role} needs {named_course} ({shifts} shifts of the role planned)")
    return RoleCourse(row.role, row.course, row.set_at, row.set_by)


def release_role_training(session: Session, actor: Actor, role: str, course: str) -> RoleCourse:
    """The role no longer needs the course (a shift that names it still does)."""
    require(actor, Permission.SHIFTS_PLAN)
    named_role, named_course = _role_and_course(role, course)
    row = session.get(RoleTraining, (named_role, named_course))
    if row is None:
        raise InputError(f"The role {named_role} does not need {named_course}; nothing was changed.")
    session.delete(row)
    released = RoleCourse(row.role, row.course, row.set_at, row.set_by)
    record(session, actor, "delete", "role_training", named_role, detail=f"role {named_role} no longer needs {named_course}")
    return released
