"""The benchmark functions run end to end on a small scale and report no broken rules and no
lost rows (their speed is reported by `standup bench`, never asserted here)."""

import re

from rosters.bench import bench_autofill, bench_eligibility, bench_import
from tests import factories


def test_the_auto_fill_benchmark_re_checks_every_placement(db, frozen_clock):
    [row] = bench_autofill(db.engine, staff=200, days=2, time_limit_s=5)
    placed, places = map(int, re.match(r"(\d+) of (\d+) places", row.note).groups())
    assert places == 2 * 3 * 4 * 6 and placed > places // 2
    assert row.correctness == 0


def test_the_import_benchmark_imports_every_row_once(db, frozen_clock):
    first, held, again = bench_import(db.engine, rows=300)
    assert first.correctness == 0 and first.note == "imported 300, updated 0, rejected 0"
    assert held.name.startswith("rosters: longest transaction of that import") and held.figure.endswith(" ms")
    assert again.note == "imported 0, updated 0, rejected 0"


def test_the_eligibility_benchmark_compares_every_gap(db, frozen_clock):
    incident_id, hub_id = factories.incident_with_hub(db)
    agency_id = factories.agency(db)
    for changes in ({}, {}, {"dbs_level": None}, {"role": "coordinator"}):
        factories.staff(db, agency_id, **changes)
    for hours in (24, 48):
        factories.requirement(db, incident_id, hub_id, factories.at(hours))
    [row] = bench_eligibility(db.engine, incident_id)
    assert row.name.endswith("(2 gaps)") and row.figure.startswith("0 differ") and row.correctness == 0
