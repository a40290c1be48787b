"""incident: incidents, status history, M/ETHANE, decision log, activations, hubs, command

Revision ID: incident_0001
Revises: 
Create Date: 2026-11-22 13:27:19.450883
"""
from alembic import op
import sqlalchemy as sa
import core.db
from core import append_only


revision = 'incident_0001'
down_revision = None
branch_labels = ('incident',)
depends_on = 'core'

# Spelled out, not imported, so this migration stays what it was when later models change.
APPEND_ONLY_TABLES = (
    "incident_status_change", "methane_report", "decision_log_entry", "activation_stage_change", "command_handover",
)


def upgrade() -> None:
    op.create_table('activation_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activation_service')),
    sa.UniqueConstraint('name', name=op.f('uq_activation_service_name'))
    )
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('is_exercise', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('declared_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_incident_created_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident')),
    sa.UniqueConstraint('name', 'opened_on', name=op.f('uq_incident_name_opened_on'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_is_exercise'), ['is_exercise'], unique=False)

    op.create_table('commander',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('started_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('assigned_by_name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_commander_agency_id_agency')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_commander_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commander'))
    )
    with op.batch_alter_table('commander', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commander_incident_id'), ['incident_id'], unique=False)

    op.create_table('decision_log_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('decided_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decision_maker', sa.String(length=160), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_name', sa.String(length=120), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('options_considered', sa.Text(), nullable=False),
    sa.Column('late_reason', sa.Text(), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('correction_reason', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['corrects_id'], ['decision_log_entry.id'], name=op.f('fk_decision_log_entry_corrects_id_decision_log_entry')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_decision_log_entry_incident_id_incident')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['app_user.id'], name=op.f('fk_decision_log_entry_recorded_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_log_entry')),
    sa.UniqueConstraint('incident_id', 'sequence', name=op.f('uq_decision_log_entry_incident_id_sequence'))
    )
    with op.batch_alter_table('decision_log_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_log_entry_incident_id'), ['incident_id'], unique=False)

    op.create_table('hub',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('opening_hours', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_hub_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub')),
    sa.UniqueConstraint('incident_id', 'name', name=op.f('uq_hub_incident_id_name'))
    )
    with op.batch_alter_table('hub', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_incident_id'), ['incident_id'], unique=False)

    op.create_table('incident_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('by_name', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['app_user.id'], name=op.f('fk_incident_status_change_by_user_id_app_user')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_status_change_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_status_change'))
    )
    with op.batch_alter_table('incident_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_status_change_incident_id'), ['incident_id'], unique=False)

    op.create_table('methane_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('major_incident', sa.String(length=20), nullable=False),
    sa.Column('exact_location', sa.Text(), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('cordon_radius_m', sa.Double(), nullable=True),
    sa.Column('incident_type', sa.Text(), nullable=False),
    sa.Column('hazards', sa.Text(), nullable=False),
    sa.Column('access', sa.Text(), nullable=False),
    sa.Column('casualties', sa.Text(), nullable=False),
    sa.Column('emergency_services', sa.Text(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_methane_report_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_methane_report_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_methane_report')),
    sa.UniqueConstraint('incident_id', 'version', name=op.f('uq_methane_report_incident_id_version'))
    )
    with op.batch_alter_table('methane_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_methane_report_incident_id'), ['incident_id'], unique=False)

    op.create_table('service_activation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('lead_agency_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_service_activation_incident_id_incident')),
    sa.ForeignKeyConstraint(['lead_agency_id'], ['agency.id'], name=op.f('fk_service_activation_lead_agency_id_agency')),
    sa.ForeignKeyConstraint(['service_id'], ['activation_service.id'], name=op.f('fk_service_activation_service_id_activation_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_activation'))
    )
    with op.batch_alter_table('service_activation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_activation_incident_id'), ['incident_id'], unique=False)

    op.create_table('activation_stage_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activation_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('by_name', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['activation_id'], ['service_activation.id'], name=op.f('fk_activation_stage_change_activation_id_service_activation')),
    sa.ForeignKeyConstraint(['by_user_id'], ['app_user.id'], name=op.f('fk_activation_stage_change_by_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activation_stage_change'))
    )
    with op.batch_alter_table('activation_stage_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activation_stage_change_activation_id'), ['activation_id'], unique=False)

    op.create_table('command_handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('outgoing_id', sa.Integer(), nullable=False),
    sa.Column('incoming_id', sa.Integer(), nullable=False),
    sa.Column('handed_over_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('briefing', sa.Text(), nullable=False),
    sa.Column('recorded_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_command_handover_incident_id_incident')),
    sa.ForeignKeyConstraint(['incoming_id'], ['commander.id'], name=op.f('fk_command_handover_incoming_id_commander')),
    sa.ForeignKeyConstraint(['outgoing_id'], ['commander.id'], name=op.f('fk_command_handover_outgoing_id_commander')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_command_handover'))
    )
    with op.batch_alter_table('command_handover', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_command_handover_incident_id'), ['incident_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY_TABLES:
        for statement in append_only.create_statements(dialect, table):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY_TABLES:
        for statement in append_only.drop_statements(dialect, table):
            op.execute(statement)
    with op.batch_alter_table('command_handover', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_command_handover_incident_id'))

    op.drop_table('command_handover')
    with op.batch_alter_table('activation_stage_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activation_stage_change_activation_id'))

    op.drop_table('activation_stage_change')
    with op.batch_alter_table('service_activation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_activation_incident_id'))

    op.drop_table('service_activation')
    with op.batch_alter_table('methane_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_methane_report_incident_id'))

    op.drop_table('methane_report')
    with op.batch_alter_table('incident_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_status_change_incident_id'))

    op.drop_table('incident_status_change')
    with op.batch_alter_table('hub', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_incident_id'))

    op.drop_table('hub')
    with op.batch_alter_table('decision_log_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_log_entry_incident_id'))

    op.drop_table('decision_log_entry')
    with op.batch_alter_table('commander', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commander_incident_id'))

    op.drop_table('commander')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_is_exercise'))

    op.drop_table('incident')
    op.drop_table('activation_service')
