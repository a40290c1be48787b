"""index for out-of-area referrals by incident

Revision ID: pathways_0005
Revises: pathways_0004
Create Date: 2026-12-01 11:00:45.793653
"""
from alembic import op


revision = 'pathways_0005'
down_revision = 'pathways_0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index('ix_referral_incident_out_of_area', ['incident_id', 'out_of_area'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_incident_out_of_area')

