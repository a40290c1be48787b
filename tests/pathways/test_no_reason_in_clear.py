"""What a person types to justify a change or a view of someone's record (why a case was closed,
reopened, moved, or opened, or screened before about a month) may name a health matter: no such text is found in a raw read of the
database, on either kind; the auditor still reads it, decrypted, beside the event."""

from __future__ import annotations

from sqlalchemy import String, cast, inspect, select, text

from core.audit.model import AuditEvent
from core.audit.service import AuditFilter, notes_of, search
from core.db import unit_of_work
from pathways import caseload_service, pathway_service, people_queries, screening_service

SECRETS = ("overdosed after the inquest", "relapse into drinking", "self-harm disclosed on the phone",
           "checking her suicide risk", "flashbacks every night since, GP asked")


def _raw_text(engine) -> str:
    """Every value of every table as the database holds it (no decryption): what a dump shows."""
    inspector = inspect(engine)
    tables = {table: [c["name"] for c in inspector.get_columns(table)] for table in inspector.get_table_names()}
    found = []
    with engine.connect() as conn:
        for table, columns in tables.items():
            for row in conn.execute(select(*[cast(text(f'"{c}"'), String) for c in columns])
                                    .select_from(text(f'"{table}"'))):
                found.extend(str(v) for v in row if v is not None)
    return "\n".join(found)


def test_typed_reasons_are_never_in_the_clear(db, frozen_clock, make_actor, register, caseworker):
    pid = register()
    with unit_of_work(db.engine) as s:
        people_queries.view_person(s, caseworker, pid, SECRETS[3])
        pathway_service.move_stage(s, caseworker, pid, "active_monitoring", SECRETS[2])
        screening_service.record_screening(s, caseworker, pid, "PCL-5", [0] * 20, early_reason=SECRETS[4])
    with unit_of_work(db.engine) as s:
        caseload_service.discharge(s, caseworker, pid, "recovered", SECRETS[0])
    with unit_of_work(db.engine) as s:
        caseload_service.reopen(s, caseworker, pid, SECRETS[1])
    raw = _raw_text(db.engine)
    assert "Amira" in raw  # the raw read does see the tables' text
    assert [secret for secret in SECRETS if secret in raw] == []
    auditor = make_actor("auditor")
    with unit_of_work(db.engine) as s:
        events = search(s, auditor, AuditFilter(person_id=str(pid)))
        notes = notes_of(s, [e.id for e in events])
        assert sorted(notes.values()) == sorted(SECRETS)
        assert all(e.reason == "" for e in events if e.id in notes)
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "discharge")).detail.startswith("fields:")
