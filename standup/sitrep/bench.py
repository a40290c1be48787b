"""How fast the situation picture answers: one dashboard refresh (figures), its trends, the map
(query, folium build and HTML), and the situation report in each format. `bench_situation_on`
runs on whatever engine it is given: `standup bench` gives it the large demo (50,000 people,
5,000 staff, 200,000 SMS) the page benchmarks built."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.auth.roles import Actor
from core.bench import BenchRow, p95_ms, timed
from core.db import unit_of_work
from core.settings import get_settings
from pathways.model import Person
from rosters.coverage_queries import coverage_board, gaps
from rosters.model import StaffMember
from standup.sitrep.figures import NEXT_HOURS, build_sitrep, default_incident_id
from standup.sitrep.render import FORMATS, render
from standup.sitrep.trends import trends
from standup.situation_map import build_map
from standup.situation_queries import situation_picture

SITREP_TARGET_S = 2.0
REFRESH_TARGET_S = 2.0  # the dashboard refreshes every 15 s: one refresh must be far shorter
MAP_TARGET_S = 2.0
RUNS = 5


def _p95_s(run, runs: int = RUNS) -> float:
    run()  # warm: statement cache, imports, fonts
    return p95_ms([timed(run) for _ in range(runs)]) / 1000


def bench_situation_on(engine: Engine, incident_id: int | None = None, *, runs: int = RUNS) -> list[BenchRow]:
    actor = Actor.system("bench")
    with unit_of_work(engine) as session:
        incident_id = incident_id if incident_id is not None else default_incident_id(session)
        if incident_id is None:
            raise ValueError("no incident to measure: build a demo first")
        people = session.scalar(select(func.count(Person.id)).where(Person.incident_id == incident_id)) or 0
        staff = session.scalar(select(func.count(StaffMember.id))) or 0
    size = f"{people:,} people, {staff:,} staff"

    def read(query):
        # Reads only: rolled back, so a bench never leaves an audit event or marks a "last report".
        with engine.connect() as conn, conn.begin(), Session(bind=conn) as session:
            return query(session)

    def refresh() -> None:
        read(lambda s: build_sitrep(s, actor, incident_id))

    def the_map() -> None:
        picture = read(lambda s: situation_picture(s, actor, incident_id))
        build_map(picture, get_settings().tile_url).get_root().render()

    rows = [coverage_agreement(read(lambda s: _coverage_views(s, actor, incident_id)), size)]
    refresh_s = _p95_s(refresh, runs)
    rows.append(BenchRow("dashboard refresh, every 15 s (figures)", f"p95 {refresh_s:.2f} s",
                         f"< {REFRESH_TARGET_S:.0f} s", refresh_s < REFRESH_TARGET_S, note=size))
    trends_s = _p95_s(lambda: read(lambda s: trends(s, actor, incident_id)), runs)
    rows.append(BenchRow("dashboard trends, every 5 min", f"p95 {trends_s:.2f} s", f"< {REFRESH_TARGET_S:.0f} s",
                         trends_s < REFRESH_TARGET_S, note=size))
    map_s = _p95_s(the_map, runs)
    rows.append(BenchRow("situation map (query + folium + HTML)", f"p95 {map_s:.2f} s", f"< {MAP_TARGET_S:.0f} s",
                         map_s < MAP_TARGET_S, note=size))
    for fmt in FORMATS:
        seconds = _p95_s(lambda f=fmt: render(read(lambda s: _made_report(s, actor, incident_id)), f), runs)
        rows.append(BenchRow(f"situation report ({fmt})", f"p95 {seconds:.2f} s", f"< {SITREP_TARGET_S:.0f} s",
                             seconds < SITREP_TARGET_S, note=size))
    return rows


def _made_report(session: Session, actor: Actor, incident_id: int):
    """The report as `export_sitrep` makes it (with its trends), without the audit event."""
    return build_sitrep(session, actor, incident_id, recipient="bench", with_trends=True)


def _coverage_views(session: Session, actor: Actor, incident_id: int):
    return (coverage_board(session, actor, incident_id), gaps(session, actor, incident_id, within=NEXT_HOURS),
            build_sitrep(session, actor, incident_id))


def coverage_agreement(views, size: str) -> BenchRow:
    """The coverage board, the gaps call-outs are made for and the situation report read one
    coverage: on the bench's demo (the large one in the full bench) they must name the same shifts
    short in the next 24 hours, and the same places open. Each disagreement counts."""
    board, next_day_gaps, report = views
    short = [r for r in board if r.soon and r.is_gap]
    staffing = {f.label: f.value for f in report.figures if f.section == "Staffing, next 24 hours"}
    disagreements = (
        int([r.requirement_id for r in short] != [g.requirement_id for g in next_day_gaps])
        + int(staffing.get("Shifts not fully staffed") != len(short))
        + int(staffing.get("Places open") != sum(r.places_short for r in short))
    )
    return BenchRow("coverage: board, gaps and situation report agree", f"{len(short)} shifts short",
                    "the same", disagreements == 0, correctness=disagreements, note=size)
