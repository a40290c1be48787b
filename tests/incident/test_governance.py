"""Governance (issue 16): every request and stand-down of a service names the decision-log entry
that authorised it, or says why that decision is not in the log yet; the commissioner's delegation
is recorded; the commissioner's office and the auditor read it all across incidents, read-only,
every reading audited."""

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.audit.model import AuditEvent
from core.auth.roles import PermissionDenied
from core.clock import now
from core.db import unit_of_work
from core.errors import InputError
from incident.activation_service import (
    Authority,
    activations_board,
    catalogue,
    move_activation,
    request_activation,
)
from incident.decision_service import Decision, correct_decision, decision_log, log_decision
from incident.delegation_service import delegations, record_delegation
from incident.delegation_terms import DelegationTerms
from incident.export import inquiry_file
from incident.governance_queries import governance_overview, incident_governance
from incident.lifecycle_service import declare_incident, get_incident, incidents_for_picker
from tests.stored_rows import every_row
from tests.tampering import bypassing_append_only

SCHEME = DelegationTerms("Police and Crime Commissioner", "Chief Constable", "Standing up victim support after a "
                         "major incident", date(2026, 4, 1), "PCC decision notice 2026/014")


def _service(db, gold, n: int = 0) -> int:
    with unit_of_work(db.engine) as s:
        return catalogue(s, gold)[n].id


def _request(db, gold, incident_id, agency_id, authority: Authority, n: int = 0) -> int:
    service_id = _service(db, gold, n)
    with unit_of_work(db.engine) as s:
        return request_activation(s, gold, incident_id, service_id, agency_id, "", authority).id


def _decide(db, gold, incident_id, words: str, maker: str = "Ch Supt Khan") -> int:
    with unit_of_work(db.engine) as s:
        return log_decision(s, gold, incident_id, Decision(now(), maker, words, "because")).id


def test_a_request_and_its_stand_down_name_the_entries_that_authorised_them(db, gold, incident_id, agency_id,
                                                                          authority, frozen_clock):
    activation = _request(db, gold, incident_id, agency_id, authority)
    with unit_of_work(db.engine) as s:
        move_activation(s, gold, activation, "standing_up")
    frozen_clock.advance(timedelta(hours=2))
    stand_down = _decide(db, gold, incident_id, "Stand the hub surge down", "ACC Jones")
    with unit_of_work(db.engine) as s:
        move_activation(s, gold, activation, "stood_down", "calls below five an hour", Authority(stand_down))
    with unit_of_work(db.engine) as s:
        (card,) = activations_board(s, gold, incident_id)
        details = [e.detail for e in s.query(AuditEvent).filter_by(entity="service_activation").order_by(AuditEvent.id)]
    requested, standing_up, stood_down = card.steps
    assert (requested.authority.sequence, requested.authority.decision_maker, requested.authority.late_reason) == (
        1, "Ch Supt Khan", "")
    assert requested.authority.decided_at == frozen_clock.at - timedelta(hours=2)
    assert standing_up.authority is None
    assert (stood_down.authority.sequence, stood_down.authority.decision_maker) == (2, "ACC Jones")
    assert card.authorised_steps == (requested, stood_down)
    assert details[0].endswith(", authorised by entry 1") and details[2].endswith("-> stood_down, authorised by entry 2")


def test_without_an_entry_a_request_says_why_it_is_late_and_otherwise_nothing_is_saved(db, gold, incident_id,
                                                                                      agency_id):
    service_id = _service(db, gold)  # the first reading writes the starter catalogue
    before = every_row(db.engine)
    with pytest.raises(InputError, match="Asking for a service needs the decision-log entry that authorised it"), \
            unit_of_work(db.engine) as s:
        request_activation(s, gold, incident_id, service_id, agency_id)
    assert every_row(db.engine) == before
    activation = _request(db, gold, incident_id, agency_id, Authority(late_reason="  Agreed by phone at the scene "))
    with unit_of_work(db.engine) as s:
        (card,) = activations_board(s, gold, incident_id)
    assert (card.steps[0].authority.sequence, card.steps[0].authority.late_reason) == (None,
                                                                                       "Agreed by phone at the scene")
    before = every_row(db.engine)
    with pytest.raises(InputError, match="Standing a service down needs the decision-log entry"), \
            unit_of_work(db.engine) as s:
        move_activation(s, gold, activation, "stood_down", "done")
    assert every_row(db.engine) == before


