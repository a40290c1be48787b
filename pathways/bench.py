"""How fast "my day" and person search answer with 50,000 people in one incident.

`standup bench` calls `bench_my_day_and_search(engine)` on a migrated scratch database.
"""

from __future__ import annotations

import random
import secrets

from faker import Faker
from sqlalchemy import Engine

from core.auth.model import User
from core.auth.roles import Actor, Role
from core.auth.service import actor_for
from core.bench import BenchRow, p95_ms, timed
from core.clock import now
from core.db import refresh_statistics, unit_of_work
from incident.lifecycle_service import open_incident
from incident.team_service import assign_to_team
from pathways.demo_people import bulk_people
from pathways.my_day_queries import my_day
from pathways.people_queries import search_people

TARGET_MS = 200.0  # the target: p95 under 200 ms at 50,000 people
CASELOAD = 100  # people per key worker, so "my caseload" is a real caseworker's list
RUNS = 30


def bench_my_day_and_search(engine: Engine, people: int = 50_000, *, seed: int = 7) -> list[BenchRow]:
    rng, faker = random.Random(seed), Faker("en_GB")
    faker.seed_instance(seed)
    with unit_of_work(engine) as session:
        incident = open_incident(session, Actor.system("bench"), f"Bench {secrets.token_hex(4)}", is_exercise=True)
        tag = secrets.token_hex(4)
        users = [User(username=f"bench{tag}-{i}", display_name=f"Bench caseworker {i}", role=Role.CASEWORKER.value,
                      password_hash=None) for i in range(max(1, people // CASELOAD))]
        session.add_all(users)
        session.flush()
        incident_id, actor = incident.id, actor_for(users[0])
        assign_to_team(session, Actor.system("bench"), incident_id, users[0].id)  # caseworkers see their incidents only
        workers = [u.id for u in users]
        load_s = timed(lambda: bulk_people(session, rng, faker, incident_id, people, now(), key_worker_ids=workers))
    refresh_statistics(engine)  # as the worker (SQLite) or autovacuum (PostgreSQL) would soon after a load this size
    names = [faker.last_name()[:3] for _ in range(RUNS)]

    def run(query) -> float:
        with unit_of_work(engine) as session:
            query(session, 0)  # warm the connection pool and the statement cache
        samples = []
        for i in range(RUNS):
            with unit_of_work(engine) as session:
                samples.append(timed(lambda s=session, i=i: query(s, i)))
        return p95_ms(samples)

    figures = {
        "my day (my caseload)": run(lambda s, i: my_day(s, actor, incident_id, mine_only=True)),
        "my day (whole incident)": run(lambda s, i: my_day(s, actor, incident_id, mine_only=False)),
        "person search (name prefix, page 1)": run(lambda s, i: search_people(s, actor, incident_id, names[i])),
        "person search (page 40 of everyone)": run(lambda s, i: search_people(s, actor, incident_id, "", 40)),
    }
    rows = [BenchRow(f"pathways: load {people:,} people", f"{load_s:.1f} s", "reported", None,
                     note="bulk insert with schedules, screenings, referrals")]
    rows += [BenchRow(f"pathways: {name}, {people:,} people", f"p95 {ms:.0f} ms", f"< {TARGET_MS:.0f} ms",
                      ms < TARGET_MS) for name, ms in figures.items()]
    return rows
