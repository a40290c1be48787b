"""Gold's decision log: append-only, one hash chain per incident, corrections strike through."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.chain_head import advance_head, decision_log_chain, head_of
from core.audit.model import AuditEvent
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.hashchain import GENESIS, ChainCheck, against_head, link, walk
from core.typed_text import free_text, one_line
from incident.access import require_incident_access
from incident.decision_timing import check_timing
from incident.lifecycle_service import actor_name, lock_incident
from incident.model import DecisionLogEntry, Incident

CHAINED_FIELDS = (
    "incident_id", "sequence", "decided_at", "recorded_at", "decision_maker", "recorded_by_id", "recorded_by_name",
    "decision", "rationale", "options_considered", "late_reason", "corrects_id", "correction_reason",
)


def _fields(entry: DecisionLogEntry) -> dict:
    return {name: getattr(entry, name) for name in CHAINED_FIELDS}


@dataclass(frozen=True)
class Decision:
    decided_at: datetime
    decision_maker: str
    decision: str
    rationale: str
    options_considered: str = ""  # the options considered and why they were rejected
    late_reason: str = ""


def _checked(d: Decision) -> Decision:
    """The entry's text trimmed, each part storable and the ones every entry needs filled in."""
    d = replace(d, decision_maker=one_line(d.decision_maker, "The decision-maker", 160),
                decision=free_text(d.decision, "The decision"), rationale=free_text(d.rationale, "The rationale"),
                options_considered=free_text(d.options_considered, "The options considered"),
                late_reason=free_text(d.late_reason, "The reason it is late", 1000))
    for name, value in (("decision-maker", d.decision_maker), ("decision", d.decision),
                        ("rationale", d.rationale)):
        if not value:
            raise InputError(f"A decision log entry needs the {name}.")
    return d


def _append(session: Session, actor: Actor, incident_id: int, d: Decision, *, corrects: DecisionLogEntry | None,
            correction_reason: str) -> DecisionLogEntry:
    d = _checked(d)
    lock_incident(session, incident_id)  # one writer per chain at a time
    recorded_at = now()
    check_timing(d.decided_at, recorded_at, d.late_reason)
    last = session.scalar(select(DecisionLogEntry).where(DecisionLogEntry.incident_id == incident_id)
                          .order_by(DecisionLogEntry.sequence.desc()).limit(1))
    if last is not None and _same(last, d, corrects):
        raise InputError(f"This decision is already entry {last.sequence} (sent twice?); nothing was added.")
    entry = DecisionLogEntry(
        incident_id=incident_id, sequence=(last.sequence + 1) if last else 1, decided_at=d.decided_at,
        recorded_at=recorded_at, decision_maker=d.decision_maker, recorded_by_id=actor.user_id,
        recorded_by_name=actor_name(actor), decision=d.decision, rationale=d.rationale,
        options_considered=d.options_considered, late_reason=d.late_reason,
        corrects_id=corrects.id if corrects else None, correction_reason=correction_reason,
    )
    entry.prev_hash = last.hash if last else GENESIS
    entry.hash = link(entry.prev_hash, _fields(entry))
    session.add(entry)
    session.flush()
    advance_head(session, decision_log_chain(incident_id), entry.hash)
    # The entry's hash goes into the audit trail too: one chain vouches for the other, so removing
    # the newest entries (or rewriting the log with fresh hashes) shows up against it.
    record(session, actor, "correct" if corrects else "create", "decision_log_entry", entry.id,
           incident_id=incident_id, reason=correction_reason,
           detail=f"entry {entry.sequence} hash {entry.hash}"
           + (f" corrects entry {corrects.sequence}" if corrects else ""))
    return entry


def _same(last: DecisionLogEntry, d: Decision, corrects: DecisionLogEntry | None) -> bool:
    """The same entry again: a double click or a second tab, not a decision made twice."""
    return (last.decided_at == d.decided_at and last.decision == d.decision
            and last.decision_maker == d.decision_maker
            and last.corrects_id == (corrects.id if corrects else None))


def log_decision(session: Session, actor: Actor, incident_id: int, decision: Decision) -> DecisionLogEntry:
    """Append a decision to the incident's log."""
    require(actor, Permission.INCIDENT_COMMAND)
    return _append(session, actor, incident_id, decision, corrects=None, correction_reason="")


