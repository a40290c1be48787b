"""mobilisation requests carry a code

Revision ID: notifications_0002
Revises: notifications_0001
Create Date: 2026-12-01 08:20:30.337768
"""
from alembic import op
import sqlalchemy as sa


revision = 'notifications_0002'
down_revision = 'notifications_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Requests made before this have no code: they can still be answered with a bare number.
    with op.batch_alter_table('mobilisation_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=4), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_mobilisation_request_code'), ['code'])


def downgrade() -> None:
    with op.batch_alter_table('mobilisation_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_mobilisation_request_code'), type_='unique')
        batch_op.drop_column('code')
