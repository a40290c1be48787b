"""How the decision log holds up over a long incident. `standup bench` can call this on a
migrated scratch database; it returns core.bench.BenchRow rows.

- appends: `entries` decisions, each in its own unit of work (as Gold records them), p95 per
  append: the chain lock and the last-entry read must not slow as the log grows.
- verify: re-hash the whole chain, as the verify button and the export do.
- export: the inquiry file (JSON and CSV) of that incident.
The correctness figure is the number of broken links plus missing or repeated entry numbers (must be 0).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import Engine

from core.auth.roles import Actor
from core.bench import BenchRow, p95_ms, timed
from core.clock import now
from core.db import unit_of_work
from incident.decision_service import Decision, decision_log, log_decision, verify_decision_log
from incident.export import export_incident
from incident.lifecycle_service import declare_incident

APPEND_TARGET_MS = 100.0
VERIFY_TARGET_S = 2.0


def bench_decision_log(engine: Engine, *, entries: int = 1000) -> list[BenchRow]:
    actor = Actor.system("bench")
    with unit_of_work(engine) as s:
        incident_id = declare_incident(s, actor, f"Bench incident {now().isoformat()}", is_exercise=True, summary="",
                                       reason="benchmark").id

    def append(n: int) -> None:
        with unit_of_work(engine) as s:
            log_decision(s, actor, incident_id, Decision(now(), "Bench Gold", f"decision {n}", "rationale " * 20,
                                                         "options " * 10))

    samples = [timed(lambda n=n: append(n)) for n in range(entries)]
    broken: list[int] = []

    def verify() -> None:
        with unit_of_work(engine) as s:
            found = verify_decision_log(s, actor, incident_id)
            broken.extend([*found.broken, *found.missing, *found.rewritten, *([0] if found.tail_differs else [])])

    verify_s = timed(verify)
    with unit_of_work(engine) as s:
        numbers = [line.entry.sequence for line in decision_log(s, actor, incident_id)]
    errors = len(broken) + len(set(range(1, entries + 1)) ^ set(numbers)) + (len(numbers) - len(set(numbers)))
    with tempfile.TemporaryDirectory() as tmp:
        def export() -> None:
            with unit_of_work(engine) as s:
                export_incident(s, actor, incident_id, Path(tmp), recipient="benchmark")

        export_s = timed(export)
    append_p95 = p95_ms(samples)
    return [
        BenchRow(f"incident: decision log append ({entries:,} entries)", f"p95 {append_p95:.1f} ms",
                 f"< {APPEND_TARGET_MS:.0f} ms", append_p95 < APPEND_TARGET_MS, errors),
        BenchRow(f"incident: verify a {entries:,}-entry chain", f"{verify_s:.2f} s", f"< {VERIFY_TARGET_S:.0f} s",
                 verify_s < VERIFY_TARGET_S, len(broken)),
        BenchRow(f"incident: export with {entries:,} log entries", f"{export_s:.2f} s", "", None),
    ]
