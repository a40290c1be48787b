"""Each main page's script time (Streamlit's AppTest, the shell included) on the small demo and
on a larger one, and the ratio between them: a page that slows with the data is a page that
will fail on the first night."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

from sqlalchemy import select

from core.auth.model import User
from core.auth.service import actor_for
from core.bench import BenchRow, timed
from core.clock import now
from core.db import forget_engines, unit_of_work
from core.settings import reset_settings

ROOT = Path(__file__).resolve().parent.parent
TARGET_S, TARGET_RATIO = 1.0, 3.0

# (demo username, page) — the pages people keep open on the night.
MAIN_PAGES = (
    ("gold", "incident/pages/gold.py"),
    ("gold", "standup/pages/dashboard.py"),
    ("gold", "standup/pages/map.py"),
    ("hub", "rosters/pages/coverage.py"),
    ("hub", "notifications/pages/callouts.py"),
    ("caseworker", "pathways/pages/my_day.py"),
    ("caseworker", "pathways/pages/people.py"),
)


def _page_seconds(url: str, username: str, page: str, runs: int = 3) -> float:
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    reset_settings()
    forget_engines()
    with unit_of_work() as session:
        actor = actor_for(session.scalar(select(User).where(User.username == username)))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state["actor"] = actor
    at.session_state["last_seen"] = now()
    at.run()
    at.switch_page(page).run()  # warm: imports, caches
    if at.exception:
        raise RuntimeError(f"{page} raised: {at.exception[0].value}")
    return statistics.median(timed(at.run) for _ in range(runs))


def bench_pages(scratch, large_scale: str) -> list[BenchRow]:
    from standup.demo import build_demo

    built = {}
    for scale in ("small", large_scale):
        engine = scratch.engine()
        seconds = timed(lambda e=engine, s=scale: build_demo(e, scale=s))
        built[scale] = (str(engine.url.render_as_string(hide_password=False)), seconds)
    saved = os.environ.get("DATABASE_URL")
    rows = [BenchRow(f"demo: build the {scale} exercise", f"{s:.1f} s", "minutes, not hours", None)
            for scale, (_, s) in built.items()]
    try:
        for username, page in MAIN_PAGES:
            if not (ROOT / page).exists():
                rows.append(BenchRow(f"page {page}", "missing", "", False, correctness=1))
                continue
            small = _page_seconds(built["small"][0], username, page)
            large = _page_seconds(built[large_scale][0], username, page)
            ratio = large / small if small else float("inf")
            rows.append(BenchRow(
                f"page {page} ({large_scale} demo)", f"{large:.2f} s (small {small:.2f} s, ×{ratio:.1f})",
                f"< {TARGET_S:.0f} s, ratio < {TARGET_RATIO:.0f}", large < TARGET_S and ratio < TARGET_RATIO,
            ))
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved
        reset_settings()
        forget_engines()
    return rows
