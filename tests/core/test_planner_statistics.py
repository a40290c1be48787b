"""core.db.refresh_statistics: after a bulk load the planner knows the tables' sizes, so a figure
over the one incident that holds most rows reads the table instead of walking an index that
filters nothing (SQLite never gathers statistics by itself; the worker runs this hourly there)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from core.db import bulk_insert, refresh_statistics, unit_of_work
from incident.model import Incident
from standup.bootstrap import build_ports
from standup.worker import worker_sweeps

FIGURE = "SELECT count(*) FROM incident WHERE is_exercise = :yes AND summary = ''"


def _load(db, count: int) -> None:
    with unit_of_work(db.engine) as session:
        bulk_insert(session, Incident, [dict(name=f"Exercise {n}", is_exercise=True, status="declared", summary="",
                                             opened_on=date(2026, 3, 1)) for n in range(count)])


def _plan(db) -> str:
    with db.engine.connect() as conn:
        if db.kind == "sqlite":
            return " ".join(row[-1] for row in conn.execute(text("EXPLAIN QUERY PLAN " + FIGURE), {"yes": True}))
        return " ".join(row[0] for row in conn.execute(text("EXPLAIN " + FIGURE), {"yes": True}))


def test_after_a_bulk_load_the_planner_reads_the_table_for_a_figure_over_most_rows(db):
    _load(db, 3000)
    if db.kind == "sqlite":  # what it did before: walk the index, then fetch every row it names
        assert "USING INDEX" in _plan(db)
    refresh_statistics(db.engine)
    plan = _plan(db)
    assert ("SCAN incident" in plan) if db.kind == "sqlite" else ("Seq Scan on incident" in plan), plan
    with db.engine.connect() as conn:
        if db.kind == "sqlite":
            assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'incident'").scalar() > 0
        else:
            reltuples = conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'incident'")).scalar()
            assert reltuples == 3000


def test_the_worker_refreshes_sqlite_statistics_every_hour():
    [sweep] = [s for s in worker_sweeps(build_ports()) if s.name == "planner_statistics"]
    assert sweep.every_seconds == 3600
