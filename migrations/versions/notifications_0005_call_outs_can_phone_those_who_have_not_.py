"""call-outs can phone those who have not answered

Revision ID: notifications_0005
Revises: notifications_0004
Create Date: 2026-12-05 21:54:08.789309
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'notifications_0005'
down_revision = 'notifications_0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Call-outs already made never asked for calls.
    with op.batch_alter_table('callout', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_if_unanswered', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # Not in batch mode: on SQLite that copies callout, and dropping the old copy with foreign keys on
    # fails (or cascades) for the rows pointing at it. SQLite drops a plain column in place.
    op.drop_column('callout', 'call_if_unanswered')
