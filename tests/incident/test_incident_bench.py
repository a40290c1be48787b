"""The decision-log benchmark runs and finds its own log intact (its speed is reported, not asserted)."""

from core.bench import render_table
from incident.bench import bench_decision_log


def test_the_benchmark_reports_an_intact_log(db):
    rows = bench_decision_log(db.engine, entries=20)
    print(render_table(rows))
    assert [r.correctness for r in rows] == [0, 0, None]
    assert rows[0].name == "incident: decision log append (20 entries)"
