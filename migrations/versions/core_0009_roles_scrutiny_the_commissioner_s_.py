"""roles: scrutiny (the commissioner's office) and the Independent Public Advocate

Revision ID: core_0009
Revises: core_0008
Create Date: 2026-12-05 23:20:30.728734
"""
from alembic import op
import sqlalchemy as sa

from core.sqlite_table_rewrite import rewrite_definition


revision = 'core_0009'
down_revision = 'core_0008'
branch_labels = None
depends_on = None

CONSTRAINT = 'ck_app_user_role_known'
BEFORE = "role IN ('gold','hub_manager','agency_coordinator','caseworker','admin','auditor')"
AFTER = "role IN ('gold','hub_manager','agency_coordinator','caseworker','admin','auditor','scrutiny','advocate')"
NEW_ROLES = ('scrutiny', 'advocate')


def _check(old: str, new: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        # Not batch mode: that copies app_user and drops the old copy, which every table recording
        # who did something points at (see core.sqlite_table_rewrite).
        rewrite_definition(bind, 'app_user', old, new)
    else:
        op.drop_constraint(op.f(CONSTRAINT), 'app_user', type_='check')
        op.create_check_constraint(op.f(CONSTRAINT), 'app_user', new)


def upgrade() -> None:
    _check(BEFORE, AFTER)


def downgrade() -> None:
    # The older schema has no place for these accounts; which role each should hold instead (or
    # whether to disable it) is an administrator's decision, not a migration's.
    holders = op.get_bind().execute(
        sa.text("SELECT username, role FROM app_user WHERE role IN :roles ORDER BY username")
        .bindparams(sa.bindparam('roles', expanding=True)), {'roles': list(NEW_ROLES)}).all()
    if holders:
        raise RuntimeError(
            "cannot go back before core_0009: these accounts hold roles the older version does not know: "
            + ", ".join(f"{name} ({role})" for name, role in holders)
            + ". Give each another role (standup users set-role NAME ROLE) first.")
    _check(AFTER, BEFORE)
