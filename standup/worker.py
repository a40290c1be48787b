"""The worker: one APScheduler BlockingScheduler whose jobs are short sweeps over due rows.

The database is the truth; the scheduler only keeps time, so a restarted worker picks up
exactly where the last one stopped.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.blocking import BlockingScheduler

from core.audit.checkpoint_service import write_checkpoints
from core.audit.checkpoint_targets import configured_targets
from core.db import get_engine, refresh_statistics, unit_of_work
from core.heartbeat import beat
from core.plugin_shapes import Sweep
from core.public.rate_limit import purge_spent_counts
from incident import plugin as incident
from notifications import plugin as notifications
from outreach import plugin as outreach
from pathways import plugin as pathways
from rosters import plugin as rosters
from standup.bootstrap import Ports, start
from standup.chain_verification import nightly as nightly_verification
from standup.retention import nightly as nightly_retention

log = logging.getLogger("standup.worker")

WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"
# Rows written since the newest checkpoint have nothing outside the database vouching for them yet:
# for at most this long.
CHECKPOINT_EVERY_SECONDS = 60


def heartbeat() -> None:
    with unit_of_work() as session:
        beat(session, WORKER_NAME)


def checkpoints() -> None:
    with unit_of_work() as session:
        write_checkpoints(session, configured_targets())


def planner_statistics() -> None:
    engine = get_engine()
    if engine.dialect.name == "sqlite":  # PostgreSQL's autovacuum keeps its own
        refresh_statistics(engine)


def worker_sweeps(ports: Ports) -> tuple[Sweep, ...]:
    return ((Sweep("heartbeat", 5, heartbeat), Sweep("retention", 86400, nightly_retention, nightly_at_hour=2),
             # The heads that moved, signed each minute; every chain checked against them each night.
             Sweep("checkpoints", CHECKPOINT_EVERY_SECONDS, checkpoints),
             Sweep("chain_verification", 86400, nightly_verification, nightly_at_hour=3),
             Sweep("planner_statistics", 3600, planner_statistics),
             Sweep("rate_limit_counts", 3600, purge_spent_counts))
            + incident.SWEEPS + rosters.SWEEPS + notifications.SWEEPS
            + pathways.make_sweeps(ports.reminders, ports.clinician_pager) + outreach.SWEEPS)


def _guarded(sweep: Sweep) -> Callable[[], None]:
    def run() -> None:
        try:
            sweep.run()
        except Exception:  # one failing sweep must not stop the others; it is retried next tick
            log.exception("sweep %s failed", sweep.name)

    return run


def build_scheduler(sweeps: tuple[Sweep, ...]) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone="UTC")
    for sweep in sweeps:
        if sweep.nightly_at_hour is not None:
            scheduler.add_job(_guarded(sweep), "cron", hour=sweep.nightly_at_hour, timezone="Europe/London",
                              id=sweep.name, max_instances=1, coalesce=True)
            continue
        # First run at once (the scheduler keeps wall-clock time, not the injectable clock).
        scheduler.add_job(
            _guarded(sweep), "interval", seconds=sweep.every_seconds, id=sweep.name, max_instances=1,
            coalesce=True, next_run_time=datetime.now(UTC),
        )
    return scheduler


def run_worker() -> None:
    # The Twilio SDK logs every request's headers at INFO: ten lines for each SMS sent.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    # APScheduler logs every run of every sweep at INFO (thousands of lines an hour); failures still show.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # The exercise responders' answers go through inbound handling too, so the worker plugs every port.
    sweeps = worker_sweeps(start("the worker"))
    scheduler = build_scheduler(sweeps)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("worker %s started with sweeps: %s", WORKER_NAME, ", ".join(s.name for s in sweeps))
    try:
        scheduler.start()
    except KeyboardInterrupt:
        pass
