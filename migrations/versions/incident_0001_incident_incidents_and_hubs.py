"""incident: incidents and hubs

Revision ID: incident_0001
Revises: 
Create Date: 2026-11-22 13:25:26.962250
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'incident_0001'
down_revision = None
branch_labels = ('incident',)
depends_on = 'core'


def upgrade() -> None:

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




def downgrade() -> None:

    with op.batch_alter_table('hub', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_incident_id'))

    op.drop_table('hub')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_is_exercise'))

    op.drop_table('incident')

