"""A person's record together with every duplicate merged into it: what they agreed to, what was
done and their Victims' Code clock are read across all of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pathways.model import Person


def with_merged(session: Session, person_id: int) -> list[int]:
    """The person and every record merged into it (at any depth)."""
    ids, frontier = [person_id], [person_id]
    while frontier:
        frontier = list(session.scalars(select(Person.id).where(Person.merged_into_id.in_(frontier))))
        ids += frontier
    return ids


def first_registered_at(session: Session, person_id: int) -> datetime:
    """When any of the person's records was first registered: the Victims' Code clock starts there."""
    return session.scalar(select(func.min(Person.registered_at)).where(Person.id.in_(with_merged(session, person_id))))
