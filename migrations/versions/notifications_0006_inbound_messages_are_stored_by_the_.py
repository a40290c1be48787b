"""inbound messages are stored by the webhook and handled by the worker

Revision ID: notifications_0006
Revises: notifications_0005
Create Date: 2026-12-06 00:07:56.960321
"""
from alembic import op
import sqlalchemy as sa
import core.db


revision = 'notifications_0006'
down_revision = 'notifications_0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('processed_at', core.db.UTCDateTime(timezone=True), nullable=True))
        # Encrypted by the model (core.crypto.EncryptedText): text in the database.
        batch_op.add_column(sa.Column('pending_body', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_inbound_message_processed_at'), ['processed_at'], unique=False)
    # Every message received so far was handled as it arrived.
    op.execute("UPDATE inbound_message SET processed_at = received_at")


def downgrade() -> None:
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_message_processed_at'))
        batch_op.drop_column('pending_body')
        batch_op.drop_column('processed_at')
