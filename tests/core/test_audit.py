import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.audit.model import AuditEvent
from core.audit.sequencing import catch_up
from core.audit.service import AuditFilter, record, search, verify_chain
from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from tests.tampering import bypassing_append_only


def _three_events(db, actor):
    with unit_of_work(db.engine) as s:
        for n in range(3):
            record(s, actor, "view", "person", n, reason="welfare check")
    assert catch_up(db.engine) == 3  # the worker's sequencing: the events are in the chain


def test_the_chain_verifies_and_a_tampered_row_is_found(db, make_actor):
    auditor = make_actor("auditor")
    _three_events(db, make_actor("caseworker"))
    with unit_of_work(db.engine) as s:
        assert verify_chain(s, auditor).intact
        ids = [e.id for e in s.query(AuditEvent).order_by(AuditEvent.id)]
    # Someone with database access bypasses the append-only trigger and edits a reason.
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "audit_event",
                              "UPDATE audit_event SET reason = 'nothing to see' WHERE id = :i", {"i": ids[1]})
    with unit_of_work(db.engine) as s:
        found = verify_chain(s, auditor)
    assert found.broken == (ids[1],) and not found.intact and found.missing_unnamed == 0


def _delete_bypassing_triggers(db, sql, params=None):
    """What someone with full write access to the database would do to hide the newest rows."""
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "audit_event", sql, params)


def test_deleting_the_newest_events_is_reported(db, make_actor):
    auditor = make_actor("auditor")
    _three_events(db, make_actor("caseworker"))
    _delete_bypassing_triggers(db, "DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)")
    with unit_of_work(db.engine) as s:
        found = verify_chain(s, auditor)
    assert not found.intact and found.broken == () and found.missing_unnamed == 1 and found.tail_differs
    assert "1 event is missing" in " ".join(found.findings("event", "events"))


def test_deleting_an_event_in_the_middle_is_reported(db, make_actor):
    auditor = make_actor("auditor")
    _three_events(db, make_actor("caseworker"))
    with unit_of_work(db.engine) as s:
        ids = [e.id for e in s.query(AuditEvent).order_by(AuditEvent.id)]
    _delete_bypassing_triggers(db, "DELETE FROM audit_event WHERE id = :i", {"i": ids[-2]})
    with unit_of_work(db.engine) as s:
        found = verify_chain(s, auditor)
    assert found.broken == (ids[-1],) and found.missing_unnamed == 1 and not found.tail_differs


@pytest.mark.parametrize("statement", ["DELETE FROM chain_head", "UPDATE chain_head SET length = length - 1",
                                       "UPDATE chain_head SET head_hash = 'x'"])
def test_a_chain_head_only_moves_forward(db, make_actor, statement):
    _three_events(db, make_actor("caseworker"))
    with pytest.raises(DBAPIError, match="only moves forward"), db.engine.begin() as conn:
        conn.execute(text(statement))


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


def _insert_chained(conn, model, fields_of, rows: list[dict]) -> None:
    """Rows written the way Stand Up wrote them before chains had heads."""
    from core.hashchain import GENESIS, link

    previous = GENESIS
    for values in rows:
        row = model(**values)
        row.prev_hash, row.hash = previous, link(previous, fields_of(row))
        previous = row.hash
        conn.execute(model.__table__.insert().values(
            {c.name: getattr(row, c.name) for c in model.__table__.columns if c.name not in {"id", "seq"}}))


def test_chains_written_before_heads_existed_are_counted_when_heads_arrive(db, tmp_path):
    """Upgrading a database that already holds an audit trail and a decision log starts their heads
    where they stand: both verify intact, and removing the newest rows afterwards is found."""
    from datetime import date

    from alembic import command

    import incident.decision_service as decision_service
    from core.audit.sequencing import chained_fields
    from core.auth.roles import Actor
    from core.clock import now
    from core.db import make_engine
    from core.migrate import alembic_config, downgrade_all, upgrade
    from incident.decision_service import verify_decision_log
    from incident.model import DecisionLogEntry, Incident

    if db.kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    else:
        engine = db.engine
        downgrade_all(engine)
    command.upgrade(alembic_config(engine), "incident_0002")  # core_0001 and the incident tables, no heads
    at = now()
    with engine.begin() as conn:
        _insert_chained(conn, AuditEvent, chained_fields, [
            {"at": at, "actor_user_id": None, "actor": "system:old", "role": "system", "action": "view",
             "entity": "person", "entity_id": str(n), "incident_id": None, "reason": "", "recipient": "", "detail": ""}
            for n in range(3)])
        incident_id = conn.execute(Incident.__table__.insert().values(
            name="Old incident", is_exercise=False, status="declared", summary="", opened_on=date(2026, 1, 5),
            created_at=at).returning(Incident.__table__.c.id)).scalar_one()
        _insert_chained(conn, DecisionLogEntry, decision_service._fields, [
            {"incident_id": incident_id, "sequence": n, "decided_at": at, "recorded_at": at, "decision_maker": "Gold",
             "recorded_by_id": None, "recorded_by_name": "Gold", "decision": f"decision {n}", "rationale": "why",
             "options_considered": "", "late_reason": "", "corrects_id": None, "correction_reason": ""}
            for n in (1, 2, 3)])
    upgrade(engine)
    system = Actor.system("test")
    with unit_of_work(engine) as s:
        assert verify_chain(s, system).intact
        assert verify_decision_log(s, system, incident_id).intact
    catch_up(engine)  # the checks' own events into the chain, as the worker does within a second
    with engine.begin() as conn:
        bypassing_append_only(db, conn, "audit_event",
                              "DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)")
        bypassing_append_only(db, conn, "decision_log_entry", "DELETE FROM decision_log_entry WHERE sequence = 3")
    with unit_of_work(engine) as s:
        assert verify_chain(s, system).missing_unnamed == 1
        assert verify_decision_log(s, system, incident_id).missing == (3,)


