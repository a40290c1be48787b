"""The worker: every domain's sweep is scheduled at its interval, and each runs on an empty database
without error, changing nothing a second run would change again."""

from datetime import timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

import standup.models  # noqa: F401  every table
from core.db import Base
from standup.bootstrap import build_ports
from standup.worker import WORKER_NAME, build_scheduler, worker_sweeps

SWEEPS = worker_sweeps(build_ports())


def test_every_sweep_is_scheduled_once_at_its_own_interval():
    jobs = {job.id: job for job in build_scheduler(SWEEPS).get_jobs()}
    assert sorted(jobs) == sorted(s.name for s in SWEEPS)
    assert len(jobs) == len(SWEEPS)
    assert {"heartbeat", "retention", "sms_dispatch"} <= set(jobs)
    for sweep in SWEEPS:
        trigger = jobs[sweep.name].trigger
        if sweep.nightly_at_hour is None:
            assert isinstance(trigger, IntervalTrigger), sweep.name
            assert trigger.interval == timedelta(seconds=sweep.every_seconds) > timedelta(0), sweep.name
        else:
            assert isinstance(trigger, CronTrigger), sweep.name
            assert str(trigger.timezone) == "Europe/London"
            assert _cron_hour(trigger) == str(sweep.nightly_at_hour)
    assert _cron_hour(jobs["retention"].trigger) == "2"  # 02:00 London time, once a night
    assert jobs["heartbeat"].trigger.interval == timedelta(seconds=5)  # /healthz reads its age


def _cron_hour(trigger: CronTrigger) -> str:
    return str(trigger.fields[trigger.FIELD_NAMES.index("hour")])


def _every_row(db) -> dict[str, list[tuple]]:
    with db.engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t)).all()), key=repr)
                for t in Base.metadata.sorted_tables if t.name != "alembic_version"}


@pytest.mark.parametrize("sweep", SWEEPS, ids=lambda s: s.name)
def test_each_sweep_runs_on_an_empty_database_and_is_safe_to_repeat(db, frozen_clock, sweep):
    sweep.run()  # raises on any error: the scheduler's guard is not in the way here
    after_first = _every_row(db)
    written = {table for table, rows in after_first.items() if rows}
    # Nothing is due in an empty database: only the heartbeat leaves a row (this worker's).
    assert written == ({"worker_heartbeat"} if sweep.name == "heartbeat" else set())
    if sweep.name == "heartbeat":
        assert [row[0] for row in after_first["worker_heartbeat"]] == [WORKER_NAME]
    sweep.run()  # and again, at the same moment: nothing more changes
    assert _every_row(db) == after_first


def test_stored_sms_and_urgent_alerts_wake_their_sweeps_at_once():
    from notifications.inbound_service import WAKE_TOPIC as INBOUND
    from pathways.safety_alert_sweep import WAKE_TOPIC as ALERT

    assert {s.name: s.wake_topic for s in SWEEPS if s.wake_topic} == {"inbound_sms": INBOUND,
                                                                     "pathways.safety_alerts": ALERT}