def test_an_entry_from_another_incident_or_struck_through_or_unknown_is_refused_and_nothing_is_saved(
        db, gold, incident_id, agency_id, authority):
    with unit_of_work(db.engine) as s:
        other = declare_incident(s, gold, "Bridge collapse", is_exercise=False, summary="", reason="M/ETHANE").id
    elsewhere = Authority(_decide(db, gold, other, "Open a helpline there"))
    with unit_of_work(db.engine) as s:
        correct_decision(s, gold, incident_id, 1, Decision(now(), "Ch Supt Khan", "Stand up the hub", "because"),
                         "wrong service")
    activation = _request(db, gold, incident_id, agency_id, Authority(late_reason="logged after the SCG"), n=1)
    refusals = {
        "another incident's decision log": elsewhere,
        "Entry 1 is struck through by entry 2; name the correction instead": authority,
        "There is no decision-log entry 99999": Authority(99999),
        "not both": Authority(authority.decision_id, "and a reason"),
    }
    before = every_row(db.engine)
    for message, named in refusals.items():
        with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
            request_activation(s, gold, incident_id, _service(db, gold), agency_id, "", named)
        with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
            move_activation(s, gold, activation, "stood_down", "", named)
    with pytest.raises(InputError, match="needs no authorising decision of its own"), unit_of_work(db.engine) as s:
        move_activation(s, gold, activation, "standing_up", "", Authority(late_reason="because"))
    assert every_row(db.engine) == before


def test_the_authority_of_a_step_is_append_only_in_the_database(db, gold, incident_id, agency_id, authority):
    _request(db, gold, incident_id, agency_id, authority)
    for sql in ("UPDATE activation_authority SET decision_id = NULL", "DELETE FROM activation_authority"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(sql))


def test_an_administrator_or_gold_records_the_delegation_and_a_later_one_takes_over(db, gold, make_actor,
                                                                                    frozen_clock):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s:
        first = record_delegation(s, admin, DelegationTerms(**{**SCHEME.__dict__, "effective_from": date(2025, 4, 1),
                                                               "document_reference": "PCC 2025/003"}))
    with unit_of_work(db.engine) as s:
        second = record_delegation(s, gold, SCHEME)
    with unit_of_work(db.engine) as s:
        lines = delegations(s, admin)
        created = s.query(AuditEvent).filter_by(entity="delegation", action="create").count()
    assert [(line.delegation.id, line.in_force_today) for line in lines] == [(second.id, True), (first.id, False)]
    assert (second.recorded_by_name, second.effective_until, created) == (gold.display_name, None, 2)
    with pytest.raises(InputError, match="already recorded; nothing was added"), unit_of_work(db.engine) as s:
        record_delegation(s, gold, SCHEME)  # the same again: a double click
    with unit_of_work(db.engine) as s:  # the same day, corrected: it replaces the record before it
        corrected = record_delegation(s, admin, DelegationTerms(**{**SCHEME.__dict__, "delegated_to": "Deputy CC"}))
        assert [line.delegation.id for line in delegations(s, admin) if line.in_force_today] == [corrected.id]


@pytest.mark.parametrize("role", ["hub_manager", "caseworker", "agency_coordinator", "auditor", "scrutiny"])
def test_others_do_not_record_a_delegation(db, make_actor, role):
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        record_delegation(s, make_actor(role), SCHEME)
    assert every_row(db.engine)["delegation"] == []


def test_bad_delegations_are_refused_with_the_reason_and_nothing_is_saved(db, gold):
    before = every_row(db.engine)
    for terms, message in ((DelegationTerms(**{**SCHEME.__dict__, "document_reference": " "}), "document reference"),
                           (DelegationTerms(**{**SCHEME.__dict__, "effective_until": date(2026, 3, 1)}),
                            "ends .* before it takes effect")):
        with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
            record_delegation(s, gold, terms)
    assert every_row(db.engine) == before


def test_the_delegation_is_append_only_in_the_database(db, gold):
    with unit_of_work(db.engine) as s:
        record_delegation(s, gold, SCHEME)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE delegation SET delegated_to = 'someone else'"))


