import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.audit.model import AuditEvent
from core.audit.service import AuditFilter, record, search, verify_chain
from core.auth.roles import PermissionDenied
from core.db import unit_of_work


def _three_events(db, actor):
    with unit_of_work(db.engine) as s:
        for n in range(3):
            record(s, actor, "view", "person", n, reason="welfare check")


def test_the_chain_verifies_and_a_tampered_row_is_found(db, make_actor):
    auditor = make_actor("auditor")
    _three_events(db, make_actor("caseworker"))
    with unit_of_work(db.engine) as s:
        assert verify_chain(s, auditor) == []
        ids = [e.id for e in s.query(AuditEvent).order_by(AuditEvent.id)]
    # Someone with database access bypasses the append-only trigger and edits a reason.
    with db.engine.begin() as conn:
        if db.kind == "postgresql":
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
            conn.execute(text("UPDATE audit_event SET reason = 'nothing to see' WHERE id = :i"), {"i": ids[1]})
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
        else:
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
            conn.execute(text("UPDATE audit_event SET reason = 'nothing to see' WHERE id = :i"), {"i": ids[1]})
    with unit_of_work(db.engine) as s:
        assert verify_chain(s, auditor) == [ids[1]]


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET reason = 'x'", "DELETE FROM audit_event"])
def test_the_database_refuses_edits_and_deletes(db, make_actor, statement):
    _three_events(db, make_actor("caseworker"))
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    with unit_of_work(db.engine) as s:
        assert s.query(AuditEvent).count() == 3


def test_search_filters_and_is_itself_audited(db, make_actor):
    caseworker, auditor = make_actor("caseworker"), make_actor("auditor")
    _three_events(db, caseworker)
    with unit_of_work(db.engine) as s:
        rows = search(s, auditor, AuditFilter(actor=caseworker.username, entity="person", entity_id="1"))
    assert [(r.actor, r.entity_id, r.reason) for r in rows] == [(caseworker.username, "1", "welfare check")]
    with unit_of_work(db.engine) as s:
        last = s.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
    assert (last.actor, last.action, last.entity) == (auditor.username, "view", "audit_event")


@pytest.mark.parametrize("role", ["gold", "hub_manager", "agency_coordinator", "caseworker"])
def test_only_admins_and_auditors_read_the_trail(db, make_actor, role):
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        search(s, make_actor(role), AuditFilter())