def correct_decision(session: Session, actor: Actor, incident_id: int, sequence: int, decision: Decision,
                     reason: str) -> DecisionLogEntry:
    """A new entry that strikes entry `sequence` through. The old entry stays, word for word."""
    require(actor, Permission.INCIDENT_COMMAND)
    reason = free_text(reason, "The reason for the correction", 1000)
    if not reason:
        raise InputError("A correction needs a reason: say what was wrong with the entry it strikes through.")
    old = session.scalar(select(DecisionLogEntry).where(DecisionLogEntry.incident_id == incident_id,
                                                        DecisionLogEntry.sequence == sequence))
    if old is None:
        raise InputError(f"There is no entry {sequence} in this incident's decision log.")
    if struck_through(session, incident_id).get(old.id):
        raise InputError(f"Entry {sequence} is already struck through; correct the entry that replaced it.")
    return _append(session, actor, incident_id, decision, corrects=old, correction_reason=reason)


def struck_through(session: Session, incident_id: int) -> dict[int, int]:
    """Entry id -> sequence number of the entry that corrected it."""
    rows = session.execute(select(DecisionLogEntry.corrects_id, DecisionLogEntry.sequence)
                           .where(DecisionLogEntry.incident_id == incident_id,
                                  DecisionLogEntry.corrects_id.is_not(None)))
    return {corrects_id: sequence for corrects_id, sequence in rows}


@dataclass(frozen=True)
class LogLine:
    entry: DecisionLogEntry
    corrected_by: int | None  # the sequence number of the correction, when struck through
    corrects: int | None  # the sequence number this entry corrects


def decision_log(session: Session, actor: Actor, incident_id: int) -> list[LogLine]:
    """The whole log in entry order, each line saying whether it is struck through."""
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    entries = list(session.scalars(select(DecisionLogEntry).where(DecisionLogEntry.incident_id == incident_id)
                                   .order_by(DecisionLogEntry.sequence)))
    by_id = {e.id: e.sequence for e in entries}
    struck = struck_through(session, incident_id)
    return [LogLine(e, struck.get(e.id), by_id.get(e.corrects_id)) for e in entries]


_AUDITED_ENTRY = re.compile(r"^entry (\d+)(?: hash ([0-9a-f]{64}))?")


def _audited_hashes(session: Session, incident_id: int) -> dict[int, str | None]:
    """Entry number -> the hash the audit trail recorded when it was written (None for entries
    written before the trail carried hashes)."""
    rows = session.scalars(select(AuditEvent.detail).where(
        AuditEvent.entity == "decision_log_entry", AuditEvent.incident_id == incident_id,
        AuditEvent.action.in_(("create", "correct"))))
    return {int(m[1]): m[2] for detail in rows if (m := _AUDITED_ENTRY.match(detail))}


def _log_check(session: Session, incident_id: int, keep_at: frozenset[int]) -> ChainCheck:
    entries = list(session.scalars(select(DecisionLogEntry).where(DecisionLogEntry.incident_id == incident_id)
                                   .order_by(DecisionLogEntry.sequence)))
    walked = walk(((e.sequence, _fields(e), e.prev_hash, e.hash) for e in entries), keep_at)
    head = head_of(session, decision_log_chain(incident_id))
    audited = _audited_hashes(session, incident_id)
    present = {e.sequence: e.hash for e in entries}
    highest = max([head.length if head else 0, *audited, *present])
    return replace(
        against_head(walked, head), missing_unnamed=0,
        missing=tuple(n for n in range(1, highest + 1) if n not in present),
        rewritten=tuple(sorted(n for n, h in audited.items() if h and n in present and present[n] != h)),
    )


def verify_decision_log(session: Session, actor: Actor, incident_id: int, *,
                        keep_at: frozenset[int] = frozenset()) -> ChainCheck:
    """Every link of the incident's log, the log against its head, and each entry against the hash
    the audit trail recorded for it: entries changed, removed (the newest too) or rewritten, by number.
    `keep_at`: positions whose entries the check keeps, for comparing with signed checkpoints."""
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    lock_incident(session, incident_id)  # no entry is appended while the log, its head and the trail are read
    found = _log_check(session, incident_id, keep_at)
    record(session, actor, "verify", "decision_log", incident_id, incident_id=incident_id,
           detail="intact" if found.intact else " ".join(found.findings("entry", "entries"))[:500])
    return found


def check_decision_logs(session: Session, actor: Actor,
                        keep_at: Mapping[int, frozenset[int]]) -> dict[int, ChainCheck]:
    """Every incident's decision log, and those `keep_at` names of incidents no longer there (what
    their head or a checkpoint counted is missing), checked as verify_decision_log checks one, by
    incident id. Records nothing: the whole verification is recorded once by its caller."""
    require(actor, Permission.AUDIT_VIEW)
    existing = session.scalars(select(Incident.id).order_by(Incident.id).with_for_update(key_share=True)).all()
    return {incident_id: _log_check(session, incident_id, keep_at.get(incident_id, frozenset()))
            for incident_id in sorted({*existing, *keep_at})}
