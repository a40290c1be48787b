"""equality monitoring (sex, ethnic group, disability; encrypted) and the day right 1's communication
needs were met

Revision ID: pathways_0013
Revises: pathways_0012
Create Date: 2026-12-06 03:04:31.527150
"""
from alembic import op
import sqlalchemy as sa
import core.crypto


revision = 'pathways_0013'
down_revision = 'pathways_0012'
branch_labels = None
depends_on = None

MONITORING = ('sex', 'ethnic_group', 'disability')


def upgrade() -> None:
    # Plain nullable columns: added in place on both databases (no batch copy of person, which
    # every other table of pathways points at). None is "not recorded".
    op.add_column('person', sa.Column('communication_met_on', sa.Date(), nullable=True))
    for name in MONITORING:
        op.add_column('person', sa.Column(name, core.crypto.EncryptedText(), nullable=True))


def downgrade() -> None:
    # Not in batch mode: on SQLite that copies person, and dropping the old copy would take every row
    # pointing at it. SQLite drops a plain column in place.
    for name in reversed(MONITORING):
        op.drop_column('person', name)
    op.drop_column('person', 'communication_met_on')
