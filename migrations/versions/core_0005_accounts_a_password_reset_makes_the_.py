"""accounts: a password reset makes the next sign-in choose a new one

Revision ID: core_0005
Revises: core_0004
Create Date: 2026-12-05 22:36:15.029514
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'core_0005'
down_revision = 'core_0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        # Existing accounts keep their passwords.
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    # Not in batch mode: on SQLite that copies app_user, and dropping the old copy with foreign keys on
    # fails (or cascades) for the rows pointing at it. SQLite drops a plain column in place.
    op.drop_column('app_user', 'must_change_password')

