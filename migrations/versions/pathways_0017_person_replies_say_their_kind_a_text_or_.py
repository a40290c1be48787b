"""person replies say their kind: a text, or feedback

Revision ID: pathways_0017
Revises: pathways_0016
Create Date: 2026-12-06 03:08:11.538403
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'pathways_0017'
down_revision = 'pathways_0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every message kept so far was a text the person sent.
    with op.batch_alter_table('person_reply', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=12), nullable=False, server_default='text'))


def downgrade() -> None:
    # SQLite drops a plain column in place; nothing points at person_reply's kind.
    op.drop_column('person_reply', 'kind')
