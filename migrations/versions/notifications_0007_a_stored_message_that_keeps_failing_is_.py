"""a stored message that keeps failing is counted and parked

Revision ID: notifications_0007
Revises: notifications_0006
Create Date: 2026-12-06 03:22:50.473646
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'notifications_0007'
down_revision = 'notifications_0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('failure', sa.String(length=300), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.drop_column('failure')
        batch_op.drop_column('attempts')
