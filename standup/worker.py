"""The worker: one APScheduler BlockingScheduler whose jobs are short sweeps over due rows, and a
thread that runs a sweep at once when it is woken for it (core.wakeup: an SMS stored by the
webhook, an urgent alert raised).

The database is the truth; the scheduler only keeps time, so a restarted worker picks up
exactly where the last one stopped, and a wake-up lost costs only the time to the next sweep.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from apscheduler.schedulers.blocking import BlockingScheduler

from core.audit.checkpoint_service import write_checkpoints
from core.audit.checkpoint_targets import configured_targets
from core.audit.sequencing import catch_up as sequence_audit_events
from core.db import get_engine, refresh_statistics, unit_of_work
from core.heartbeat import beat
from core.plugin_shapes import Sweep
from core.public.rate_limit import purge_spent_counts
from core.wakeup import WakeListener
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
# An audit event waits at most about this long to be sequenced into the hash chain (the database
# refuses any change to it meanwhile); sequencing also runs before a checkpoint or a check.
SEQUENCE_EVERY_SECONDS = 1
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
             Sweep("audit_sequencing", SEQUENCE_EVERY_SECONDS, sequence_audit_events),
             # The heads that moved, signed each minute; every chain checked against them each night.
             Sweep("checkpoints", CHECKPOINT_EVERY_SECONDS, checkpoints),
             Sweep("chain_verification", 86400, nightly_verification, nightly_at_hour=3),
             Sweep("planner_statistics", 3600, planner_statistics),
             Sweep("rate_limit_counts", 3600, purge_spent_counts))
            + incident.SWEEPS + rosters.SWEEPS + notifications.SWEEPS
            + pathways.make_sweeps(ports.person_messages, ports.clinician_pager) + outreach.SWEEPS)


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


def answer_wake_ups(listener: WakeListener, sweeps: Iterable[Sweep], stop: threading.Event) -> None:
    """Run each sweep as soon as its topic is heard ("*": every such sweep), until `stop` is set.
    Alongside the scheduler's own runs: every sweep is safe to run at any time, twice at once
    included (its claims are the database's)."""
    woken = [sweep for sweep in sweeps if sweep.wake_topic is not None]
    runs = {sweep.name: _guarded(sweep) for sweep in woken}
    while not stop.is_set():
        try:
            topics = listener.wait(timeout=1.0)
        except Exception:  # the database is away: the scheduler's sweeps carry on; try again shortly
            log.exception("waiting for wake-ups failed")
            stop.wait(5)
            continue
        for sweep in woken:
            if sweep.wake_topic in topics or "*" in topics:
                runs[sweep.name]()


def _listen_for_wake_ups(sweeps: tuple[Sweep, ...]) -> None:
    def run() -> None:
        while True:
            try:
                listener = WakeListener(get_engine())
                break
            except Exception:  # PostgreSQL not reachable yet: the sweeps cover meanwhile
                log.exception("cannot listen for wake-ups yet")
                threading.Event().wait(5)
        answer_wake_ups(listener, sweeps, threading.Event())

    threading.Thread(target=run, name="wake-ups", daemon=True).start()


def serve(sweeps: tuple[Sweep, ...]) -> None:
    """Run `sweeps` on their schedules, and at once when woken for them, until SIGTERM or Ctrl-C."""
    scheduler = build_scheduler(sweeps)
    _listen_for_wake_ups(sweeps)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("worker %s started with sweeps: %s", WORKER_NAME, ", ".join(s.name for s in sweeps))
    try:
        scheduler.start()
    except KeyboardInterrupt:
        pass


def run_worker() -> None:
    # The Twilio SDK logs every request's headers at INFO: ten lines for each SMS sent.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    # APScheduler logs every run of every sweep at INFO (thousands of lines an hour); failures still show.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # The exercise responders' answers go through inbound handling too, so the worker plugs every port.
    serve(worker_sweeps(start("the worker")))
