"""notifications: outbox, inbound, opt-out, mobilisation, call-outs

Revision ID: notifications_0001
Revises: 
Create Date: 2026-11-22 13:29:38.593088
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'notifications_0001'
down_revision = None
branch_labels = ('notifications',)
depends_on = ['core', 'incident']


def upgrade() -> None:
    op.create_table('sms_opt_out',
    sa.Column('mobile', sa.String(length=32), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('changed_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('via_message_sid', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('mobile', name=op.f('pk_sms_opt_out'))
    )
    op.create_table('callout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('template', sa.Text(), nullable=False),
    sa.Column('quorum', sa.Integer(), nullable=False),
    sa.Column('wave_interval_minutes', sa.Integer(), nullable=False),
    sa.Column('reminder_after_minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_wave_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('quorum_met_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('exercise_yes_share', sa.Double(), nullable=True),
    sa.Column('exercise_reply_seconds', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_callout_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_callout_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callout')),
    sa.UniqueConstraint('code', name=op.f('uq_callout_code'))
    )
    with op.batch_alter_table('callout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callout_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callout_requirement_id'), ['requirement_id'], unique=False)

    op.create_table('mobilisation_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('to_mobile', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('requested_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('offered', sa.Integer(), nullable=True),
    sa.Column('answered_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_mobilisation_request_agency_id_agency')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_mobilisation_request_incident_id_incident')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'], name=op.f('fk_mobilisation_request_requested_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mobilisation_request'))
    )
    with op.batch_alter_table('mobilisation_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mobilisation_request_incident_id'), ['incident_id'], unique=False)

    op.create_table('callout_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('callout_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('wave', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('asked_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('flag', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['callout_id'], ['callout.id'], name=op.f('fk_callout_recipient_callout_id_callout')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callout_recipient')),
    sa.UniqueConstraint('callout_id', 'staff_id', name=op.f('uq_callout_recipient_callout_id_staff_id'))
    )
    with op.batch_alter_table('callout_recipient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callout_recipient_callout_id'), ['callout_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callout_recipient_mobile'), ['mobile'], unique=False)

    op.create_table('sms_inbound',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_sid', sa.String(length=64), nullable=False),
    sa.Column('from_mobile', sa.String(length=32), nullable=False),
    sa.Column('to_number', sa.String(length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('received_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sender_kind', sa.String(length=20), nullable=False),
    sa.Column('intent', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('callout_id', sa.Integer(), nullable=True),
    sa.Column('mobilisation_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('reply_text', sa.Text(), nullable=False),
    sa.Column('needs_attention', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['callout_id'], ['callout.id'], name=op.f('fk_sms_inbound_callout_id_callout')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_sms_inbound_incident_id_incident')),
    sa.ForeignKeyConstraint(['mobilisation_id'], ['mobilisation_request.id'], name=op.f('fk_sms_inbound_mobilisation_id_mobilisation_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_inbound')),
    sa.UniqueConstraint('provider_sid', name=op.f('uq_sms_inbound_provider_sid'))
    )
    with op.batch_alter_table('sms_inbound', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_inbound_from_mobile'), ['from_mobile'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_inbound_incident_id'), ['incident_id'], unique=False)

    op.create_table('sms_outbound',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('to_mobile', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('segments', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('callout_id', sa.Integer(), nullable=True),
    sa.Column('mobilisation_id', sa.Integer(), nullable=True),
    sa.Column('validity_seconds', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('due_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claim_token', sa.String(length=32), nullable=True),
    sa.Column('claimed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('provider_sid', sa.String(length=64), nullable=True),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('error_text', sa.String(length=300), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['callout_id'], ['callout.id'], name=op.f('fk_sms_outbound_callout_id_callout')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_sms_outbound_incident_id_incident')),
    sa.ForeignKeyConstraint(['mobilisation_id'], ['mobilisation_request.id'], name=op.f('fk_sms_outbound_mobilisation_id_mobilisation_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_outbound')),
    sa.UniqueConstraint('provider_sid', name=op.f('uq_sms_outbound_provider_sid'))
    )
    with op.batch_alter_table('sms_outbound', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_outbound_callout_id'), ['callout_id'], unique=False)
        batch_op.create_index('ix_sms_outbound_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_outbound_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_outbound_to_mobile'), ['to_mobile'], unique=False)

    op.create_table('sms_status_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['sms_outbound.id'], name=op.f('fk_sms_status_event_message_id_sms_outbound')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_status_event'))
    )
    with op.batch_alter_table('sms_status_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_status_event_message_id'), ['message_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sms_status_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_status_event_message_id'))

    op.drop_table('sms_status_event')
    with op.batch_alter_table('sms_outbound', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_outbound_to_mobile'))
        batch_op.drop_index(batch_op.f('ix_sms_outbound_incident_id'))
        batch_op.drop_index('ix_sms_outbound_due')
        batch_op.drop_index(batch_op.f('ix_sms_outbound_callout_id'))

    op.drop_table('sms_outbound')
    with op.batch_alter_table('sms_inbound', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_inbound_incident_id'))
        batch_op.drop_index(batch_op.f('ix_sms_inbound_from_mobile'))

    op.drop_table('sms_inbound')
    with op.batch_alter_table('callout_recipient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callout_recipient_mobile'))
        batch_op.drop_index(batch_op.f('ix_callout_recipient_callout_id'))

    op.drop_table('callout_recipient')
    with op.batch_alter_table('mobilisation_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mobilisation_request_incident_id'))

    op.drop_table('mobilisation_request')
    with op.batch_alter_table('callout', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callout_requirement_id'))
        batch_op.drop_index(batch_op.f('ix_callout_incident_id'))

    op.drop_table('callout')
    op.drop_table('sms_opt_out')
