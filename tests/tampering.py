"""What someone with write access to the database would do to an append-only table: switch its
triggers off (PostgreSQL: for the statement; SQLite: drop them from the test's own copy), and, to
cover their tracks, rebuild a chain's hashes and move its head to match."""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session


def bypassing_append_only(db, conn: Connection, table: str, sql: str, params: dict | None = None) -> None:
    """Run `sql` with every trigger of `table` out of the way (the append-only ones, and chain_head's
    forward-only ones)."""
    if db.kind == "postgresql":
        conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        conn.execute(text(sql), params or {})
        conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
    else:
        for (trigger,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                                       {"t": table}).all():
            conn.execute(text(f'DROP TRIGGER "{trigger}"'))
        conn.execute(text(sql), params or {})


def _rehash(db, conn: Connection, table: str, rows: list, fields_of) -> tuple[int, str]:
    from core.hashchain import GENESIS, link

    previous = GENESIS
    for row in rows:
        new = link(previous, fields_of(row))
        bypassing_append_only(db, conn, table, f"UPDATE {table} SET prev_hash = :p, hash = :h WHERE id = :i",  # noqa: S608
                              {"p": previous, "h": new, "i": row.id})
        previous = new
    return len(rows), previous


def _move_head(db, conn: Connection, chain: str, length: int, head_hash: str) -> None:
    bypassing_append_only(db, conn, "chain_head", "UPDATE chain_head SET length = :n, head_hash = :h WHERE chain = :c",
                          {"n": length, "h": head_hash, "c": chain})


def rebuild_audit_trail(db, conn: Connection) -> None:
    """Every sequenced audit event's hashes recomputed, in chain order, from its content as it is
    now, and the head moved to match: the trail, however edited, links up and agrees with its head."""
    from core.audit.chain_head import AUDIT_CHAIN
    from core.audit.model import AuditEvent
    from core.audit.sequencing import chained_fields

    events = list(Session(bind=conn).query(AuditEvent).filter(AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq))
    _move_head(db, conn, AUDIT_CHAIN, *_rehash(db, conn, "audit_event", events, chained_fields))


def rebuild_decision_log(db, conn: Connection, incident_id: int) -> None:
    """The incident's decision log rehashed and its head moved, then the entry hashes the audit trail
    recorded replaced with the new ones and the trail rebuilt too: nothing in the database disagrees."""
    import incident.decision_service as decision_service
    from core.audit.chain_head import decision_log_chain
    from incident.model import DecisionLogEntry

    entries = list(Session(bind=conn).query(DecisionLogEntry).filter_by(incident_id=incident_id)
                   .order_by(DecisionLogEntry.sequence))
    old = {e.sequence: e.hash for e in entries}
    _move_head(db, conn, decision_log_chain(incident_id),
               *_rehash(db, conn, "decision_log_entry", entries, decision_service._fields))
    for sequence, new in conn.execute(text("SELECT sequence, hash FROM decision_log_entry WHERE incident_id = :i"),
                                      {"i": incident_id}).all():
        bypassing_append_only(db, conn, "audit_event", "UPDATE audit_event SET detail = replace(detail, :old, :new) "
                              "WHERE entity = 'decision_log_entry'", {"old": old[sequence], "new": new})
    rebuild_audit_trail(db, conn)
