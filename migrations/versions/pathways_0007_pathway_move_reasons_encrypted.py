"""pathway move reasons encrypted

Revision ID: pathways_0007
Revises: pathways_0006
Create Date: 2026-12-05 22:51:19.868138
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'pathways_0007'
down_revision = 'pathways_0006'
branch_labels = None
depends_on = None


def _rewrite(change) -> None:
    events = sa.table("stage_event", sa.column("id", sa.Integer), sa.column("reason", sa.Text))
    bind = op.get_bind()
    for row in bind.execute(sa.select(events.c.id, events.c.reason)).all():
        bind.execute(events.update().where(events.c.id == row.id).values(reason=change(row.reason)))


def upgrade() -> None:
    # Why a person's pathway was changed may name a health matter: encrypted like the health fields.
    from core.crypto import encrypt

    _rewrite(encrypt)  # every value, "" and "[erased]" too: the column now reads everything through the key


def downgrade() -> None:
    from core.crypto import decrypt

    _rewrite(decrypt)
