"""indexes for the large exercise: SMS by incident and status, replies needing a person, recipients by staff and when asked

Revision ID: notifications_0003
Revises: notifications_0002
Create Date: 2026-12-01 11:00:38.530979
"""
from alembic import op


revision = 'notifications_0003'
down_revision = 'notifications_0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('callout_recipient', schema=None) as batch_op:
        batch_op.create_index('ix_callout_recipient_staff_asked', ['staff_id', 'asked_at'], unique=False)

    with op.batch_alter_table('sms_inbound', schema=None) as batch_op:
        batch_op.create_index('ix_sms_inbound_attention', ['needs_attention', 'id'], unique=False)

    with op.batch_alter_table('sms_outbound', schema=None) as batch_op:
        batch_op.create_index('ix_sms_outbound_incident_status', ['incident_id', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sms_outbound', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_outbound_incident_status')

    with op.batch_alter_table('sms_inbound', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_inbound_attention')

    with op.batch_alter_table('callout_recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_callout_recipient_staff_asked')

