"""Alembic environment: the engine comes from the caller (core.migrate), never from a URL in a file."""

from alembic import context

import standup.models  # noqa: F401  every table, so autogenerate sees the whole schema
from core.db import Base

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
