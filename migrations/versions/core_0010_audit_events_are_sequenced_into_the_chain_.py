"""core: audit events are written unsequenced and sequenced into the hash chain in batches

Revision ID: core_0010
Revises: core_0009
"""
from alembic import op
import sqlalchemy as sa

from core import append_only
from core.sqlite_table_rewrite import rewrite_definition


revision = 'core_0010'
down_revision = 'core_0009'
branch_labels = None
depends_on = None

# Every column of audit_event but seq, prev_hash and hash: what sequencing must leave as it is.
OTHER_COLUMNS = ('id', 'at', 'actor_user_id', 'actor', 'role', 'action', 'entity', 'entity_id', 'incident_id',
                 'reason', 'recipient', 'detail')
HASHES_REQUIRED = 'prev_hash VARCHAR(64) NOT NULL, \n\thash VARCHAR(64) NOT NULL,'
HASHES_LATER = 'prev_hash VARCHAR(64), \n\thash VARCHAR(64),'


def _hashes_nullable(nullable: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        # Not batch mode: that copies audit_event and drops the old copy, which audit_note points at
        # (see core.sqlite_table_rewrite).
        rewrite_definition(bind, 'audit_event', *((HASHES_REQUIRED, HASHES_LATER) if nullable
                                                  else (HASHES_LATER, HASHES_REQUIRED)))
    else:
        for column in ('prev_hash', 'hash'):
            op.alter_column('audit_event', column, existing_type=sa.String(length=64), nullable=nullable)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in append_only.drop_statements(dialect, 'audit_event'):
        op.execute(statement)
    op.add_column('audit_event', sa.Column('seq', sa.Integer(), nullable=True))
    # The chain so far was linked in id order: its positions are its ids' order, so every signed
    # checkpoint's length still names the same event.
    op.execute('UPDATE audit_event SET seq = numbered.position '
               'FROM (SELECT id, row_number() OVER (ORDER BY id) AS position FROM audit_event) AS numbered '
               'WHERE audit_event.id = numbered.id')
    _hashes_nullable(True)
    op.create_index(op.f('ix_audit_event_seq'), 'audit_event', ['seq'], unique=True)
    op.create_index('ix_audit_event_unsequenced', 'audit_event', ['id'], unique=False,
                    sqlite_where=sa.text('seq IS NULL'), postgresql_where=sa.text('seq IS NULL'))
    for statement in append_only.create_sequenced_statements(dialect, 'audit_event', OTHER_COLUMNS):
        op.execute(statement)


def _refuse_what_the_older_version_cannot_hold() -> None:
    bind = op.get_bind()
    waiting = bind.execute(sa.text('SELECT count(*) FROM audit_event WHERE seq IS NULL')).scalar_one()
    if waiting:
        raise RuntimeError(
            f"cannot go back before core_0010: {waiting} audit event{'' if waiting == 1 else 's'} "
            "not yet sequenced into the hash chain, which the older version has no place for. Start the worker "
            "or run `standup audit verify` (each sequences every committed event), stop every process that "
            "writes, then go back.")
    # The older version walks the chain in id order; an event that committed after higher ids
    # were sequenced follows them in the chain and would read there as tampering.
    late = bind.execute(sa.text('SELECT count(*) FROM audit_event a JOIN audit_event b ON b.seq = a.seq + 1 '
                                'WHERE b.id < a.id')).scalar_one()
    if late:
        raise RuntimeError(
            f"cannot go back before core_0010: the audit trail's chain is in the order events committed, and "
            f"{late} event{'' if late == 1 else 's'} committed after one with a higher id; the older version "
            "walks it in id order and would report them as altered. Restore a backup taken before core_0010 "
            "instead.")


def downgrade() -> None:
    _refuse_what_the_older_version_cannot_hold()
    dialect = op.get_bind().dialect.name
    for statement in append_only.drop_sequenced_statements(dialect, 'audit_event'):
        op.execute(statement)
    op.drop_index('ix_audit_event_unsequenced', table_name='audit_event')
    op.drop_index(op.f('ix_audit_event_seq'), table_name='audit_event')
    op.drop_column('audit_event', 'seq')
    _hashes_nullable(False)
    for statement in append_only.create_statements(dialect, 'audit_event'):
        op.execute(statement)
