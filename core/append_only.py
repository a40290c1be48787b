"""Database-level refusal of UPDATE and DELETE on append-only tables.

Services never edit these tables; the triggers make sure nothing else does either
(a hand-written SQL statement, a bug in a later migration).
"""

from __future__ import annotations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION standup_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: write a correction instead', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql
"""


def create_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [
            PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION standup_refuse_change()",
        ]
    return [_sqlite_refusal(table, "no_update", "UPDATE"), _sqlite_refusal(table, "no_delete", "DELETE")]


def _sqlite_refusal(table: str, name: str, event: str, unless: str = "") -> str:
    when = f"WHEN NOT ({unless}) " if unless else ""
    return (f"CREATE TRIGGER {table}_{name} BEFORE {event} ON {table} "
            f"{when}BEGIN SELECT RAISE(ABORT, '{table} is append-only: write a correction instead'); END")


def drop_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]


# A hash-chained table whose rows are written unsequenced and given their place in the chain later
# (audit_event: core.audit.sequencing). One update is allowed, once per row: setting seq, prev_hash
# and hash, none left NULL, on a row not yet sequenced, every other column unchanged.
_PLACED_ONCE = ("OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL "
                "AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL")
_PG_SEQUENCED_FUNCTION = f"""
CREATE OR REPLACE FUNCTION standup_refuse_change_but_sequencing() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {_PLACED_ONCE}
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: write a correction instead', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql
"""


def create_sequenced_statements(dialect: str, table: str, other_columns: tuple[str, ...]) -> list[str]:
    """The append-only triggers of a sequenced table (same names as create_statements'). PostgreSQL
    compares the whole row but the three sequencing columns; SQLite compares `other_columns`, so a
    migration adding a column to such a table makes these triggers again with it."""
    if dialect == "postgresql":
        return [
            _PG_SEQUENCED_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION standup_refuse_change_but_sequencing()",
        ]
    unchanged = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in other_columns)
    return [_sqlite_refusal(table, "no_update", "UPDATE", unless=f"{_PLACED_ONCE} AND {unchanged}"),
            _sqlite_refusal(table, "no_delete", "DELETE")]


def drop_sequenced_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [*drop_statements(dialect, table), "DROP FUNCTION IF EXISTS standup_refuse_change_but_sequencing()"]
    return drop_statements(dialect, table)
