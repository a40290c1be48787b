"""Retention applies each rule's period, logs metadata only, and a dry run changes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from core.heartbeat import WorkerHeartbeat, beat
from core.retention import ErasureLog, RetentionRule, apply_retention, parse_periods

SYSTEM = Actor.system("test")

# A real table stands in for a domain's records: heartbeats, kept `days` after their last beat.
HEARTBEATS = RetentionRule(
    record_type="heartbeats", default_days=30, action="erased", describe="worker heartbeats",
    due=lambda s, cutoff: list(s.scalars(select(WorkerHeartbeat.worker).where(WorkerHeartbeat.beat_at < cutoff))),
    apply=lambda s, ids: s.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.worker.in_(ids))),
)


def _beats(db, frozen_clock):
    with unit_of_work(db.engine) as s:
        beat(s, "old")
    frozen_clock.advance(timedelta(days=20))
    with unit_of_work(db.engine) as s:
        beat(s, "recent")
    frozen_clock.advance(timedelta(days=11))  # "old" is 31 days old, "recent" 11


def test_exactly_what_is_due_is_erased_and_logged_without_content(db, frozen_clock):
    _beats(db, frozen_clock)
    with unit_of_work(db.engine) as s:
        [outcome] = apply_retention(s, SYSTEM, [HEARTBEATS], {}, dry_run=False)
    assert outcome.ids == ("old",) and outcome.days == 30
    with unit_of_work(db.engine) as s:
        assert list(s.scalars(select(WorkerHeartbeat.worker))) == ["recent"]
        [log] = s.scalars(select(ErasureLog)).all()
        assert (log.record_type, log.record_id, log.action, log.rule) == ("heartbeats", "old", "erased",
                                                                          "heartbeats after 30 days")
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.entity == "heartbeats")) == "erased"


def test_a_configured_period_overrides_the_default(db, frozen_clock):
    _beats(db, frozen_clock)
    with unit_of_work(db.engine) as s:
        [outcome] = apply_retention(s, SYSTEM, [HEARTBEATS], {"heartbeats": 10}, dry_run=False)
    assert sorted(outcome.ids) == ["old", "recent"]


def test_a_dry_run_changes_nothing(db, frozen_clock):
    _beats(db, frozen_clock)
    with unit_of_work(db.engine) as s:
        [outcome] = apply_retention(s, SYSTEM, [HEARTBEATS], {}, dry_run=True)
    assert outcome.ids == ("old",)
    with unit_of_work(db.engine) as s:
        assert sorted(s.scalars(select(WorkerHeartbeat.worker))) == ["old", "recent"]
        assert s.scalar(select(ErasureLog.id)) is None


def test_only_administrators_run_retention(db, make_actor):
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        apply_retention(s, make_actor("caseworker"), [HEARTBEATS], {}, dry_run=True)


def test_unknown_record_types_and_bad_periods_are_refused(db):
    with pytest.raises(InputError, match="unknown record type"), unit_of_work(db.engine) as s:
        apply_retention(s, SYSTEM, [HEARTBEATS], {"nonsense": 3}, dry_run=True)
    with pytest.raises(InputError, match="must look like type=days"):
        parse_periods("messages=-4")
