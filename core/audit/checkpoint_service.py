"""Signing the hash chains' heads (the worker's cycle) and reading the signed checkpoints back."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.audit.checkpoint_targets import CheckpointTarget, checkpoint_file
from core.audit.checkpoints import Checkpoint, from_line, holds, sign
from core.audit.model import AuditCheckpoint, ChainHead
from core.audit.sequencing import sequence_committed
from core.audit.signing_key import private_key, public_key, public_key_text
from core.clock import as_utc, now, show
from core.hashchain import Head
from core.settings import get_settings

log = logging.getLogger("standup.checkpoints")

# One PostgreSQL advisory lock: two workers never sign the same head twice.
_CHECKPOINT_LOCK = 726_002


def _newest_signed(session: Session) -> dict[str, Head]:
    newest = select(func.max(AuditCheckpoint.id)).group_by(AuditCheckpoint.chain)
    rows = session.execute(select(AuditCheckpoint.chain, AuditCheckpoint.length, AuditCheckpoint.head_hash)
                           .where(AuditCheckpoint.id.in_(newest)))
    return {chain: Head(length, head_hash) for chain, length, head_hash in rows}


def write_checkpoints(session: Session, targets: Sequence[CheckpointTarget]) -> list[Checkpoint]:
    """Sign the head of every chain that grew since its last checkpoint (the audit trail's once every
    committed event is sequenced) and keep the checkpoints in every target. A head that is shorter
    than, or as long as but other than, the one signed last was not moved by Stand Up (heads only
    move forward): it is not signed, and the nightly check names it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHECKPOINT_LOCK})
    sequence_committed(session)  # the audit trail's head then covers every event committed so far
    signed = _newest_signed(session)
    moved = []
    for chain, length, head_hash in session.execute(select(ChainHead.chain, ChainHead.length, ChainHead.head_hash)
                                                    .order_by(ChainHead.chain)):
        last = signed.get(chain)
        if last is None or length > last.length:
            moved.append((chain, Head(length, head_hash)))
        elif (length, head_hash) != (last.length, last.hash):
            log.error("the head of %s went back to %d rows or was replaced outside Stand Up: not signed "
                      "(the last checkpoint counted %d)", chain, length, last.length)
    if not moved:
        return []
    key, at = private_key(), now()
    checkpoints = [sign(chain, head, at, key) for chain, head in moved]
    for target in targets:
        target.write(session, checkpoints)
    return checkpoints


@dataclass(frozen=True)
class SignedCheckpoints:
    """Every checkpoint whose signature holds, from the file and the table together (a genuine one
    missing from either still counts), and what was wrong with the rest, one sentence each."""

    genuine: tuple[Checkpoint, ...]
    problems: tuple[str, ...]
    public_key: str

    def of(self, chain: str) -> list[Checkpoint]:
        return [c for c in self.genuine if c.chain == chain]

    @property
    def chains(self) -> set[str]:
        return {c.chain for c in self.genuine}


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:20])) + (f" and {len(numbers) - 20} more" if len(numbers) > 20 else "")
    return f"line{'' if len(numbers) == 1 else 's'} {shown}"


def _from_file(path: Path, public: Ed25519PublicKey) -> tuple[list[Checkpoint], list[str]]:
    genuine, unreadable, unsigned = [], [], []
    with path.open(encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                checkpoint = from_line(line)
            except ValueError:
                unreadable.append(number)
                continue
            if holds(checkpoint, public):
                genuine.append(checkpoint)
            else:
                unsigned.append(number)
    problems = []
    if unsigned:
        problems.append(f"The checkpoint file {path}: {_lines(unsigned)} not signed with this installation's key "
                        f"({public_key_text(public)}): the file was altered outside Stand Up.")
    if unreadable:
        problems.append(f"The checkpoint file {path}: {_lines(unreadable)} not a checkpoint: the file was altered "
                        "outside Stand Up.")
    return genuine, problems


def _from_table(session: Session) -> list[Checkpoint]:
    return [Checkpoint(c.chain, c.length, c.head_hash, as_utc(c.at).isoformat(), c.key_id, c.signature)
            for c in session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id))]


def signed_checkpoints(session: Session, public: Ed25519PublicKey | None = None) -> SignedCheckpoints:
    """Read the checkpoint file and the table; `public`: the force's recorded public key (default:
    this installation's)."""
    public = public or public_key()
    path = checkpoint_file(get_settings().data_dir)
    in_file, problems = _from_file(path, public) if path.exists() else ([], [])
    in_table = _from_table(session)
    forged = [c for c in in_table if not holds(c, public)]
    if forged:
        problems.append(f"The database's copy of the checkpoints has {len(forged)} not signed with this "
                        "installation's key: altered in the database.")
    filed = {c.signature for c in in_file}
    lost = [c for c in in_table if c not in forged and c.signature not in filed]
    if lost and not path.exists():
        problems.append(f"The checkpoint file {path} is missing; the database holds {len(lost)} signed "
                        "checkpoints: it was removed outside Stand Up.")
    elif lost:
        problems.append(f"The checkpoint file {path} lacks {len(lost)} signed checkpoints the database holds "
                        f"(the newest signed {show(lost[-1].signed_at, '%d %b %Y %H:%M:%S')} London time): lines were removed from it outside Stand Up.")
    genuine = {c.signature: c for c in [*in_file, *(c for c in in_table if c not in forged)]}
    return SignedCheckpoints(tuple(genuine.values()), tuple(problems), public_key_text(public))
