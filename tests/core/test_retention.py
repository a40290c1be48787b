"""Retention applies each rule's period, logs metadata only, and a dry run changes nothing."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.exc import DBAPIError

from core import clock
from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import Base, unit_of_work
from core.errors import InputError
from core.heartbeat import WorkerHeartbeat, beat
from core.retention import ErasureLog, RetentionRule, apply_retention, parse_periods

SYSTEM = Actor.system("test")
ROOT = Path(__file__).parents[2]

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


# --- `standup retention [--dry-run]` through the command line -----------------------------------

def _standup(*args, env):
    return subprocess.run([sys.executable, "-m", "standup.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120, cwd=ROOT)


def _everything(engine) -> dict[str, list[tuple]]:
    """Every row of every table, to show a dry run touched nothing."""
    with engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t)).all()), key=repr) for t in Base.metadata.sorted_tables}


def _sms_sent_days_ago(db, frozen_clock, *ages: int) -> None:
    from notifications.model import OutboundStatus
    from tests import factories

    for days in ages:  # the command runs on the wall clock: date the rows back from it
        frozen_clock.set(datetime.now(UTC) - timedelta(days=days))
        factories.text_message(db, to="+447400123001", body=f"Sent {days} days ago", incident_id=None,
                               status=OutboundStatus.DELIVERED)
    clock.set_clock(None)


def test_the_retention_command_dry_run_changes_nothing_then_the_run_erases_what_is_due(db, frozen_clock):
    import standup.models  # noqa: F401  every table
    from notifications.model import OutboundMessage

    _sms_sent_days_ago(db, frozen_clock, 120, 3)
    before = _everything(db.engine)

    dry = _standup("retention", "--dry-run", env={"DATABASE_URL": db.url})
    assert dry.returncode == 0, dry.stderr
    assert "sms_sent: 1 records would be anonymised (kept 90 days)" in dry.stdout.splitlines()
    assert "sms_received: 0 records would be anonymised (kept 90 days)" in dry.stdout.splitlines()
    assert _everything(db.engine) == before

    done = _standup("retention", env={"DATABASE_URL": db.url, "STANDUP_RETENTION_DAYS": "sms_sent=100"})
    assert done.returncode == 0, done.stderr
    assert "sms_sent: 1 records were anonymised (kept 100 days)" in done.stdout.splitlines()
    with unit_of_work(db.engine) as s:
        assert sorted(s.scalars(select(OutboundMessage.body))) == ["Sent 3 days ago", "[erased]"]
        assert [(e.record_type, e.action, e.rule, e.actor) for e in s.scalars(select(ErasureLog))] == [
            ("sms_sent", "anonymised", "sms_sent after 100 days", "system:retention")]


@pytest.mark.parametrize(("setting", "line"), [
    ("sms_sent=soon", "STANDUP_RETENTION_DAYS entry 'sms_sent=soon' must look like type=days (days >= 1)"),
    ("sms_snet=30", "STANDUP_RETENTION_DAYS names unknown record type(s): sms_snet; known: "),
])
def test_a_wrong_retention_period_stops_the_command_naming_the_variable(db, setting, line):
    done = _standup("retention", env={"DATABASE_URL": db.url, "STANDUP_RETENTION_DAYS": setting})
    assert done.returncode == 2
    assert done.stderr.strip().startswith(f"standup: configuration: {line}")
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("statement", ["UPDATE erasure_log SET rule = 'edited'", "DELETE FROM erasure_log"])
def test_the_erasure_log_is_append_only_in_the_database(db, frozen_clock, statement):
    _beats(db, frozen_clock)
    with unit_of_work(db.engine) as s:
        apply_retention(s, SYSTEM, [HEARTBEATS], {}, dry_run=False)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    with unit_of_work(db.engine) as s:
        assert [log.rule for log in s.scalars(select(ErasureLog))] == ["heartbeats after 30 days"]
