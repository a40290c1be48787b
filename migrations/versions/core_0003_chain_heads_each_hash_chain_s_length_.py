"""core: chain heads (each hash chain's length and newest hash), moved forward only

Revision ID: core_0003
Revises: core_0002
"""
import sqlalchemy as sa
from alembic import op

from core.audit import chain_head

revision = 'core_0003'
down_revision = 'core_0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chain_head',
    sa.Column('chain', sa.String(length=60), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_chain_head'))
    )
    # The audit trail written so far is counted as it stands (the decision logs: incident_0003).
    op.execute("INSERT INTO chain_head (chain, length, head_hash) "
               "SELECT 'audit', (SELECT count(*) FROM audit_event), hash FROM audit_event "
               "WHERE id = (SELECT max(id) FROM audit_event)")
    for statement in chain_head.forward_only_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in chain_head.drop_forward_only_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('chain_head')
