"""pathways: designated clinicians, clinical duty per incident, alert assignment and escalation

Revision ID: pathways_0002
Revises: pathways_0001
"""
import sqlalchemy as sa
from alembic import op

import core.db


revision = 'pathways_0002'
down_revision = 'pathways_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clinician',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('named_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('named_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['named_by_id'], ['app_user.id'], name=op.f('fk_clinician_named_by_id_app_user')),
    sa.ForeignKeyConstraint(['removed_by_id'], ['app_user.id'], name=op.f('fk_clinician_removed_by_id_app_user')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_clinician_user_id_app_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_clinician'))
    )
    op.create_table('clinical_duty',
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('clinician_id', sa.Integer(), nullable=True),
    sa.Column('since', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('escalate_after_minutes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['clinician_id'], ['app_user.id'], name=op.f('fk_clinical_duty_clinician_id_app_user')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_clinical_duty_incident_id_incident')),
    sa.ForeignKeyConstraint(['set_by_id'], ['app_user.id'], name=op.f('fk_clinical_duty_set_by_id_app_user')),
    sa.PrimaryKeyConstraint('incident_id', name=op.f('pk_clinical_duty'))
    )
    with op.batch_alter_table('safety_alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('notified_at', core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('escalated_at', core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_safety_alert_assigned_to_id_app_user'), 'app_user', ['assigned_to_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('safety_alert', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_safety_alert_assigned_to_id_app_user'), type_='foreignkey')
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('notified_at')
        batch_op.drop_column('assigned_to_id')

    op.drop_table('clinical_duty')
    op.drop_table('clinician')