def _spread_events(db, frozen_clock, make_actor):
    """Two caseworkers looking at people over three hours, and one status change."""
    from datetime import timedelta

    first, second = make_actor("caseworker"), make_actor("caseworker")
    start = frozen_clock.at
    plan = [(first, "view", "person", 7, "welfare check"), (second, "view", "person", 8, "=HYPERLINK(\"x\")"),
            (first, "update", "person", 7, "address changed"), (second, "view", "person", 7, "duty call"),
            (first, "status", "incident", 1, "declared")]
    for hour, (actor, action, entity, entity_id, reason) in enumerate(plan):
        frozen_clock.set(start + timedelta(hours=hour))
        with unit_of_work(db.engine) as s:
            record(s, actor, action, entity, entity_id, reason=reason)
    return first, second, start


def test_each_filter_narrows_the_trail(db, frozen_clock, make_actor):
    from datetime import timedelta

    first, second, start = _spread_events(db, frozen_clock, make_actor)
    auditor = make_actor("auditor")

    def reasons(**f) -> list[str]:
        with unit_of_work(db.engine) as s:
            return [e.reason for e in search(s, auditor, AuditFilter(**f)) if e.actor != auditor.username]

    assert reasons(actor=first.username) == ["declared", "address changed", "welfare check"]
    assert reasons(person_id="7") == ["duty call", "address changed", "welfare check"]
    assert reasons(person_id=" 8 ") == ['=HYPERLINK("x")']
    assert reasons(action="update") == ["address changed"]
    assert reasons(since=start + timedelta(hours=1), until=start + timedelta(hours=3)) == [
        "duty call", "address changed", '=HYPERLINK("x")']
    assert reasons(actor=second.username, person_id="7") == ["duty call"]
    assert reasons(entity="incident", entity_id="1") == ["declared"]


def test_the_filtered_rows_export_as_safe_csv_and_the_export_names_its_recipient(db, frozen_clock, make_actor):
    import csv
    import io

    from core.audit.service import export_events

    first, _, _ = _spread_events(db, frozen_clock, make_actor)
    auditor = make_actor("auditor")
    with unit_of_work(db.engine) as s:
        text_ = export_events(s, auditor, AuditFilter(person_id="8"), recipient="  ICO case officer ")
    rows = list(csv.DictReader(io.StringIO(text_)))
    assert [(r["entity"], r["entity_id"], r["reason"]) for r in rows] == [("person", "8", '\'=HYPERLINK("x")')]
    assert rows[0]["at_utc"] == "2026-11-23T10:00:00+00:00" and len(rows[0]["hash"]) == 64
    with unit_of_work(db.engine) as s:
        export = s.query(AuditEvent).filter_by(action="export", entity="audit_event").one()
    assert (export.actor, export.recipient) == (auditor.username, "ICO case officer")
    assert export.detail.startswith("1 event: ") and "person_id='8'" in export.detail
    with pytest.raises(InputError, match="Say who the export is for"), unit_of_work(db.engine) as s:
        export_events(s, auditor, AuditFilter(), recipient=" ")
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        export_events(s, first, AuditFilter(), recipient="me")


def test_the_audit_page_applies_each_filter_and_exports_what_it_shows(db, frozen_clock, make_actor, app_as):
    import datetime as dt

    first, second, start = _spread_events(db, frozen_clock, make_actor)
    auditor = make_actor("auditor")
    at = app_as("auditor", "core/pages/audit.py", actor=auditor)
    assert not at.exception

    def shown() -> list[str]:
        table = at.dataframe[0].value
        return [r for r, who in zip(table["reason"], table["user"], strict=True) if who != auditor.username]

    assert len(shown()) == 5
    at.selectbox(key="audit_user").select(first.username).run()
    assert shown() == ["declared", "address changed", "welfare check"]
    at.selectbox(key="audit_user").select("").run()
    at.text_input(key="audit_person").input("7").run()
    assert shown() == ["duty call", "address changed", "welfare check"]
    at.selectbox(key="audit_action").select("view").run()
    assert shown() == ["duty call", "welfare check"]
    at.text_input(key="audit_person").input("").run()
    at.selectbox(key="audit_action").select("").run()
    day = start.date()  # 09:00 to 13:00 UTC, the same London day in November
    at.date_input(key="audit_from_day").set_value(day)
    at.time_input(key="audit_from_time").set_value(dt.time(10, 0))
    at.date_input(key="audit_to_day").set_value(day)
    at.time_input(key="audit_to_time").set_value(dt.time(11, 59)).run()
    assert shown() == ["address changed", '=HYPERLINK("x")']

    at.text_input(key="audit_recipient").input("Force data protection officer")
    at.button(key="FormSubmitter:audit_export-Export these events as CSV").click().run()
    assert not at.exception and not at.error
    (button,) = at.get("download_button")
    assert button.proto.label.startswith("Download the CSV (")
    with unit_of_work(db.engine) as s:
        export = s.query(AuditEvent).filter_by(action="export", entity="audit_event").one()
    assert export.recipient == "Force data protection officer" and export.detail.startswith("2 events: ")
