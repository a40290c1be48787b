"""channels: one outbox for every channel, opt-outs per channel

Revision ID: notifications_0004
Revises: notifications_0003
Create Date: 2026-12-05 21:34:35.389243
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'notifications_0004'
down_revision = 'notifications_0003'
branch_labels = None
depends_on = None


# The rows move to the new tables whole: SMS rows become the "sms" channel's; going back, only
# SMS rows fit the old tables (other channels' messages are dropped with the new tables).
_OUT = ("id, incident_id, {dest}, body, segments, purpose, callout_id, mobilisation_id, validity_seconds, status, "
        "due_at, attempts, claim_token, claimed_at, provider_sid, error_code, error_text, created_at, status_at")
_IN = ("id, provider_sid, {sender}, to_number, body, received_at, sender_kind, intent, code, number, incident_id, "
       "callout_id, mobilisation_id, outcome, reply_text, needs_attention")
_EVENT = "id, message_id, status, at, source, error_code, note"
UP = [
    ("outbound_message", f"INSERT INTO outbound_message (channel, {_OUT.format(dest='destination')}) "
                         f"SELECT 'sms', {_OUT.format(dest='to_mobile')} FROM sms_outbound"),
    ("outbound_status_event", f"INSERT INTO outbound_status_event ({_EVENT}) SELECT {_EVENT} FROM sms_status_event"),
    ("inbound_message", f"INSERT INTO inbound_message (channel, {_IN.format(sender='sender')}) "
                        f"SELECT 'sms', {_IN.format(sender='from_mobile')} FROM sms_inbound"),
    (None, "INSERT INTO opt_out (channel, address, opted_out, changed_at, via_message_sid) "
           "SELECT 'sms', mobile, opted_out, changed_at, via_message_sid FROM sms_opt_out"),
]
DOWN = [
    ("sms_outbound", f"INSERT INTO sms_outbound ({_OUT.format(dest='to_mobile')}) "
                     f"SELECT {_OUT.format(dest='destination')} FROM outbound_message WHERE channel = 'sms'"),
    ("sms_status_event", f"INSERT INTO sms_status_event ({_EVENT}) SELECT e.id, e.message_id, e.status, e.at, "
                         "e.source, e.error_code, e.note FROM outbound_status_event e JOIN outbound_message m "
                         "ON m.id = e.message_id WHERE m.channel = 'sms'"),
    ("sms_inbound", f"INSERT INTO sms_inbound ({_IN.format(sender='from_mobile')}) "
                    f"SELECT {_IN.format(sender='sender')} FROM inbound_message WHERE channel = 'sms'"),
    (None, "INSERT INTO sms_opt_out (mobile, opted_out, changed_at, via_message_sid) "
           "SELECT address, opted_out, changed_at, via_message_sid FROM opt_out WHERE channel = 'sms'"),
]


def _copy(steps) -> None:
    bind = op.get_bind()
    for table, statement in steps:
        op.execute(statement)
        if table and bind.dialect.name == "postgresql":  # ids were copied: the sequence starts after them
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), "
                       f"MAX(id) IS NOT NULL) FROM {table}")


def upgrade() -> None:
    op.create_table('opt_out',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('changed_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('via_message_sid', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'address', name=op.f('pk_opt_out'))
    )
    op.create_table('inbound_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_sid', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('sender', sa.String(length=320), nullable=False),
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
    sa.ForeignKeyConstraint(['callout_id'], ['callout.id'], name=op.f('fk_inbound_message_callout_id_callout')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_inbound_message_incident_id_incident')),
    sa.ForeignKeyConstraint(['mobilisation_id'], ['mobilisation_request.id'], name=op.f('fk_inbound_message_mobilisation_id_mobilisation_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_message')),
    sa.UniqueConstraint('provider_sid', name=op.f('uq_inbound_message_provider_sid'))
    )
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.create_index('ix_inbound_message_attention', ['needs_attention', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_message_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_message_sender'), ['sender'], unique=False)

    op.create_table('outbound_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('destination', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=True),
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
    sa.ForeignKeyConstraint(['callout_id'], ['callout.id'], name=op.f('fk_outbound_message_callout_id_callout')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_outbound_message_incident_id_incident')),
    sa.ForeignKeyConstraint(['mobilisation_id'], ['mobilisation_request.id'], name=op.f('fk_outbound_message_mobilisation_id_mobilisation_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_message')),
    sa.UniqueConstraint('provider_sid', name=op.f('uq_outbound_message_provider_sid'))
    )
    with op.batch_alter_table('outbound_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_message_callout_id'), ['callout_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_message_destination'), ['destination'], unique=False)
        batch_op.create_index('ix_outbound_message_due', ['channel', 'status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_message_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index('ix_outbound_message_incident_status', ['incident_id', 'status'], unique=False)

    op.create_table('outbound_status_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['outbound_message.id'], name=op.f('fk_outbound_status_event_message_id_outbound_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_status_event'))
    )
    with op.batch_alter_table('outbound_status_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_status_event_message_id'), ['message_id'], unique=False)

    _copy(UP)

    with op.batch_alter_table('sms_status_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_status_event_message_id'))

    op.drop_table('sms_status_event')

    with op.batch_alter_table('sms_outbound', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_outbound_callout_id'))
        batch_op.drop_index(batch_op.f('ix_sms_outbound_due'))
        batch_op.drop_index(batch_op.f('ix_sms_outbound_incident_id'))
        batch_op.drop_index(batch_op.f('ix_sms_outbound_incident_status'))
        batch_op.drop_index(batch_op.f('ix_sms_outbound_to_mobile'))

    op.drop_table('sms_outbound')
    with op.batch_alter_table('sms_inbound', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_inbound_attention'))
        batch_op.drop_index(batch_op.f('ix_sms_inbound_from_mobile'))
        batch_op.drop_index(batch_op.f('ix_sms_inbound_incident_id'))

    op.drop_table('sms_inbound')
    op.drop_table('sms_opt_out')


def downgrade() -> None:
    op.create_table('sms_opt_out',
    sa.Column('mobile', sa.String(length=32), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('changed_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('via_message_sid', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('mobile', name=op.f('pk_sms_opt_out'))
    )
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
        batch_op.create_index(batch_op.f('ix_sms_inbound_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_inbound_from_mobile'), ['from_mobile'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_inbound_attention'), ['needs_attention', 'id'], unique=False)

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
        batch_op.create_index(batch_op.f('ix_sms_outbound_to_mobile'), ['to_mobile'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_outbound_incident_status'), ['incident_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_outbound_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_outbound_due'), ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_outbound_callout_id'), ['callout_id'], unique=False)

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

    _copy(DOWN)

    with op.batch_alter_table('outbound_status_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_status_event_message_id'))

    op.drop_table('outbound_status_event')
    with op.batch_alter_table('outbound_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbound_message_incident_status')
        batch_op.drop_index(batch_op.f('ix_outbound_message_incident_id'))
        batch_op.drop_index('ix_outbound_message_due')
        batch_op.drop_index(batch_op.f('ix_outbound_message_destination'))
        batch_op.drop_index(batch_op.f('ix_outbound_message_callout_id'))

    op.drop_table('outbound_message')
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_message_sender'))
        batch_op.drop_index(batch_op.f('ix_inbound_message_incident_id'))
        batch_op.drop_index('ix_inbound_message_attention')

    op.drop_table('inbound_message')
    op.drop_table('opt_out')
