"""names matched as read: keys folded for accents, case and look-alike letters

Revision ID: pathways_0006
Revises: pathways_0005
Create Date: 2026-12-05 22:43:41.064118
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'pathways_0006'
down_revision = 'pathways_0005'
branch_labels = None
depends_on = None


def _rekey(key) -> None:
    people = sa.table("person", sa.column("id", sa.Integer), sa.column("given_name", sa.String),
                      sa.column("family_name", sa.String), sa.column("given_key", sa.String),
                      sa.column("family_key", sa.String))
    bind = op.get_bind()
    for row in bind.execute(sa.select(people.c.id, people.c.given_name, people.c.family_name)).all():
        bind.execute(people.update().where(people.c.id == row.id).values(
            given_key=key(row.given_name), family_key=key(row.family_name)))


def upgrade() -> None:
    # Search and duplicate blocking compare these keys: a Cyrillic "А" twin must key as "a".
    from core.lookalikes import fold

    _rekey(fold)


def downgrade() -> None:
    _rekey(str.lower)
