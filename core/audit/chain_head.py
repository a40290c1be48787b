"""Chain heads: each append to a hash chain moves its head in the same transaction, so a chain
whose newest rows were removed is found short (core.hashchain.check_chain). The caller holds the
chain's turn (the audit trail's sequencer its advisory lock, a decision log the incident row)."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from core.audit.model import ChainHead
from core.hashchain import Head

AUDIT_CHAIN = "audit"


def decision_log_chain(incident_id: int) -> str:
    return f"decision_log:{incident_id}"


def decision_log_incident(chain: str) -> int | None:
    """The incident whose decision log a chain is; None for any other chain."""
    prefix, _, number = chain.partition(":")
    return int(number) if prefix == "decision_log" and number.isdigit() else None


def chain_names(session: Session) -> list[str]:
    """Every chain that has a head."""
    return list(session.scalars(select(ChainHead.chain).order_by(ChainHead.chain)))


def advance_head(session: Session, chain: str, new_hash: str, rows: int = 1) -> None:
    """`rows` more rows (a decision log's one entry; a batch the audit trail's sequencer placed), and
    the newest one's hash. The database counts (length + rows), so no stale copy can count wrong."""
    moved = session.execute(update(ChainHead).where(ChainHead.chain == chain)
                            .values(length=ChainHead.length + rows, head_hash=new_hash)
                            .execution_options(synchronize_session=False))
    if moved.rowcount == 0:
        session.execute(insert(ChainHead).values(chain=chain, length=rows, head_hash=new_hash))


def head_of(session: Session, chain: str) -> Head | None:
    head = session.get(ChainHead, chain, populate_existing=True)
    return None if head is None else Head(head.length, head.head_hash)


_REFUSAL = "chain_head only moves forward: a hash chain cannot be shortened or its head removed"
PG_RATCHET = f"""
CREATE OR REPLACE FUNCTION standup_chain_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '{_REFUSAL}';
    END IF;
    IF NEW.length <= OLD.length OR NEW.chain <> OLD.chain THEN
        RAISE EXCEPTION '{_REFUSAL}';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def forward_only_statements(dialect: str) -> list[str]:
    """Database triggers: a head is never deleted, and an update must lengthen the chain."""
    if dialect == "postgresql":
        return [PG_RATCHET, "CREATE TRIGGER chain_head_forward_only BEFORE UPDATE OR DELETE ON chain_head "
                            "FOR EACH ROW EXECUTE FUNCTION standup_chain_head_forward_only()"]
    return [
        "CREATE TRIGGER chain_head_forward_only BEFORE UPDATE ON chain_head "
        f"WHEN NEW.length <= OLD.length OR NEW.chain <> OLD.chain BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
        f"CREATE TRIGGER chain_head_no_delete BEFORE DELETE ON chain_head BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
    ]


def drop_forward_only_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return ["DROP TRIGGER IF EXISTS chain_head_forward_only ON chain_head",
                "DROP FUNCTION IF EXISTS standup_chain_head_forward_only()"]
    return ["DROP TRIGGER IF EXISTS chain_head_forward_only", "DROP TRIGGER IF EXISTS chain_head_no_delete"]
