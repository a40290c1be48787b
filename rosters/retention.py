"""How long a partner agency's staff record is kept once they leave its roster.

A roster is the agency's own list, kept current by its imports and its coordinator; Stand Up
holds a copy to staff the hub. Someone taken off the roster (inactive) and not changed since
for two years (default) is anonymised: name, mobile, email and home postcode go; the row and its
assignments stay, so the hub's record of who-covered-what counts up for the inquiry, by agency
and role. A later import with the same staff_ref simply fills the row in again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.retention import RetentionRule
from rosters.model import StaffMember

ERASED = "[erased]"
STAFF_DAYS = 2 * 365


def _staff_due(session: Session, cutoff: datetime) -> list[int]:
    return list(session.scalars(select(StaffMember.id).where(
        StaffMember.active.is_(False), StaffMember.updated_at < cutoff, StaffMember.last_name != ERASED)))


def _staff_anonymise(session: Session, ids: Sequence[int]) -> None:
    # The mobile becomes a per-row placeholder: texts are never sent to inactive staff, and a
    # shared placeholder would look like one mobile held by many people to the import's checks.
    for staff_id in ids:
        session.execute(update(StaffMember).where(StaffMember.id == staff_id).values(
            first_name=ERASED, last_name=ERASED, mobile=f"erased-{staff_id}", email=None, home_postcode=None,
            languages=[], skills=[]))


RETENTION = (
    RetentionRule("staff", STAFF_DAYS, "anonymised",
                  "name and contact details of staff off their agency's roster, from their last change",
                  _staff_due, _staff_anonymise),
)
