"""`standup bench [--quick]`: one table of figures, each with its target and a pass mark.

Every benchmark runs on its own scratch database (SQLite in a temporary folder, or the
PostgreSQL server named by STANDUP_BENCH_DATABASE_URL), so nothing touches real data.
Correctness columns (violations, duplicates, lost messages) must be zero: the command exits 1
otherwise, which is what CI checks; timings are reported, not asserted.
"""

from __future__ import annotations

import logging
import os
import platform
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from core.bench import BenchRow
from core.db import forget_engines, make_engine
from core.migrate import upgrade
from core.settings import reset_settings

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Sizes:
    demo_scale: str  # the demo built for the page timings' large side
    people: int
    autofill_staff: int
    autofill_days: int
    import_rows: int
    messages: int
    emails: int  # paced at EMAIL_RATE_PER_SECOND (10 by default): 10 s quick
    webhook_requests: int
    log_entries: int
    page_runs: int  # timed runs of each page, the median reported
    situation_runs: int
    autofill_time_limit_s: float
    webhook_processes: tuple[int, ...]  # the target is on one process; more show how webhooks scale out
    call_answers: int  # gather callbacks pressing 1 (a surge call-out takes at most 200 people)
    cohort_rows: int  # a ticket list imported, then invited by SMS and email (one invitation each)
    check_page_requests: int  # each of the 50 clients' wellbeing-check page openings
    woken_answers: int  # YES from as many staff to a surge call-out (and HELP from as many), worker woken
    woken_alerts: int  # screenings raising an urgent alert, worker woken
    audited_writes: int  # units of work per process and round, audited and not (core.audit.bench)


FULL = Sizes("large", 50_000, 2_000, 14, 10_000, 2_000, 500, 2_000, 1_000, 5, 5, 8.0, (1, 2), 200, 20_000, 20, 100, 60, 500)
QUICK = Sizes("medium", 5_000, 300, 7, 2_000, 300, 100, 300, 200, 2, 3, 4.0, (1,), 50, 2_000, 6, 40, 20, 100)


