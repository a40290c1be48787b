"""Benchmark rows and the table `standup bench` prints. Speed is measured here, never asserted in tests."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, event


@dataclass(frozen=True)
class BenchRow:
    name: str
    figure: str  # what was measured, with its unit
    target: str
    ok: bool | None  # None: reported, no target to pass
    correctness: int | None = None  # violations / duplicates / lost messages: CI fails unless 0
    note: str = ""


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def timed_transactions(engine: Engine, fn: Callable[[], object]) -> tuple[float, float]:
    """How long fn took, and the longest transaction it held on `engine` (on SQLite, the longest
    it held the database's one write lock, so the longest any other write waited behind it)."""
    begun: dict[int, float] = {}
    longest = 0.0

    def begin(connection) -> None:
        begun[id(connection)] = time.perf_counter()

    def end(connection) -> None:
        nonlocal longest
        started = begun.pop(id(connection), None)
        if started is not None:
            longest = max(longest, time.perf_counter() - started)

    listeners = (("begin", begin), ("commit", end), ("rollback", end))
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        seconds = timed(fn)
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)
    return seconds, longest


def p95_ms(samples: Sequence[float]) -> float:
    """The 95th percentile of samples in seconds, in milliseconds."""
    if len(samples) < 2:
        return samples[0] * 1000
    return statistics.quantiles(samples, n=20, method="inclusive")[-1] * 1000


def why_below_ratio(bare_rate: float, rate: float, ceiling_rate: float, target: float) -> str:
    """Why `rate` falls short of `target` × `bare_rate`, read against its ceiling (the same requests
    with nothing written, same run), in time per request at each rate (1 / rate); "" when it does
    not. Either the route alone already takes more than the target allows, or its write adds more
    than the ceiling leaves: each says what would close the gap. More server processes would not:
    the bare route beside it gains from them as much."""
    if rate >= target * bare_rate:
        return ""
    allowed, ceiling = 1e6 / (target * bare_rate), 1e6 / ceiling_rate
    if ceiling > allowed:
        return (f"misses: with nothing written a request already takes {ceiling:.0f} µs where ×{target:g} "
                f"allows {allowed:.0f}; no write can close it, only a cheaper route")
    return (f"misses: its write adds {1e6 / rate - ceiling:.0f} µs a request to the ceiling's {ceiling:.0f}, where "
            f"×{target:g} leaves it {allowed - ceiling:.0f}; a write that cheap would close it")


def render_table(rows: Sequence[BenchRow]) -> str:
    header = ("benchmark", "measured", "target", "pass", "errors", "note")
    body = [
        (r.name, r.figure, r.target, "—" if r.ok is None else ("yes" if r.ok else "NO"),
         "" if r.correctness is None else str(r.correctness), r.note)
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=False)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, body)])
