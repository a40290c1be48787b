"""A person's record together with every duplicate merged into it: what they agreed to, what was
done and their Victims' Code clock are read across all of them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import in_chunks
from pathways.model import Person


def with_merged(session: Session, person_id: int) -> list[int]:
    """The person and every record merged into it (at any depth)."""
    return with_merged_each(session, [person_id])[person_id]


def with_merged_each(session: Session, person_ids: Collection[int]) -> dict[int, list[int]]:
    """`with_merged` for many people at once (a message to a group of thousands): a query per depth of
    merging, not per person."""
    merged_into: dict[int, list[int]] = {}
    frontier = sorted(set(person_ids))
    while frontier:
        found = [row for chunk in in_chunks(frontier) for row in session.execute(
            select(Person.id, Person.merged_into_id).where(Person.merged_into_id.in_(chunk)))]
        for record_id, into in found:
            merged_into.setdefault(into, []).append(record_id)
        frontier = sorted({record_id for record_id, _ in found})

    def family(person_id: int) -> list[int]:
        ids, todo = [person_id], [person_id]
        while todo:
            below = merged_into.get(todo.pop(), [])
            ids += below
            todo += below
        return ids

    return {person_id: family(person_id) for person_id in person_ids}


def first_registered_at(session: Session, person_id: int) -> datetime:
    """When any of the person's records was first registered: the Victims' Code clock starts there."""
    return session.scalar(select(func.min(Person.registered_at)).where(Person.id.in_(with_merged(session, person_id))))
