"""incident: each decision log's chain head, counted from the entries written so far

Revision ID: incident_0003
Revises: incident_0002
"""
from alembic import op

revision = 'incident_0003'
down_revision = 'incident_0002'
branch_labels = None
depends_on = 'core_0003'


def upgrade() -> None:
    op.execute(
        "INSERT INTO chain_head (chain, length, head_hash) "
        "SELECT 'decision_log:' || e.incident_id, "
        "(SELECT count(*) FROM decision_log_entry c WHERE c.incident_id = e.incident_id), e.hash "
        "FROM decision_log_entry e "
        "WHERE e.sequence = (SELECT max(m.sequence) FROM decision_log_entry m WHERE m.incident_id = e.incident_id) "
        "AND NOT EXISTS (SELECT 1 FROM chain_head h WHERE h.chain = 'decision_log:' || e.incident_id)"
    )


def downgrade() -> None:
    pass  # heads never go back (the database refuses); core_0003's downgrade drops the table
