"""questionnaires' validated translations an administrator loads

Revision ID: pathways_0014
Revises: pathways_0013
Create Date: 2026-12-06 03:20:00
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'pathways_0014'
down_revision = 'pathways_0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('instrument_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument', sa.String(length=10), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('lines', sa.Text(), nullable=False),
    sa.Column('loaded_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('loaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['loaded_by_id'], ['app_user.id'], name=op.f('fk_instrument_translation_loaded_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_translation')),
    sa.UniqueConstraint('instrument', 'language', name=op.f('uq_instrument_translation_instrument_language'))
    )


def downgrade() -> None:
    op.drop_table('instrument_translation')
