"""A cohort import holds no database lock while it reads its file and writes in short batches: a
webhook's write made meanwhile on another connection finishes within a second. Two imports into
one cohort still take turns: the one that finds another went in since it read the cohort is
refused and saves nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import outreach.cohort_service
from core.auth.roles import Actor
from core.db import unit_of_work
from core.errors import InputError
from outreach.cohort_service import import_cohort
from outreach.model import Contact, ContactAddress
from tests import factories
from tests.writes_during import writes_during

SYSTEM = Actor.system("test")
ROWS = 6_000
SECOND = 1.0


def _list(rows: int, first: int = 0) -> bytes:
    body = "".join(f"T{n:07d},Ann,Buyer{n},buyer{n}@example.org,07400 {n:06d},M20 2LR\n"
                   for n in range(first, first + rows))
    return ("Order No,First name,Surname,Email,Mobile,Postcode\n" + body).encode()


def import_summary(incident_id: int, data: bytes) -> str:
    """In the importing process: the import, as the cohorts page runs it (DATABASE_URL as the test's)."""
    with unit_of_work() as session:
        return import_cohort(session, SYSTEM, incident_id, "Ticket buyers", data, "tickets.csv",
                             source="Ticket agency export").summary


def _count(db, what) -> int:
    with unit_of_work(db.engine) as session:
        return session.scalar(select(func.count(what)))


def test_a_webhook_write_waits_under_a_second_while_a_large_cohort_imports(db):
    incident_id = factories.incident(db, "Arena")
    waits = writes_during(import_summary, incident_id, _list(ROWS))
    assert waits.task.result == f"imported {ROWS}, merged 0, rejected 0"
    print(f"{db.kind}: import {waits.task.ended - waits.task.started:.1f} s, {len(waits.during)} writes meanwhile, "
          f"longest {max(waits.during) * 1000:.0f} ms")
    assert waits.during and max(waits.during) < SECOND
    assert len(waits.during) >= 5  # the import lasted long enough to be written behind
    assert _count(db, Contact.id) == ROWS


def test_an_import_that_finds_another_went_in_since_it_read_the_cohort_saves_nothing(db, monkeypatch):
    incident_id = factories.incident(db, "Arena")
    import_summary(incident_id, _list(3))
    real_link = outreach.cohort_service.link_registered

    def another_import_meanwhile(session, *args):
        monkeypatch.setattr(outreach.cohort_service, "link_registered", real_link)
        assert import_summary(incident_id, _list(2, first=100)) == "imported 2, merged 0, rejected 0"
        return real_link(session, *args)

    monkeypatch.setattr(outreach.cohort_service, "link_registered", another_import_meanwhile)
    with pytest.raises(InputError, match="Another list went into the cohort 'Ticket buyers' while this one was "
                                         "being read; nothing was saved: import the file again"):
        import_summary(incident_id, _list(4, first=200))
    assert (_count(db, Contact.id), _count(db, ContactAddress.id)) == (5, 0)
    assert import_summary(incident_id, _list(4, first=200)) == "imported 4, merged 0, rejected 0"


def test_the_first_import_into_a_new_cohort_is_the_one_that_makes_it(db, monkeypatch):
    incident_id = factories.incident(db, "Arena")
    real_link = outreach.cohort_service.link_registered

    def another_import_meanwhile(session, *args):
        monkeypatch.setattr(outreach.cohort_service, "link_registered", real_link)
        import_summary(incident_id, _list(2, first=100))
        return real_link(session, *args)

    monkeypatch.setattr(outreach.cohort_service, "link_registered", another_import_meanwhile)
    with pytest.raises(InputError, match="Another list went into the cohort"):
        import_summary(incident_id, _list(4, first=200))
    assert _count(db, Contact.id) == 2
