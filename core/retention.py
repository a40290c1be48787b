"""Retention: how long each kind of record is kept, and erasing or anonymising what is due.

Each domain declares its rules (`RETENTION` in its plugin module); this module applies them and
keeps an erasure log that holds metadata only — what kind of record, which id, when, under
which rule, by whom — never the erased content (DPA 2018 s.62).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, cast, select
from sqlalchemy.orm import InstrumentedAttribute, Mapped, Session, mapped_column

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.db import Base
from core.errors import InputError


class ErasureLog(Base):
    __tablename__ = "erasure_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    record_type: Mapped[str] = mapped_column(String(40), index=True)
    record_id: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(20))  # "erased" or "anonymised"
    rule: Mapped[str] = mapped_column(String(120))
    actor: Mapped[str] = mapped_column(String(120))


def not_yet_logged(record_type: str, id_column: InstrumentedAttribute):
    """Rows the erasure log does not list yet under this record type: a second run finds nothing."""
    return cast(id_column, String).not_in(select(ErasureLog.record_id).where(ErasureLog.record_type == record_type))


@dataclass(frozen=True)
class RetentionRule:
    record_type: str  # the name operators configure, e.g. "messages"
    default_days: int
    action: str  # "erased" or "anonymised"
    describe: str  # e.g. "SMS messages, counted from when they were sent"
    due: Callable[[Session, datetime], Sequence[object]]  # ids whose retention ended before the cutoff
    apply: Callable[[Session, Sequence[object]], None]  # erase or anonymise those ids


def parse_periods(text: str) -> dict[str, int]:
    """`messages=90,people=2555` → {record type: days}."""
    periods: dict[str, int] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        name, sep, days = pair.partition("=")
        if not sep or not days.strip().isdigit() or int(days) < 1:
            raise InputError(f"STANDUP_RETENTION_DAYS entry {pair!r} must look like type=days (days >= 1)")
        periods[name.strip()] = int(days)
    return periods


def check_periods(rules: Sequence[RetentionRule], periods: Mapping[str, int]) -> None:
    """Every configured period names a record type some rule keeps (a typo must not keep data forever)."""
    unknown = set(periods) - {r.record_type for r in rules}
    if unknown:
        raise InputError(
            f"STANDUP_RETENTION_DAYS names unknown record type(s): {', '.join(sorted(unknown))}; "
            f"known: {', '.join(r.record_type for r in rules)}"
        )


@dataclass(frozen=True)
class RetentionOutcome:
    record_type: str
    action: str
    days: int
    ids: tuple[object, ...]


def apply_retention(
    session: Session, actor: Actor, rules: Sequence[RetentionRule], periods: Mapping[str, int], *, dry_run: bool
) -> list[RetentionOutcome]:
    """What each rule finds due; unless dry_run, erase or anonymise it and log the metadata."""
    require(actor, Permission.RETENTION_RUN)
    check_periods(rules, periods)
    at = now()
    outcomes = []
    for rule in rules:
        days = periods.get(rule.record_type, rule.default_days)
        ids = tuple(rule.due(session, at - timedelta(days=days)))
        outcomes.append(RetentionOutcome(rule.record_type, rule.action, days, ids))
        if dry_run or not ids:
            continue
        rule.apply(session, ids)
        label = f"{rule.record_type} after {days} days"
        session.add_all(
            ErasureLog(at=at, record_type=rule.record_type, record_id=str(i), action=rule.action, rule=label,
                       actor=actor.username)
            for i in ids
        )
        record(session, actor, rule.action, rule.record_type, detail=f"{len(ids)} records, rule: {label}")
    return outcomes
