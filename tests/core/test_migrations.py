from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import standup.models  # noqa: F401
from core.db import Base, make_engine
from core.migrate import downgrade_all, upgrade


def _fresh_engine(db, tmp_path):
    if db.kind == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    engine = db.engine
    downgrade_all(engine)  # the fixture's database is migrated; start this test from empty
    return engine


def test_migrations_go_up_from_empty_and_back_down(db, tmp_path):
    engine = _fresh_engine(db, tmp_path)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"app_user", "audit_event", "agency", "incident", "worker_heartbeat"} <= tables
    assert tables - {"alembic_version"} == set(Base.metadata.tables)
    downgrade_all(engine)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)  # and up again, as the rest of the suite expects


def test_the_models_and_the_migrations_agree(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
