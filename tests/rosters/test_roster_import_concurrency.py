"""A roster import holds no database lock while it reads its file and writes in short batches: a
webhook's write made meanwhile on another connection finishes within a second (issue 17: it used
to wait 30 s and fail with "database is locked")."""

from __future__ import annotations

from sqlalchemy import func, select

from core.auth.roles import Actor
from core.db import unit_of_work
from rosters.import_service import import_roster
from rosters.model import StaffMember
from tests.factories import agency
from tests.writes_during import writes_during

ROWS = 6_000
SECOND = 1.0


def _roster(rows: int) -> bytes:
    body = "".join(f"R{n:06d},Ben,Jones{n},07400 {n:06d},Support Worker,PFA,Arabic,Enhanced,01/01/2030\n"
                   for n in range(rows))
    return ("Staff ID,First name,Surname,Mobile,Role,Skills,Languages,DBS,DBS expiry\n" + body).encode()


def import_summary(agency_id: int, data: bytes) -> str:
    """In the importing process: the import, as the upload page runs it (DATABASE_URL as the test's)."""
    with unit_of_work() as session:
        return import_roster(session, Actor.system("test"), agency_id, data, "roster.csv").summary


def test_a_webhook_write_waits_under_a_second_while_a_large_roster_imports(db):
    agency_id = agency(db, "Victim Support")
    waits = writes_during(import_summary, agency_id, _roster(ROWS))
    assert waits.task.result == f"imported {ROWS}, updated 0, rejected 0"
    print(f"{db.kind}: import {waits.task.ended - waits.task.started:.1f} s, {len(waits.during)} writes meanwhile, "
          f"longest {max(waits.during) * 1000:.0f} ms")
    assert waits.during and max(waits.during) < SECOND
    assert len(waits.during) >= 5  # the import lasted long enough to be written behind
    with unit_of_work(db.engine) as session:
        assert session.scalar(select(func.count(StaffMember.id))) == ROWS
