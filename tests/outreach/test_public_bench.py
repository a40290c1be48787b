"""The public pages' benchmark at a tiny size, for its correctness columns only (timings are never
asserted): every page answered 200, every form post 303 with its draft kept, the round queued whole
while the pages answered; and a page that fails counts as an error."""

from __future__ import annotations

import outreach.public_bench as public_bench
from outreach.public_bench import bench_public_pages


def test_every_page_and_post_is_answered_and_the_round_queued_whole(db):
    pages, bare, posts, ceiling, during = bench_public_pages(db.engine, rows=60, requests_each=1)
    assert [row.correctness for row in (pages, posts, during)] == [0, 0, 0]
    assert "ceiling" in ceiling.name and ceiling.ok is None and "of bare" in ceiling.figure
    assert ("misses:" in posts.note) == (posts.ok is False)  # a miss says why, against the ceiling
    assert bare.correctness is None and "50 GETs" in pages.note
    assert "queued 60 invitations" in during.note


def test_a_page_that_is_not_answered_counts_as_an_error(db, monkeypatch):
    monkeypatch.setattr(public_bench, "_opening", lambda links: lambda n, k: ("GET", "/support/check/" + "x" * 32, None))
    pages, _bare, _posts, _ceiling, during = bench_public_pages(db.engine, rows=10, requests_each=1)
    assert pages.correctness == public_bench.LINKS + public_bench.CLIENTS  # warm-up and timed: all 404
    assert during.correctness >= 1
