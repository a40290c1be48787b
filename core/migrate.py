"""Bringing a database to the newest schema (Alembic, one branch per domain)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Apply every domain's migrations up to their newest revision."""
    command.upgrade(alembic_config(engine), "heads")


def downgrade_all(engine: Engine) -> None:
    command.downgrade(alembic_config(engine), "base")


def behind(engine: Engine) -> set[str]:
    """The newest revisions of each domain this database has not reached (empty when current)."""
    newest = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    with engine.connect() as conn:
        applied = set(MigrationContext.configure(conn).get_current_heads())
    return newest - applied