class Scratch:
    """Fresh migrated databases for one bench run."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.count = folder, 0
        self.pg_admin_url = os.environ.get("STANDUP_BENCH_DATABASE_URL", "")
        self.engines: list[Engine] = []
        self.pg_databases: list[str] = []

    def _admin(self, *statements: str) -> None:
        admin = create_engine(self.pg_admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
        admin.dispose()

    def engine(self) -> Engine:
        self.count += 1
        if self.pg_admin_url:
            name = f"standup_bench_{os.getpid()}_{self.count}"
            self._admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
            self.pg_databases.append(name)
            url = self.pg_admin_url.rsplit("/", 1)[0] + f"/{name}"
        else:
            url = f"sqlite:///{self.folder / f'bench{self.count}.db'}"
        engine = make_engine(url)
        self.engines.append(engine)
        upgrade(engine)
        return engine

    def close(self) -> None:
        """Drop the PostgreSQL databases made (SQLite files go with the temporary folder)."""
        for engine in self.engines:
            engine.dispose()
        forget_engines()
        if self.pg_databases:
            self._admin(*(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.pg_databases))


def _guarded(name: str, run: Callable[[], list[BenchRow]]) -> list[BenchRow]:
    """A benchmark that crashes is a row that says so, not a lost table."""
    try:
        return run()
    except Exception as exc:  # the table must still print
        return [BenchRow(name, "failed", "", False, correctness=1, note=f"{type(exc).__name__}: {exc}"[:160])]


# Per-request and per-migration INFO lines from the bench's own clients, servers and scratch databases.
NOISY_LOGGERS = ("httpx", "alembic", "standup.notifications.inbound", "standup.notifications.webhooks",
                 "standup.notifications.delivery", "standup.crypto", "twilio.http_client", "mail.log")
# Streamlit's warning, three times a page run, that AppTest's script has no ScriptRunContext in the main
# thread (it says itself it can be ignored there). Dropped by a filter: Streamlit resets its loggers' levels.
SILENCED_LOGGERS = ("streamlit.runtime.scriptrunner_utils.script_run_context",)


def _drop(_record: logging.LogRecord) -> bool:
    return False


@contextmanager
def _quiet_logs() -> Iterator[None]:
    saved = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in SILENCED_LOGGERS:
        logging.getLogger(name).addFilter(_drop)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
        for name in SILENCED_LOGGERS:
            logging.getLogger(name).removeFilter(_drop)


def run_bench(*, quick: bool) -> list[BenchRow]:
    sizes = QUICK if quick else FULL
    with tempfile.TemporaryDirectory() as tmp, _quiet_logs():
        scratch = Scratch(Path(tmp))
        try:
            return _run_all(scratch, sizes)
        finally:
            scratch.close()
            reset_settings()


def _run_all(scratch: Scratch, sizes: Sizes) -> list[BenchRow]:
    from core.audit.bench import bench_audited_writes
    from incident.bench import bench_decision_log
    from notifications.bench import bench_call_answers, bench_dispatch_rate, bench_webhooks
    from notifications.email_bench import bench_email_rate
    from outreach.public_bench import bench_public_pages
    from pathways.bench import bench_my_day_and_search
    from rosters.bench import bench_autofill, bench_eligibility, bench_import
    from standup.bench_pages import bench_pages, build_demos
    from standup.sitrep.bench import bench_situation_on
    from standup.wake_bench import bench_alert_texts, bench_inbound_answers

    rows: list[BenchRow] = []
    demos: dict = {}  # scale -> the demo built, shared by the page and situation benchmarks
    rows += _guarded("demo", lambda: build_demos(scratch, ("small", sizes.demo_scale), demos))
    rows += _guarded("pages", lambda: bench_pages(demos, sizes.demo_scale, runs=sizes.page_runs))
    rows += _guarded("eligibility", lambda: bench_eligibility(demos[sizes.demo_scale].engine,
                                                              demos[sizes.demo_scale].incident_id))
    rows += _guarded("situation", lambda: bench_situation_on(demos[sizes.demo_scale].engine,
                                                             demos[sizes.demo_scale].incident_id,
                                                             runs=sizes.situation_runs))
    for processes in sizes.webhook_processes:
        rows += _guarded("webhooks", lambda p=processes: bench_webhooks(scratch.engine(), requests=sizes.webhook_requests,
                                                                        processes=p))
    rows += _guarded("inbound answers", lambda: bench_inbound_answers(scratch.engine(), answers=sizes.woken_answers))
    rows += _guarded("urgent alerts", lambda: bench_alert_texts(scratch.engine(), alerts=sizes.woken_alerts))
    rows += _guarded("dispatcher", lambda: bench_dispatch_rate(scratch.engine(), messages=sizes.messages))
    rows += _guarded("call answers", lambda: bench_call_answers(scratch.engine(), requests=sizes.call_answers))
    rows += _guarded("email dispatcher", lambda: bench_email_rate(scratch.engine(), messages=sizes.emails))
    rows += _guarded("auto-fill", lambda: bench_autofill(scratch.engine(), staff=sizes.autofill_staff,
                                                         days=sizes.autofill_days,
                                                         time_limit_s=sizes.autofill_time_limit_s))
    rows += _guarded("import", lambda: bench_import(scratch.engine(), rows=sizes.import_rows))
    rows += _guarded("outreach", lambda: _outreach(scratch.engine(), sizes.cohort_rows))
    rows += _guarded("public pages", lambda: bench_public_pages(scratch.engine(), rows=sizes.cohort_rows,
                                                                requests_each=sizes.check_page_requests))
    rows += _guarded("my day", lambda: bench_my_day_and_search(scratch.engine(), people=sizes.people))
    rows += _guarded("decision log", lambda: bench_decision_log(scratch.engine(), entries=sizes.log_entries))
    rows += _guarded("audited writes", lambda: bench_audited_writes(scratch.engine(), writes=sizes.audited_writes))
    return rows


def _outreach(engine: Engine, rows: int) -> list[BenchRow]:
    """A cohort imported, then invited: the invitations go to the cohort just imported."""
    from outreach.bench import bench_cohort, bench_invitations

    imported, incident_id = bench_cohort(engine, rows)
    return imported + bench_invitations(engine, incident_id)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
