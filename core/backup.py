"""A consistent copy of the database and back: SQLite's online backup API, PostgreSQL's
pg_dump/pg_restore (the server's own tools, so nothing of the schema is missed)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from core.errors import InputError
from core.private_files import private_file

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def _pg_env_args(engine: Engine) -> tuple[dict[str, str], list[str]]:
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    env = {"PGPASSWORD": url.password or ""}
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432), "-U", url.username or "", "-d", url.database or ""]
    return env, args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise InputError(f"{name} is not installed: install the PostgreSQL client tools (Debian: postgresql-client)")
    return found


def backup(engine: Engine, target: Path) -> int:
    """Write a consistent copy to `target`; returns its size in bytes."""
    private_file(target)  # pg_dump and SQLite write into it and keep its mode
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(make_url(str(engine.url)).database)
        try:
            dest = sqlite3.connect(target)
            with dest:
                source.backup(dest)  # consistent even while the web server and worker write
            dest.close()
        finally:
            source.close()
    else:
        env, args = _pg_env_args(engine)
        done = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
                              env={**env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
        if done.returncode != 0:
            raise InputError(f"pg_dump failed: {done.stderr.strip().splitlines()[-1] if done.stderr else done.returncode}")
    return target.stat().st_size


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's contents with the copy in `source` (same kind of database)."""
    if not source.is_file():
        raise InputError(f"{source} does not exist")
    head = source.read_bytes()[:16]
    if engine.dialect.name == "sqlite":
        if head != SQLITE_MAGIC:
            raise InputError(f"{source} is not a SQLite backup of Stand Up")
        check = sqlite3.connect(source)
        try:
            if not check.execute("SELECT name FROM sqlite_master WHERE name = 'alembic_version'").fetchone():
                raise InputError(f"{source} is a SQLite file but not a Stand Up database")
            target = sqlite3.connect(make_url(str(engine.url)).database)
            with target:
                check.backup(target)
            target.close()
        finally:
            check.close()
        engine.dispose()
        return
    if not head.startswith(PG_MAGIC):
        raise InputError(f"{source} is not a PostgreSQL backup (pg_dump custom format) of Stand Up")
    listing = subprocess.run([_tool("pg_restore"), "--list", str(source)], capture_output=True, text=True)
    if listing.returncode != 0 or " alembic_version " not in listing.stdout:
        raise InputError(f"{source} is a PostgreSQL dump but not of a Stand Up database")
    engine.dispose()
    env, args = _pg_env_args(engine)
    done = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                           *args, str(source)], env={**env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    if done.returncode != 0:
        raise InputError(f"pg_restore failed: {done.stderr.strip().splitlines()[-1] if done.stderr else done.returncode}")
