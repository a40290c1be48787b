"""Gold's decision log: append-only through services and in the database, corrections with
reasons, late entries with reasons, and a hash chain that names the entry tampered with."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import incident.decision_service as decision_service
from core.auth.roles import PermissionDenied
from core.clock import now
from core.db import unit_of_work
from core.errors import InputError
from core.hashchain import GENESIS, link
from incident.decision_service import (
    Decision,
    correct_decision,
    decision_log,
    log_decision,
    verify_decision_log,
)
from incident.decision_timing import check_timing, is_late
from incident.lifecycle_service import declare_incident
from incident.model import DecisionLogEntry
from tests.tampering import bypassing_append_only


def _decision(text_: str = "Open the Victim and Witness Hub surge", **change) -> Decision:
    values = {"decided_at": now(), "decision_maker": "Ch Supt A. Khan", "decision": text_,
              "rationale": "Hundreds of people affected", "options_considered": "Helpline only: rejected, too slow"}
    return Decision(**{**values, **change})


def _log(db, actor, incident_id, n):
    with unit_of_work(db.engine) as s:
        return [log_decision(s, actor, incident_id, _decision(f"decision {k}")).sequence for k in range(n)]


def test_entries_are_numbered_and_record_both_times_and_who(db, gold, incident_id, frozen_clock):
    decided = now() - timedelta(minutes=5)
    frozen_clock.advance(timedelta(seconds=1))
    with unit_of_work(db.engine) as s:
        entry = log_decision(s, gold, incident_id, _decision(decided_at=decided))
    assert (entry.sequence, entry.decided_at, entry.recorded_at) == (1, decided, now())
    assert entry.recorded_by_id == gold.user_id and entry.decision_maker == "Ch Supt A. Khan"
    assert entry.options_considered == "Helpline only: rejected, too slow"
    assert entry.prev_hash == GENESIS and len(entry.hash) == 64
    assert _log(db, gold, incident_id, 2) == [2, 3]


@pytest.mark.parametrize(("minutes_ago", "late_reason", "ok"), [
    (15, "", True), (16, "", False), (16, "written up from the paper policy book", True), (240, " ", False),
])
def test_an_entry_more_than_15_minutes_late_needs_a_reason(db, gold, incident_id, minutes_ago, late_reason, ok):
    d = _decision(decided_at=now() - timedelta(minutes=minutes_ago), late_reason=late_reason)
    if ok:
        with unit_of_work(db.engine) as s:
            assert log_decision(s, gold, incident_id, d).late_reason == late_reason.strip()
    else:
        with pytest.raises(InputError, match="say why it is late"), unit_of_work(db.engine) as s:
            log_decision(s, gold, incident_id, d)
        with unit_of_work(db.engine) as s:
            assert decision_log(s, gold, incident_id) == []


def test_timing_rules_alone():
    at = now()
    assert not is_late(at - timedelta(minutes=15), at) and is_late(at - timedelta(minutes=15, seconds=1), at)
    check_timing(at + timedelta(minutes=1), at, "")  # a phone clock a minute fast
    with pytest.raises(InputError, match="in the future"):
        check_timing(at + timedelta(minutes=10), at, "")
    with pytest.raises(InputError, match="time zone"):
        check_timing(at.replace(tzinfo=None), at, "")


@pytest.mark.parametrize("missing", ["decision_maker", "decision", "rationale"])
def test_an_entry_needs_who_what_and_why(db, gold, incident_id, missing):
    with pytest.raises(InputError, match="needs the"), unit_of_work(db.engine) as s:
        log_decision(s, gold, incident_id, _decision(**{missing: "  "}))


def test_a_correction_strikes_the_old_entry_through_and_keeps_it(db, gold, incident_id):
    _log(db, gold, incident_id, 2)
    with unit_of_work(db.engine) as s:
        correction = correct_decision(s, gold, incident_id, 1, _decision("Open the hub at the Town Hall instead"),
                                      "Wrong venue written down")
    with unit_of_work(db.engine) as s:
        log = decision_log(s, gold, incident_id)
    assert [(line.entry.sequence, line.corrected_by, line.corrects) for line in log] == [
        (1, 3, None), (2, None, None), (3, None, 1)]
    assert log[0].entry.decision == "decision 0"  # the original words stay
    assert correction.correction_reason == "Wrong venue written down"


@pytest.mark.parametrize(("sequence", "reason", "message"), [
    (1, "   ", "needs a reason"), (9, "typo", "no entry 9"),
])
def test_bad_corrections_are_refused(db, gold, incident_id, sequence, reason, message):
    _log(db, gold, incident_id, 1)
    with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
        correct_decision(s, gold, incident_id, sequence, _decision("x"), reason)
    with unit_of_work(db.engine) as s:
        assert len(decision_log(s, gold, incident_id)) == 1


def test_a_struck_entry_cannot_be_struck_again(db, gold, incident_id):
    _log(db, gold, incident_id, 1)
    with unit_of_work(db.engine) as s:
        correct_decision(s, gold, incident_id, 1, _decision("fixed"), "typo")
    with pytest.raises(InputError, match="already struck through; correct the entry that replaced it"), \
            unit_of_work(db.engine) as s:
        correct_decision(s, gold, incident_id, 1, _decision("fixed again"), "typo")


def test_services_offer_no_edit_or_delete():
    names = [n for n in dir(decision_service) if callable(getattr(decision_service, n))]
    assert not [n for n in names if n.startswith(("edit", "update", "delete", "remove"))]


@pytest.mark.parametrize("statement", [
    "UPDATE decision_log_entry SET decision = 'we never said that'", "DELETE FROM decision_log_entry"])
def test_the_database_refuses_edits_and_deletes(db, gold, incident_id, statement):
    _log(db, gold, incident_id, 2)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    with unit_of_work(db.engine) as s:
        assert [e.decision for e in s.query(DecisionLogEntry).order_by(DecisionLogEntry.id)] == [
            "decision 0", "decision 1"]


def test_the_chain_verifies_and_names_an_entry_altered_in_the_database(db, gold, incident_id):
    _log(db, gold, incident_id, 4)
    with unit_of_work(db.engine) as s:
        assert verify_decision_log(s, gold, incident_id).intact
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "decision_log_entry", "UPDATE decision_log_entry SET rationale = 'because' "
                              "WHERE incident_id = :i AND sequence = 3", {"i": incident_id})
    with unit_of_work(db.engine) as s:
        assert verify_decision_log(s, gold, incident_id).broken == (3,)


def _four_entries_then_delete(db, gold, incident_id, first: int, last: int):
    _log(db, gold, incident_id, 4)
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "decision_log_entry",
                              "DELETE FROM decision_log_entry WHERE incident_id = :i AND sequence BETWEEN :first AND :last",
                              {"i": incident_id, "first": first, "last": last})
    with unit_of_work(db.engine) as s:
        return verify_decision_log(s, gold, incident_id)


def test_a_deleted_entry_breaks_the_chain_at_its_successor(db, gold, incident_id):
    found = _four_entries_then_delete(db, gold, incident_id, 2, 2)
    assert found.broken == (3,) and found.missing == (2,)


def test_deleting_the_newest_entries_is_reported(db, gold, incident_id):
    found = _four_entries_then_delete(db, gold, incident_id, 3, 4)
    assert found.missing == (3, 4) and found.broken == () and not found.intact
    assert "Entries 3, 4 are missing" in " ".join(found.findings("entry", "entries"))


def _shorten_the_head(db, conn, chain: str, length: int, head_hash: str) -> None:
    if db.kind == "sqlite":  # the test's own copy of the database
        conn.execute(text("DROP TRIGGER IF EXISTS chain_head_forward_only"))
    else:  # one database for the whole run: put the trigger back
        conn.execute(text("ALTER TABLE chain_head DISABLE TRIGGER chain_head_forward_only"))
    conn.execute(text("UPDATE chain_head SET length = :n, head_hash = :h WHERE chain = :c"),
                 {"n": length, "h": head_hash, "c": chain})
    if db.kind == "postgresql":
        conn.execute(text("ALTER TABLE chain_head ENABLE TRIGGER chain_head_forward_only"))


def test_a_truncation_that_also_rewinds_the_head_is_caught_by_the_audit_trail(db, gold, incident_id):
    _log(db, gold, incident_id, 4)
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "decision_log_entry",
                              "DELETE FROM decision_log_entry WHERE incident_id = :i AND sequence = 4",
                              {"i": incident_id})
        third = conn.execute(text("SELECT hash FROM decision_log_entry WHERE incident_id = :i AND sequence = 3"),
                             {"i": incident_id}).scalar_one()
        _shorten_the_head(db, conn, f"decision_log:{incident_id}", 3, third)
    with unit_of_work(db.engine) as s:
        found = verify_decision_log(s, gold, incident_id)
    assert found.missing == (4,) and not found.tail_differs


def test_a_log_rewritten_with_fresh_hashes_is_caught_by_the_audit_trail(db, gold, incident_id):
    """Recomputing every hash after an edit makes the chain itself consistent again; the hashes the
    audit trail recorded when each entry was written do not follow."""
    _log(db, gold, incident_id, 3)
    with unit_of_work(db.engine) as s:
        entries = s.query(DecisionLogEntry).filter_by(incident_id=incident_id).order_by(DecisionLogEntry.sequence).all()
        rows = [(e.sequence, decision_service._fields(e)) for e in entries]
    rows[1][1]["rationale"] = "a different reason"
    previous, fresh = GENESIS, {}
    for sequence, fields in rows:
        fresh[sequence] = (previous, link(previous, fields))
        previous = fresh[sequence][1]
    with db.engine.begin() as conn:
        for sequence, (prev_hash, hash_) in fresh.items():
            bypassing_append_only(db, conn, "decision_log_entry",
                                  "UPDATE decision_log_entry SET rationale = :r, prev_hash = :p, hash = :h "
                                  "WHERE incident_id = :i AND sequence = :n",
                                  {"r": rows[sequence - 1][1]["rationale"], "p": prev_hash, "h": hash_,
                                   "i": incident_id, "n": sequence})
        _shorten_the_head(db, conn, f"decision_log:{incident_id}", 3, previous)
    with unit_of_work(db.engine) as s:
        found = verify_decision_log(s, gold, incident_id)
    assert found.broken == () and found.missing == () and found.rewritten == (2, 3)


def test_each_incident_has_its_own_chain(db, gold, incident_id):
    with unit_of_work(db.engine) as s:
        other = declare_incident(s, gold, "Second incident", is_exercise=True, summary="", reason="exercise").id
    _log(db, gold, incident_id, 2)
    first_of_other = _log(db, gold, other, 1)
    with unit_of_work(db.engine) as s:
        entry = s.query(DecisionLogEntry).filter_by(incident_id=other).one()
        assert first_of_other == [1] and entry.prev_hash == GENESIS
        assert verify_decision_log(s, gold, incident_id).intact and verify_decision_log(s, gold, other).intact


def test_caseworkers_may_not_log_or_correct(db, make_actor, gold, incident_id):
    caseworker = make_actor("caseworker")
    _log(db, gold, incident_id, 1)
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        log_decision(s, caseworker, incident_id, _decision())
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        correct_decision(s, caseworker, incident_id, 1, _decision(), "mine now")


def test_concurrent_appends_queue_and_keep_one_unbroken_chain(db, gold, incident_id):
    from concurrent.futures import ThreadPoolExecutor

    def append(n):
        with unit_of_work(db.engine) as s:
            return log_decision(s, gold, incident_id, _decision(f"parallel {n}")).sequence

    with ThreadPoolExecutor(max_workers=6) as pool:
        sequences = sorted(pool.map(append, range(30)))
    assert sequences == list(range(1, 31))
    with unit_of_work(db.engine) as s:
        assert verify_decision_log(s, gold, incident_id).intact


def test_the_same_entry_sent_twice_is_refused(db, gold, incident_id):
    d = _decision()
    with unit_of_work(db.engine) as s:
        log_decision(s, gold, incident_id, d)
    with pytest.raises(InputError, match="already entry 1"), unit_of_work(db.engine) as s:
        log_decision(s, gold, incident_id, d)
    with unit_of_work(db.engine) as s:  # the same words at another time are a new decision
        assert log_decision(s, gold, incident_id, _decision(decided_at=d.decided_at - timedelta(minutes=1))).sequence == 2
