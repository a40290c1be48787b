"""The bench's audited-writes rows count what they claim: every unit of work, every event sequenced
exactly once, the chain checked (timings are never checked)."""

from sqlalchemy import func, inspect, select

from core.audit.bench import PROCESSES, ROUNDS, bench_audited_writes
from core.audit.model import AuditEvent
from core.db import unit_of_work


def test_four_processes_write_audited_and_not_and_every_event_is_sequenced_once(db):
    writes = 5
    rates, catch_up = bench_audited_writes(db.engine, writes=writes)
    events = ROUNDS * PROCESSES * writes
    assert (rates.correctness, catch_up.correctness) == (0, 0)
    assert rates.figure.endswith("unaudited)") and catch_up.figure.startswith(f"{events} events in ")
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count(AuditEvent.seq.distinct())).where(AuditEvent.entity == "bench_write")) == events
    assert "bench_write" not in inspect(db.engine).get_table_names()  # the bench's own table goes with it