def test_scrutiny_reads_governance_across_incidents_and_each_opening_is_audited_once(
        db, gold, make_actor, incident_id, agency_id, authority, frozen_clock):
    with unit_of_work(db.engine) as s:
        record_delegation(s, gold, DelegationTerms(**{**SCHEME.__dict__, "effective_from": date(2026, 1, 1)}))
        exercise = declare_incident(s, gold, "Exercise Northern Light", is_exercise=True, summary="",
                                    reason="exercise").id
    _request(db, gold, incident_id, agency_id, authority)
    _request(db, gold, incident_id, agency_id, Authority(late_reason="agreed by phone"), n=1)
    scrutiny = make_actor("scrutiny")
    with unit_of_work(db.engine) as s:
        overview = governance_overview(s, scrutiny)
        record = incident_governance(s, scrutiny, incident_id)
    assert [(i.name, i.decisions, i.authorised_steps, i.steps_naming_a_decision) for i in overview.incidents] == [
        ("Exercise Northern Light", 0, 0, 0), ("Arena explosion", 1, 2, 1)]
    assert [line.delegation.document_reference for line in overview.delegations] == ["PCC decision notice 2026/014"]
    assert record.delegation.document_reference == "PCC decision notice 2026/014" and record.log_check.intact
    assert [line.entry.sequence for line in record.log] == [1]
    assert [(c.steps[0].authority.sequence, c.steps[0].authority.late_reason) for c in record.activations] == [
        (1, ""), (None, "agreed by phone")]
    frozen_clock.advance(timedelta(minutes=5))
    with unit_of_work(db.engine) as s:  # the page redrawn: the same opening
        governance_overview(s, scrutiny)
        incident_governance(s, scrutiny, incident_id)
        incident_governance(s, scrutiny, exercise)

    def views() -> list[tuple]:
        with unit_of_work(db.engine) as s:
            return [(e.role, e.entity, e.entity_id, e.incident_id) for e in
                    s.query(AuditEvent).filter_by(action="view").order_by(AuditEvent.id)]

    assert views() == [("scrutiny", "delegation", "all", None), ("scrutiny", "decision_log", str(incident_id),
                                                                 incident_id),
                       ("scrutiny", "decision_log", str(exercise), exercise)]
    frozen_clock.advance(timedelta(minutes=31))  # after the idle timeout: a new opening
    with unit_of_work(db.engine) as s:
        incident_governance(s, scrutiny, incident_id)
    assert len(views()) == 4


def test_the_auditor_reads_decision_logs_through_governance_too_audited(db, gold, make_actor, incident_id,
                                                                        authority):
    auditor = make_actor("auditor")
    with unit_of_work(db.engine) as s:
        assert [line.entry.decision for line in incident_governance(s, auditor, incident_id).log] == [
            "Stand up victim support"]
        assert s.query(AuditEvent).filter_by(action="view", role="auditor", entity="decision_log").count() == 1


def test_scrutiny_reads_nothing_unaudited_and_governance_is_refused_to_the_incident_roles(db, gold, make_actor,
                                                                                          incident_id):
    scrutiny = make_actor("scrutiny")
    for read in (lambda s: incidents_for_picker(s, scrutiny), lambda s: get_incident(s, scrutiny, incident_id),
                 lambda s: decision_log(s, scrutiny, incident_id), lambda s: inquiry_file(s, scrutiny, incident_id, []),
                 lambda s: activations_board(s, scrutiny, incident_id)):
        with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
            read(s)
    for role in ("gold", "hub_manager", "caseworker", "agency_coordinator", "admin", "advocate"):
        with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
            incident_governance(s, make_actor(role), incident_id)
    with pytest.raises(InputError, match="No incident 999"), unit_of_work(db.engine) as s:
        incident_governance(s, scrutiny, 999)


def test_a_tampered_log_shows_on_the_governance_record(db, gold, make_actor, incident_id, authority):
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "decision_log_entry", "UPDATE decision_log_entry SET rationale = 'edited'")
    with unit_of_work(db.engine) as s:
        check = incident_governance(s, make_actor("scrutiny"), incident_id).log_check
    assert not check.intact and check.broken == (1,)


def test_the_inquiry_file_carries_the_delegation_the_incident_stood_up_under(db, gold, incident_id):
    with unit_of_work(db.engine) as s:
        assert inquiry_file(s, gold, incident_id, [])["delegation"] == []
        record_delegation(s, gold, DelegationTerms(**{**SCHEME.__dict__, "effective_from": date(2026, 1, 1),
                                                      "effective_until": date(2026, 12, 31)}))
        record_delegation(s, gold, DelegationTerms(**{**SCHEME.__dict__, "effective_from": date(2027, 1, 1),
                                                      "document_reference": "PCC 2027/001"}))
    with unit_of_work(db.engine) as s:
        (row,) = inquiry_file(s, gold, incident_id, [])["delegation"]  # declared 23 November 2026
    assert (row["document_reference"], row["effective_from"], row["effective_until"], row["delegated_to"]) == (
        "PCC decision notice 2026/014", "2026-01-01", "2026-12-31", "Chief Constable")
