"""Every row of every table, for tests that prove a refused request changed nothing at all."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import standup.models  # noqa: F401  (every domain's tables on the metadata)
from core.db import Base, unit_of_work
from core.errors import InputError


def every_row(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
                for table in Base.metadata.sorted_tables}


def assert_control_character_refused(engine: Engine, send: Callable[[Session], object], field: str) -> None:
    """`send` is refused with a message that starts with the field's name, and no row changed."""
    before = every_row(engine)
    with pytest.raises(InputError, match=f"^{re.escape(field)} holds a control character"), \
            unit_of_work(engine) as session:
        send(session)
    assert every_row(engine) == before
