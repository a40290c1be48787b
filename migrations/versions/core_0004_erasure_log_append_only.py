"""core: the erasure log is append-only (UPDATE and DELETE refused by the database)

Revision ID: core_0004
Revises: core_0003
"""
from alembic import op

from core import append_only

revision = 'core_0004'
down_revision = 'core_0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in append_only.create_statements(op.get_bind().dialect.name, "erasure_log"):
        op.execute(statement)


def downgrade() -> None:
    # The shared standup_refuse_change() function stays: audit_event's trigger still uses it.
    for statement in append_only.drop_statements(op.get_bind().dialect.name, "erasure_log"):
        op.execute(statement)
