"""core.bench.why_below_ratio: what a ratio row that misses says about itself, read against its
ceiling row (the same requests with nothing written), in time per request at each rate."""

from __future__ import annotations

from core.bench import why_below_ratio


def test_a_row_at_its_target_says_nothing():
    assert why_below_ratio(5000, 2500, 4000, 0.5) == ""
    assert why_below_ratio(5000, 4000, 4500, 0.5) == ""


def test_a_write_that_takes_more_than_the_ceiling_leaves_is_named_with_both_figures():
    # Bare 200 µs a request: ×0.5 allows 400. The ceiling takes 250, so it leaves the write 150;
    # the row takes 500, so its write adds 250.
    why = why_below_ratio(5000, 2000, 4000, 0.5)
    assert why.startswith("misses: its write adds 250 µs a request to the ceiling's 250, where ×0.5 leaves it 150")
    assert why.endswith("a write that cheap would close it")


def test_a_ceiling_below_the_target_says_no_write_could_reach_it():
    # With nothing written a request already takes 500 µs where 400 are allowed.
    why = why_below_ratio(5000, 1500, 2000, 0.5)
    assert why.startswith("misses: with nothing written a request already takes 500 µs where ×0.5 allows 400")
    assert "no write can close it" in why
