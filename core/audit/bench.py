"""The bench's audited-writes rows: four processes each committing small units of work (one row of
a table the bench owns), audited and not, on the scratch database; then the sequencer catching up
on every event written, and the chain checked. Recording an event takes no lock, so audited writes
should keep at least half the rate of the same writes unaudited."""

from __future__ import annotations

import multiprocessing
import time

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, func, insert, select

from core.audit.model import AuditEvent
from core.audit.sequencing import catch_up
from core.audit.service import record, verify_chain
from core.auth.roles import Actor
from core.bench import BenchRow
from core.db import forget_engines, make_engine, unit_of_work

PROCESSES = 4
TARGET_RATIO = 0.5
ROUNDS = 2  # unaudited, audited, unaudited, audited: the better of each, so load on the machine falls on both
ENTITY = "bench_write"

_bench_tables = MetaData()
WRITES = Table(ENTITY, _bench_tables, Column("id", Integer, primary_key=True), Column("note", String(40)))
ACTOR = Actor.system("bench")


def _write(url: str, writes: int, audited: bool, start, errors) -> None:
    failed = writes
    try:
        engine = make_engine(url)  # this process's own connections
        start.wait(timeout=60)
        failed = 0
        for n in range(writes):
            try:
                with unit_of_work(engine) as session:
                    row_id = session.execute(insert(WRITES).values(note=f"write {n}")).inserted_primary_key[0]
                    if audited:
                        record(session, ACTOR, "update", ENTITY, row_id, detail="note")
            except Exception:  # counted: the row's correctness column
                failed += 1
        engine.dispose()
    finally:
        errors.put(failed)


def _rate(engine: Engine, writes: int, audited: bool) -> tuple[float, int]:
    """Writes a second from PROCESSES forked processes writing `writes` each, and how many failed."""
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    forget_engines()  # a forked child must not share the parent's database connections
    fork = multiprocessing.get_context("fork")
    start, errors = fork.Barrier(PROCESSES + 1), fork.Queue()
    children = [fork.Process(target=_write, args=(url, writes, audited, start, errors), daemon=True)
                for _ in range(PROCESSES)]
    for child in children:
        child.start()
    start.wait(timeout=60)
    began = time.perf_counter()
    failed = sum(errors.get(timeout=600) for _ in children)
    took = time.perf_counter() - began
    for child in children:
        child.join(timeout=10)
    return PROCESSES * writes / took, failed


def bench_audited_writes(engine: Engine, *, writes: int) -> list[BenchRow]:
    """`writes`: units of work per process and round."""
    _bench_tables.create_all(engine)
    plain, audited, failed = 0.0, 0.0, 0
    try:
        for _ in range(ROUNDS):
            rate, bad = _rate(engine, writes, audited=False)
            plain, failed = max(plain, rate), failed + bad
            rate, bad = _rate(engine, writes, audited=True)
            audited, failed = max(audited, rate), failed + bad
    finally:
        _bench_tables.drop_all(engine)  # the events about its rows stay, as a real trail's would
    expected = ROUNDS * PROCESSES * writes
    began = time.perf_counter()
    sequenced = catch_up(engine)
    catch_up_s = time.perf_counter() - began
    with unit_of_work(engine) as session:
        written = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == ENTITY))
        waiting = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq.is_(None)))
        twice = session.scalar(select(func.count(AuditEvent.seq) - func.count(AuditEvent.seq.distinct())))
        found = verify_chain(session, ACTOR)
    chain_failures = len(found.findings("event", "events")) or (0 if found.intact else 1)
    not_once = abs(expected - written) + waiting + twice
    ratio = audited / plain
    where = f"{PROCESSES} processes, {engine.dialect.name}"
    return [
        BenchRow(f"audited writes, {where}", f"{audited:,.0f}/s (×{ratio:.2f} of {plain:,.0f}/s unaudited)",
                 f"≥ ×{TARGET_RATIO} of the same writes unaudited", ratio >= TARGET_RATIO, correctness=failed,
                 note=f"{writes} units of work each a round (one row, plus record() when audited), best of "
                      f"{ROUNDS} rounds; correctness: units of work that failed"),
        BenchRow(f"audit sequencing catch-up, {engine.dialect.name}",
                 f"{sequenced:,} events in {catch_up_s:.2f} s ({sequenced / max(catch_up_s, 1e-9):,.0f}/s)",
                 "reported", None, correctness=not_once + chain_failures,
                 note=f"correctness: events not sequenced exactly once ({not_once}) + chain check failures "
                      f"({chain_failures})"),
    ]
