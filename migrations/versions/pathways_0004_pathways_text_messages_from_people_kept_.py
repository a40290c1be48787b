"""pathways: text messages from people, kept for their caseworkers

Revision ID: pathways_0004
Revises: pathways_0003
"""
import sqlalchemy as sa
from alembic import op

import core.crypto
import core.db


revision = 'pathways_0004'
down_revision = 'pathways_0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('body', core.crypto.EncryptedText(), nullable=False),
    sa.Column('received_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('provider_sid', sa.String(length=64), nullable=False),
    sa.Column('read_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('read_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_person_reply_incident_id_incident')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_reply_person_id_person')),
    sa.ForeignKeyConstraint(['read_by_id'], ['app_user.id'], name=op.f('fk_person_reply_read_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_reply')),
    sa.UniqueConstraint('provider_sid', 'person_id', name=op.f('uq_person_reply_provider_sid_person_id'))
    )
    with op.batch_alter_table('person_reply', schema=None) as batch_op:
        batch_op.create_index('ix_person_reply_incident_unread', ['incident_id', 'read_at'], unique=False)
        batch_op.create_index('ix_person_reply_person', ['person_id', 'received_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('person_reply', schema=None) as batch_op:
        batch_op.drop_index('ix_person_reply_person')
        batch_op.drop_index('ix_person_reply_incident_unread')

    op.drop_table('person_reply')
