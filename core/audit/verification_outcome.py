"""What the last check of every hash chain against its signed checkpoints found (`standup audit
verify`, the worker's nightly check): kept in the audit trail, and shown to administrators and
auditors as an alert while damage is found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.model import AuditEvent
from core.audit.service import record
from core.auth.roles import Actor, Permission, require

ACTION, ENTITY = "verify", "hash_chains"
INTACT = "intact"


@dataclass(frozen=True)
class ChainVerification:
    at: datetime
    by: str
    findings: tuple[str, ...]  # one sentence each; none when intact

    @property
    def intact(self) -> bool:
        return not self.findings


def _newest(session: Session) -> ChainVerification | None:
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == ACTION, AuditEvent.entity == ENTITY)
                           .order_by(AuditEvent.id.desc()).limit(1))
    if event is None:
        return None
    findings = () if event.detail == INTACT else tuple(event.detail.split("\n"))
    return ChainVerification(event.at, event.actor, findings)


def record_outcome(session: Session, actor: Actor, findings: Sequence[str]) -> None:
    """Record what a check found when it differs from what was recorded last: a sound database checked
    every night adds nothing to the trail; damage found, changed, or found gone is recorded once."""
    last = _newest(session)
    if (last.findings if last else ()) != tuple(findings):
        record(session, actor, ACTION, ENTITY, detail="\n".join(findings) or INTACT)


def latest_verification(session: Session, actor: Actor) -> ChainVerification | None:
    """The newest recorded outcome (None: nothing was ever found, nor found gone)."""
    require(actor, Permission.AUDIT_VIEW)
    return _newest(session)
