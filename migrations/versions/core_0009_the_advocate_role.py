"""the advocate role: app_user.role may be 'advocate' (the Independent Public Advocate)

Revision ID: core_0009
Revises: core_0008
Create Date: 2026-12-06 00:35:00
"""
from alembic import op


revision = 'core_0009'
down_revision = 'core_0008'
branch_labels = None
depends_on = None

BEFORE = "role IN ('gold','hub_manager','agency_coordinator','caseworker','admin','auditor')"
AFTER = "role IN ('gold','hub_manager','agency_coordinator','caseworker','admin','auditor','advocate')"


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_app_user_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', AFTER)


def downgrade() -> None:
    op.execute("UPDATE app_user SET active = false, role = 'auditor' WHERE role = 'advocate'")
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_app_user_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', BEFORE)
