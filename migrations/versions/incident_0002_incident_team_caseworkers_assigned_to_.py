"""incident team: caseworkers assigned to an incident

Revision ID: incident_0002
Revises: incident_0001
"""
import sqlalchemy as sa
from alembic import op

import core.db

revision = 'incident_0002'
down_revision = 'incident_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident_team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_by_name', sa.String(length=120), nullable=False),
    sa.Column('removed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_by_name', sa.String(length=120), nullable=False),
    sa.Column('removal_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['app_user.id'], name=op.f('fk_incident_team_member_assigned_by_id_app_user')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_team_member_incident_id_incident')),
    sa.ForeignKeyConstraint(['removed_by_id'], ['app_user.id'], name=op.f('fk_incident_team_member_removed_by_id_app_user')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_incident_team_member_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_team_member'))
    )
    with op.batch_alter_table('incident_team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_team_member_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_team_member_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('incident_team_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_team_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_incident_team_member_incident_id'))

    op.drop_table('incident_team_member')
