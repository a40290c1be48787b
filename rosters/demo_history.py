"""The rosters side of the demo's weeks of SMS history (notifications.demo_history): who could be
texted, the surge shifts past call-outs were for, and the places their YESes filled, bulk inserted
as the large demo needs (200,000 messages in seconds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import bulk_insert
from rosters.model import Assignment, AssignmentSource, ShiftRequirement, StaffMember
from rosters.requirement_service import SURGE_PATTERN


@dataclass(frozen=True)
class PastSurge:
    incident_id: int
    hub_id: int
    role: str
    headcount: int
    starts_at: datetime
    ends_at: datetime
    needs_enhanced_dbs: bool
    planned_at: datetime
    planned_by: str


@dataclass(frozen=True)
class PastPlacement:
    requirement_id: int
    staff_id: int
    assigned_at: datetime


def staff_to_text(session: Session) -> list[tuple[int, str, str]]:
    """(id, mobile, name) of every active staff member who has not opted out of texts, by id."""
    return [(i, m, f"{first} {last}") for i, m, first, last in session.execute(
        select(StaffMember.id, StaffMember.mobile, StaffMember.first_name, StaffMember.last_name)
        .where(StaffMember.active.is_(True), StaffMember.sms_opted_out.is_(False)).order_by(StaffMember.id))]


def insert_past_surges(session: Session, surges: list[PastSurge]) -> list[int]:
    """The surges' requirements, numbered in their pattern label by position; their ids, in order."""
    return bulk_insert(session, ShiftRequirement, [dict(
        incident_id=s.incident_id, hub_id=s.hub_id, starts_at=s.starts_at, ends_at=s.ends_at, role=s.role,
        headcount=s.headcount, needs_enhanced_dbs=s.needs_enhanced_dbs, briefing_at=None, debrief_at=None,
        pattern=f"{SURGE_PATTERN}-hist{n:07d}", created_at=s.planned_at, created_by=s.planned_by)
        for n, s in enumerate(surges)])


def insert_callout_placements(session: Session, placements: list[PastPlacement], *, assigned_by: str) -> list[int]:
    """Assignments made by call-outs' YESes; their ids, in order."""
    return bulk_insert(session, Assignment, [dict(
        requirement_id=p.requirement_id, staff_id=p.staff_id, source=AssignmentSource.CALLOUT.value, assigned_at=p.assigned_at,
        assigned_by=assigned_by, withdrawn_at=None, withdrawn_reason="") for p in placements])
