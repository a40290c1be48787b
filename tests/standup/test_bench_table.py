"""`standup bench`: the exit status CI relies on (1 when a correctness column is not zero), and
a benchmark that crashes becoming a failed row instead of a lost table. Timings are never checked."""

from __future__ import annotations

import pytest

import standup.bench
from core.bench import BenchRow, render_table
from standup.cli import main


def _rows(errors: int | None) -> list[BenchRow]:
    return [BenchRow("timing only", "1.0 s", "< 2 s", True),
            BenchRow("sends", "10 msg/s", "10/s", True, correctness=errors, note="to a fake gateway")]


@pytest.mark.parametrize(("errors", "status"), [(0, 0), (None, 0), (1, 1), (3, 1)])
def test_the_exit_status_follows_the_correctness_columns(monkeypatch, capsys, errors, status):
    monkeypatch.setattr(standup.bench, "run_bench", lambda *, quick: _rows(errors))
    assert main(["bench", "--quick"]) == status
    out, err = capsys.readouterr()
    assert "| sends" in out and "quick run on" in out  # the table prints either way
    assert ("correctness failures in: sends" in err) == (status == 1)


def test_a_slow_row_alone_does_not_fail_the_run(monkeypatch):
    # Timings are reported, not asserted: a missed target is "NO" in the table, exit 0.
    rows = [BenchRow("slow page", "9.0 s", "< 1 s", False)]
    monkeypatch.setattr(standup.bench, "run_bench", lambda *, quick: rows)
    assert main(["bench", "--quick"]) == 0
    assert "| NO " in render_table(rows)


def test_a_benchmark_that_crashes_is_a_failed_row_that_fails_the_run():
    def crashes() -> list[BenchRow]:
        raise ValueError("no incident to measure")

    [row] = standup.bench._guarded("situation", crashes)
    assert (row.name, row.figure, row.ok, row.correctness) == ("situation", "failed", False, 1)
    assert "ValueError: no incident to measure" in row.note
