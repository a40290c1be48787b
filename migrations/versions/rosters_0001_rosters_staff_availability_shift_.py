"""rosters: staff, availability, shift requirements, assignments

Revision ID: rosters_0001
Revises: 
Create Date: 2026-11-22 13:27:46.561992
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'rosters_0001'
down_revision = None
branch_labels = ('rosters',)
depends_on = ['core', 'incident']


def upgrade() -> None:
    op.create_table('staff_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('staff_ref', sa.String(length=60), nullable=False),
    sa.Column('first_name', sa.String(length=120), nullable=False),
    sa.Column('last_name', sa.String(length=120), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=80), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('dbs_level', sa.String(length=10), nullable=True),
    sa.Column('dbs_expiry', sa.Date(), nullable=True),
    sa.Column('pfa_trained_on', sa.Date(), nullable=True),
    sa.Column('home_postcode', sa.String(length=10), nullable=True),
    sa.Column('max_hours_per_week', sa.Double(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sms_opted_out', sa.Boolean(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('max_hours_per_week IS NULL OR (max_hours_per_week > 0 AND max_hours_per_week <= 168)', name=op.f('ck_staff_member_hours_in_a_week')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_staff_member_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_member')),
    sa.UniqueConstraint('agency_id', 'staff_ref', name=op.f('uq_staff_member_agency_id_staff_ref'))
    )
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_member_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_member_mobile'), ['mobile'], unique=False)

    op.create_table('staff_availability',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('available', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=80), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_staff_availability_ends_after_start')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id'], name=op.f('fk_staff_availability_staff_id_staff_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_availability'))
    )
    with op.batch_alter_table('staff_availability', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_availability_staff_id'), ['staff_id'], unique=False)

    op.create_table('shift_requirement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('role', sa.String(length=80), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('needs_enhanced_dbs', sa.Boolean(), nullable=False),
    sa.Column('briefing_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('debrief_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('pattern', sa.String(length=40), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_shift_requirement_ends_after_start')),
    sa.CheckConstraint('headcount > 0', name=op.f('ck_shift_requirement_headcount_positive')),
    sa.ForeignKeyConstraint(['hub_id'], ['hub.id'], name=op.f('fk_shift_requirement_hub_id_hub')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_shift_requirement_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_requirement'))
    )
    with op.batch_alter_table('shift_requirement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shift_requirement_hub_id'), ['hub_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_requirement_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_requirement_starts_at'), ['starts_at'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('assigned_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('assigned_by', sa.String(length=80), nullable=False),
    sa.Column('withdrawn_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_reason', sa.String(length=300), nullable=False),
    sa.CheckConstraint("source IN ('manual','autofill','callout')", name=op.f('ck_assignment_source_known')),
    sa.ForeignKeyConstraint(['requirement_id'], ['shift_requirement.id'], name=op.f('fk_assignment_requirement_id_shift_requirement')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id'], name=op.f('fk_assignment_staff_id_staff_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment')),
    sa.UniqueConstraint('requirement_id', 'staff_id', name=op.f('uq_assignment_requirement_id_staff_id'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_requirement_id'), ['requirement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_staff_id'), ['staff_id'], unique=False)

    op.create_table('requirement_skill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('skill','language')", name=op.f('ck_requirement_skill_kind_known')),
    sa.CheckConstraint('count > 0', name=op.f('ck_requirement_skill_count_positive')),
    sa.ForeignKeyConstraint(['requirement_id'], ['shift_requirement.id'], name=op.f('fk_requirement_skill_requirement_id_shift_requirement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirement_skill')),
    sa.UniqueConstraint('requirement_id', 'kind', 'name', name=op.f('uq_requirement_skill_requirement_id_kind_name'))
    )
    with op.batch_alter_table('requirement_skill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_skill_requirement_id'), ['requirement_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('requirement_skill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requirement_skill_requirement_id'))

    op.drop_table('requirement_skill')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_staff_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_requirement_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('shift_requirement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_requirement_starts_at'))
        batch_op.drop_index(batch_op.f('ix_shift_requirement_incident_id'))
        batch_op.drop_index(batch_op.f('ix_shift_requirement_hub_id'))

    op.drop_table('shift_requirement')
    with op.batch_alter_table('staff_availability', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_availability_staff_id'))

    op.drop_table('staff_availability')
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_member_mobile'))
        batch_op.drop_index(batch_op.f('ix_staff_member_agency_id'))

    op.drop_table('staff_member')
