"""Changing a constraint (a CHECK) of a SQLite table other tables point at, keeping their rows.

SQLite cannot alter a constraint; Alembic's batch mode copies the table and drops the old one,
and with foreign keys on (as Stand Up runs, migrations included, inside one transaction) that
drop fails for every row pointing at the table, or cascades to delete them. Here the foreign
keys are deferred for the rewrite: the table's rows are kept aside, the table is dropped and
created again under its own name with the new definition (the other tables' references name it,
so they point at the new one), its indexes and triggers are made again, and the rows go back,
which settles every deferred reference before the transaction commits."""

from __future__ import annotations

import re

from sqlalchemy import Connection

# A drop runs these on the rows pointing at the table at once, deferred or not: they would be lost.
_ACTIONS_THAT_LOSE_ROWS = {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT"}


def _rows_pointing_at_would_be_lost(connection: Connection, table: str) -> list[str]:
    tables = [name for (name,) in connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return [f"{child}.{fk[3]} ON DELETE {fk[6]}" for child in tables
            for fk in connection.exec_driver_sql(f'PRAGMA foreign_key_list("{child}")')
            if fk[2] == table and fk[6].upper() in _ACTIONS_THAT_LOSE_ROWS]


def rewrite_definition(connection: Connection, table: str, old: str, new: str) -> None:
    """Replace `old` (which must occur exactly once) by `new` in the table's CREATE TABLE statement.
    Rows already in the table must satisfy the new definition (the insert back checks them)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", table):  # a migration's table name, written into the statements
        raise ValueError(f"not a table name: {table!r}")
    (definition,) = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).one()
    if definition.count(old) != 1:
        raise RuntimeError(f"{table}'s definition should hold {old!r} once; it holds it {definition.count(old)} times")
    if lost := _rows_pointing_at_would_be_lost(connection, table):
        raise RuntimeError(f"rewriting {table} would lose the rows of {', '.join(lost)}")
    others = [sql for (sql,) in connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL",
        (table,))]
    kept = f"_rows_of_{table}"
    connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # switched off again at commit
    connection.exec_driver_sql(f'CREATE TEMP TABLE "{kept}" AS SELECT * FROM "{table}"')  # noqa: S608 (checked above)
    connection.exec_driver_sql(f'DROP TABLE "{table}"')
    connection.exec_driver_sql(definition.replace(old, new))
    for sql in others:
        connection.exec_driver_sql(sql)
    connection.exec_driver_sql(f'INSERT INTO "{table}" SELECT * FROM "{kept}"')  # noqa: S608 (checked above)
    connection.exec_driver_sql(f'DROP TABLE "{kept}"')
    connection.exec_driver_sql("PRAGMA defer_foreign_keys = OFF")
