"""audit notes: what a person typed to justify an event, encrypted beside it

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-12-05 22:51:18.536816
"""
from alembic import op
import sqlalchemy as sa
import core.crypto
import core.db


revision = 'core_0006'
down_revision = 'core_0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_note',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('note', core.crypto.EncryptedText(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['audit_event.id'], name=op.f('fk_audit_note_event_id_audit_event')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_audit_note'))
    )


def downgrade() -> None:
    op.drop_table('audit_note')
