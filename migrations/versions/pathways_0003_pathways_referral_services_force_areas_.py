"""pathways: referral services' force areas, the area each referral is for

Revision ID: pathways_0003
Revises: pathways_0002
"""
import sqlalchemy as sa
from alembic import op

import core.db


revision = 'pathways_0003'
down_revision = 'pathways_0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('referral_coverage',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('nationwide', sa.Boolean(), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_referral_coverage_agency_id_agency')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], name=op.f('fk_referral_coverage_updated_by_id_app_user')),
    sa.PrimaryKeyConstraint('agency_id', name=op.f('pk_referral_coverage'))
    )
    op.create_table('referral_coverage_area',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('force_area', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['referral_coverage.agency_id'], name=op.f('fk_referral_coverage_area_agency_id_referral_coverage')),
    sa.PrimaryKeyConstraint('agency_id', 'force_area', name=op.f('pk_referral_coverage_area'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('for_force_area', sa.String(length=60), nullable=False, server_default=''))
        batch_op.alter_column('area_note',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.String(length=400),
               existing_nullable=False)
    # Referrals made before: they were for the person's home area (or nowhere known).
    op.execute("UPDATE referral SET for_force_area = (SELECT person.force_area FROM person "
               "WHERE person.id = referral.person_id)")



def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.alter_column('area_note',
               existing_type=sa.String(length=400),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)
        batch_op.drop_column('for_force_area')

    op.drop_table('referral_coverage_area')
    op.drop_table('referral_coverage')
