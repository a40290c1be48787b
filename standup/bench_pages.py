"""Each main page's script time (Streamlit's AppTest, the shell included) on the small demo and
on the large one, and the ratio between them: a page that slows with the data is a page that
will fail on the first night. `build_demos` builds those demos once for the whole run (the
situation benchmark measures the large one too)."""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select

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


@dataclass(frozen=True)
class BuiltDemo:
    engine: Engine
    incident_id: int
    seconds: float

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)


def _size(engine: Engine, incident_id: int) -> str:
    from notifications.model import OutboundMessage
    from pathways.model import Person
    from rosters.model import StaffMember

    with unit_of_work(engine) as session:
        people = session.scalar(select(func.count(Person.id)).where(Person.incident_id == incident_id))
        staff = session.scalar(select(func.count(StaffMember.id)))
        sms = session.scalar(select(func.count(OutboundMessage.id)).where(OutboundMessage.incident_id == incident_id))
    return f"{people:,} people, {staff:,} staff, {sms:,} SMS ({engine.dialect.name})"


def build_demos(scratch, scales: tuple[str, ...], built: dict[str, BuiltDemo]) -> list[BenchRow]:
    """Each demo scale on its own scratch database, into `built`; a row for how long each took."""
    from standup.demo import build_demo

    rows = []
    for scale in scales:
        engine = scratch.engine()
        started = time.perf_counter()
        incident_id = build_demo(engine, scale=scale).incident_id
        built[scale] = BuiltDemo(engine, incident_id, time.perf_counter() - started)
        seconds = built[scale].seconds
        rows.append(BenchRow(f"demo: build the {scale} exercise", f"{seconds:.1f} s", "minutes, not hours", None,
                             note=_size(engine, built[scale].incident_id)))
    return rows


def page_seconds(url: str, username: str, page: str, runs: int = 5) -> float:
    """The median script time of `page` for the demo login `username` on the database at `url`."""
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


def _page_row(small: BuiltDemo, large: BuiltDemo, large_scale: str, username: str, page: str,
              runs: int) -> BenchRow:
    name = f"page {page} ({large_scale} demo)"
    if not (ROOT / page).exists():
        return BenchRow(name, "missing", "", False, correctness=1)
    try:
        small_s = page_seconds(small.url, username, page, runs)
        large_s = page_seconds(large.url, username, page, runs)
    except Exception as exc:  # one page that fails is one row, the others are still measured
        return BenchRow(name, "failed", "", False, correctness=1, note=f"{type(exc).__name__}: {exc}"[:160])
    ratio = large_s / small_s if small_s else float("inf")
    return BenchRow(name, f"{large_s:.2f} s (small {small_s:.2f} s, ×{ratio:.1f})",
                    f"< {TARGET_S:.0f} s, ratio < {TARGET_RATIO:.0f}", large_s < TARGET_S and ratio < TARGET_RATIO)


def bench_pages(demos: dict[str, BuiltDemo], large_scale: str, *, pages=MAIN_PAGES, runs: int = 5) -> list[BenchRow]:
    saved = os.environ.get("DATABASE_URL")
    try:
        return [_page_row(demos["small"], demos[large_scale], large_scale, username, page, runs)
                for username, page in pages]
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved
        reset_settings()
        forget_engines()
