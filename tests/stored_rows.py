"""Every row of every table, for tests that prove a refused request changed nothing at all."""

from __future__ import annotations

from sqlalchemy import Engine, select

import standup.models  # noqa: F401  (every domain's tables on the metadata)
from core.db import Base


def every_row(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
                for table in Base.metadata.sorted_tables}
