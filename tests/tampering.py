"""What someone with write access to the database would do to an append-only table: switch its
triggers off (PostgreSQL: for the statement; SQLite: drop them from the test's own copy)."""

from __future__ import annotations

from sqlalchemy import Connection, text


def bypassing_append_only(db, conn: Connection, table: str, sql: str, params: dict | None = None) -> None:
    if db.kind == "postgresql":
        conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        conn.execute(text(sql), params or {})
        conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only"))
    else:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_update"))
        conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))
        conn.execute(text(sql), params or {})
