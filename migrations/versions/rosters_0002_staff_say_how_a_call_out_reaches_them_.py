"""staff say how a call-out reaches them: SMS then a call, SMS only, or a call first

Revision ID: rosters_0002
Revises: rosters_0001
Create Date: 2026-12-05 22:50:38.035016
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'rosters_0002'
down_revision = 'rosters_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Everyone on a roster already was texted, then phoned when a call-out allowed calls.
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_by', sa.String(length=20), nullable=False,
                                      server_default='sms_then_call'))


def downgrade() -> None:
    # Not in batch mode: on SQLite that copies staff_member, and dropping the old copy (foreign keys
    # on) would delete every availability window with it. SQLite drops a plain column in place.
    op.drop_column('staff_member', 'contact_by')
