"""The page benchmark at a tiny size, for what it reports rather than how fast: every main page
runs on the demo (any exception would make its row a failure), and a missing or failing page is
a row with an error that fails `standup bench`."""

from __future__ import annotations

from standup.bench_pages import MAIN_PAGES, bench_pages, build_demos


class _OneDatabase:
    """The bench's Scratch, giving the test's own database."""

    def __init__(self, engine) -> None:
        self._engine = engine

    def engine(self):
        return self._engine


def test_every_main_page_runs_on_the_demo_and_a_broken_one_is_an_error(db):
    built: dict = {}
    [demo_row] = build_demos(_OneDatabase(db.engine), ("small",), built)
    assert demo_row.name == "demo: build the small exercise" and " people, " in demo_row.note
    demos = {"small": built["small"], "medium": built["small"]}  # one demo on both sides: sizes do not matter here
    pages = (*MAIN_PAGES, ("gold", "nowhere/pages/missing.py"), ("nobody", "incident/pages/gold.py"))
    rows = bench_pages(demos, "medium", pages=pages, runs=1)
    assert [r.name for r in rows] == [f"page {page} (medium demo)" for _, page in pages]
    measured, missing, failing = rows[:-2], rows[-2], rows[-1]
    assert all(r.correctness is None and "small" in r.figure for r in measured), [r for r in measured if r.note]
    assert (missing.figure, missing.correctness) == ("missing", 1)
    assert (failing.figure, failing.correctness) == ("failed", 1)
