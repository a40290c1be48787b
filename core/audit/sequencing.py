"""Sequencing the audit trail into its hash chain.

`record` inserts each event unsequenced: no lock, no read of the chain, so audited writes in every
process commit side by side. The sequencer then gives the committed events their places in batches,
under the chain's one turn, as a Certificate Transparency log sequences the entries it was handed:
each its position (`seq`), the previous event's hash and its own, and the chain's head moved once
for the batch. The worker runs it every second; whatever reads or signs the whole chain runs it
first. Meanwhile the database refuses every change to a waiting event but the one that sequences it
(core.append_only.create_sequenced_statements). Chain order is `seq`, not id: an event that commits
after higher ids were sequenced simply takes the next position.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from core.audit.chain_head import AUDIT_CHAIN, advance_head
from core.audit.model import AuditEvent
from core.db import reading, unit_of_work
from core.hashchain import GENESIS, link

CHAINED_FIELDS = (
    "at", "actor_user_id", "actor", "role", "action", "entity", "entity_id", "incident_id", "reason",
    "recipient", "detail",
)

BATCH = 5000  # events sequenced in one go: one head move, a unit of work of well under a second

# One PostgreSQL advisory lock: only the sequencer takes it, so two never hand out a position twice.
_CHAIN_LOCK = 726_001


def chained_fields(event: Any) -> dict:
    """What an event's hash covers, from the event or a row with its columns."""
    return {name: getattr(event, name) for name in CHAINED_FIELDS}


def _take_the_chains_turn(session: Session) -> None:
    """Held until the unit of work ends (PostgreSQL; on SQLite the unit of work's write lock, taken
    at its start, is the turn)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})


def unsequenced(session: Session) -> int:
    """Events written but not yet in the chain."""
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq.is_(None))) or 0


def sequence_pending(session: Session, limit: int = BATCH) -> int:
    """Give up to `limit` committed unsequenced events, lowest id first, the next positions in the
    chain, and move the head once by as many; how many were sequenced."""
    _take_the_chains_turn(session)
    # Read under the turn: each statement sees every event committed so far, the last batch's included.
    waiting = session.execute(
        select(AuditEvent.id, *(getattr(AuditEvent, name) for name in CHAINED_FIELDS))
        .where(AuditEvent.seq.is_(None)).order_by(AuditEvent.id).limit(limit)).all()
    if not waiting:
        return 0
    # The newest sequenced event, as `record` read it when it linked each event itself: an end
    # removed outside Stand Up stays visible as the head counting more than there are.
    newest = session.execute(select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.seq.is_not(None))
                             .order_by(AuditEvent.seq.desc()).limit(1)).first()
    position, previous = (newest.seq, newest.hash) if newest else (0, GENESIS)
    links = []
    for event in waiting:
        position += 1
        chained = link(previous, chained_fields(event))
        links.append({"event": event.id, "position": position, "previous": previous, "chained": chained})
        previous = chained
    table = AuditEvent.__table__
    session.execute(update(table).where(table.c.id == bindparam("event"))
                    .values(seq=bindparam("position"), prev_hash=bindparam("previous"), hash=bindparam("chained")),
                    links)
    advance_head(session, AUDIT_CHAIN, previous, rows=len(links))
    return len(links)


def sequence_committed(session: Session) -> int:
    """Every committed event into the chain, in the caller's unit of work (before the chain is read
    or signed, so it covers everything written so far); how many."""
    return _until_none_left(lambda: sequence_pending(session))


def catch_up(engine: Engine | None = None) -> int:
    """The worker's sweep: every committed event into the chain, a batch to a unit of work (short
    commits); how many. When none is waiting it costs one indexed read and takes no lock."""
    with reading(engine) as session:
        if session.scalar(select(AuditEvent.id).where(AuditEvent.seq.is_(None)).limit(1)) is None:
            return 0

    def one_batch() -> int:
        with unit_of_work(engine) as session:
            return sequence_pending(session)

    return _until_none_left(one_batch)


def _until_none_left(sequence_a_batch: Callable[[], int]) -> int:
    """Batches until one comes back short (nothing more was waiting); how many events in all."""
    total = 0
    while True:
        done = sequence_a_batch()
        total += done
        if done < BATCH:
            return total
