"""The situation bench runs on any engine it is given and reports a row per measurement
(its timings are printed by `standup bench`, never asserted)."""

import pytest

from core.audit.model import AuditEvent
from core.auth.roles import Actor
from core.db import unit_of_work
from incident.lifecycle_service import open_incident
from standup.sitrep.bench import bench_situation_on
from standup.sitrep.render import FORMATS


def test_the_bench_measures_every_part_on_the_engine_given(db, frozen_clock):
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, Actor.system("test"), "Bench", is_exercise=True).id
    rows = bench_situation_on(db.engine, runs=2)
    assert [r.name for r in rows] == [
        "coverage: board, gaps and situation report agree",
        "dashboard refresh, every 15 s (figures)", "dashboard trends, every 5 min",
        "situation map (query + folium + HTML)", *[f"situation report ({fmt})" for fmt in FORMATS]]
    assert (rows[0].figure, rows[0].correctness) == ("0 shifts short", 0)
    assert all(r.figure.startswith("p95 ") and r.note == "0 people, 0 staff" for r in rows[1:])
    assert rows[0].note == "0 people, 0 staff"
    with unit_of_work(db.engine) as s:  # measuring made no report: nothing was audited as an export
        assert not s.query(AuditEvent).filter_by(action="export", incident_id=incident_id).count()


def test_the_bench_says_when_there_is_nothing_to_measure(db):
    with pytest.raises(ValueError, match="no incident"):
        bench_situation_on(db.engine)
