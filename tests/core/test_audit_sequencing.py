"""Audit events are recorded with no lock and sequenced into the hash chain afterwards, in batches
(core.audit.sequencing): writers in every process commit side by side, every committed event gets
exactly one position, and the database refuses every change to an event but the one that sequences it."""

import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.audit.chain_head import AUDIT_CHAIN, head_of
from core.audit.model import AuditEvent
from core.audit.sequencing import catch_up, chained_fields, sequence_pending
from core.audit.service import record, verify_chain
from core.auth.roles import Actor
from core.db import unit_of_work
from core.hashchain import GENESIS, link

AUDITOR = Actor.system("test-auditor")


def _record(engine, n: int, who: str = "writer") -> None:
    with unit_of_work(engine) as s:
        record(s, Actor.system(who), "view", "person", n, reason="welfare check")


def _positions(engine) -> dict[int, int | None]:
    """Event id -> its position in the chain (None: not yet sequenced)."""
    with unit_of_work(engine) as s:
        return dict(s.execute(select(AuditEvent.id, AuditEvent.seq)).all())


def _in_chain_order(engine) -> list[int]:
    with unit_of_work(engine) as s:
        return list(s.scalars(select(AuditEvent.id).where(AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq)))


def _assert_whole(engine, events: int) -> None:
    """Every event has exactly one position, 1 to `events`; the chain verifies and its head counts them."""
    positions = _positions(engine)
    assert len(positions) == events
    assert sorted(positions.values()) == list(range(1, events + 1))
    with unit_of_work(engine) as s:
        found = verify_chain(s, AUDITOR)
        head = head_of(s, AUDIT_CHAIN)
    assert found.intact and found.pending == 0 and found.walked.count == events
    assert head is not None and head.length == events


def _run_at_once(*targets) -> None:
    errors: list[BaseException] = []

    def guarded(target):
        def run():
            try:
                target()
            except BaseException as exc:
                errors.append(exc)
        return run

    threads = [threading.Thread(target=guarded(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and not any(t.is_alive() for t in threads)


def test_recording_leaves_the_event_unsequenced_and_the_sequencer_links_it_as_record_did(db):
    _record(db.engine, 1)
    with unit_of_work(db.engine) as s:
        event = s.scalars(select(AuditEvent)).one()
        assert (event.seq, event.prev_hash, event.hash) == (None, None, None)
        assert head_of(s, AUDIT_CHAIN) is None
    assert catch_up(db.engine) == 1
    with unit_of_work(db.engine) as s:
        event = s.scalars(select(AuditEvent)).one()
        assert (event.seq, event.prev_hash) == (1, GENESIS)
        assert event.hash == link(GENESIS, chained_fields(event))  # over the same fields as before sequencing
        assert head_of(s, AUDIT_CHAIN).hash == event.hash
    assert catch_up(db.engine) == 0  # nothing waiting: nothing done


def test_four_writers_at_once_then_the_sequencer_give_each_event_one_position(db):
    def writer(first: int):
        return lambda: [_record(db.engine, n) for n in range(first, first + 40)]

    _run_at_once(*(writer(w * 100) for w in range(4)))
    assert set(_positions(db.engine).values()) == {None}
    assert catch_up(db.engine) == 160
    _assert_whole(db.engine, 160)


def test_writers_holding_their_units_of_work_open_never_wait_on_each_other(db):
    if db.kind == "sqlite":
        pytest.skip("SQLite has one writer at a time: its write lock, not the audit chain, orders writers")
    # Each writer records, then waits inside its open unit of work for the other three to have
    # recorded too: were recording to take a lock held to commit, the first would hold it and the
    # others could never reach the barrier.
    together = threading.Barrier(4, timeout=15)

    def writer(number: int):
        def run():
            with unit_of_work(db.engine) as s:
                for n in range(5):
                    record(s, Actor.system(f"writer{number}"), "view", "person", n)
                together.wait()
        return run

    _run_at_once(*(writer(w) for w in range(4)))
    catch_up(db.engine)
    _assert_whole(db.engine, 20)


def test_two_sequencers_at_once_never_give_a_position_twice(db):
    for n in range(120):
        _record(db.engine, n)
    start = threading.Barrier(2, timeout=15)

    def sequencer():
        start.wait()
        while True:
            with unit_of_work(db.engine) as s:
                if sequence_pending(s, limit=7) == 0:
                    return

    _run_at_once(sequencer, sequencer)
    _assert_whole(db.engine, 120)


def test_an_event_committed_late_with_a_lower_id_is_sequenced_next(db):
    if db.kind == "sqlite":
        pytest.skip("SQLite has one writer at a time: ids are handed out in the order units of work commit")
    _record(db.engine, 1)
    catch_up(db.engine)
    with Session(bind=db.engine) as late:
        late_id = record(late, AUDITOR, "view", "person", 2).id  # flushed, not committed
        _record(db.engine, 3)  # a higher id, committed first
        assert catch_up(db.engine) == 1
        late.commit()
    assert catch_up(db.engine) == 1
    order = _in_chain_order(db.engine)
    assert order[-1] == late_id and order[-2] > late_id
    _assert_whole(db.engine, 3)


def test_the_check_walks_only_sequenced_events_and_counts_those_still_waiting(db, monkeypatch):
    import core.audit.service as audit_service

    _record(db.engine, 1)
    catch_up(db.engine)
    for n in range(2, 5):
        _record(db.engine, n)
    monkeypatch.setattr(audit_service, "sequence_committed", lambda session: 0)  # as if written meanwhile
    with unit_of_work(db.engine) as s:
        found = verify_chain(s, AUDITOR)
    assert found.intact and found.walked.count == 1 and found.pending == 3
    monkeypatch.undo()
    with unit_of_work(db.engine) as s:  # the check itself sequences every committed event first
        found = verify_chain(s, AUDITOR)
    assert found.intact and found.walked.count == 4 and found.pending == 0


def _one_sequenced_one_waiting(db) -> tuple[int, int]:
    _record(db.engine, 1)
    catch_up(db.engine)
    _record(db.engine, 2)
    with db.engine.connect() as conn:
        sequenced = conn.execute(text("SELECT id FROM audit_event WHERE seq IS NOT NULL")).scalar_one()
        waiting = conn.execute(text("SELECT id FROM audit_event WHERE seq IS NULL")).scalar_one()
    return sequenced, waiting


@pytest.mark.parametrize("statement", [
    # a sequenced event edited, its hash replaced, or sequenced again
    "UPDATE audit_event SET reason = 'nothing to see' WHERE id = :sequenced",
    "UPDATE audit_event SET hash = :h WHERE id = :sequenced",
    "UPDATE audit_event SET seq = 99, prev_hash = :h, hash = :h WHERE id = :sequenced",
    # a waiting event changed, removed, or sequenced with another column changed or a hash left out
    "UPDATE audit_event SET reason = 'nothing to see' WHERE id = :waiting",
    "DELETE FROM audit_event WHERE id = :waiting",
    "UPDATE audit_event SET seq = 2, prev_hash = :h, hash = :h, detail = 'edited' WHERE id = :waiting",
    "UPDATE audit_event SET seq = 2, prev_hash = :h WHERE id = :waiting",
    "UPDATE audit_event SET seq = 2, hash = :h WHERE id = :waiting",
])
def test_the_database_refuses_every_change_but_sequencing_a_waiting_event_once(db, statement):
    sequenced, waiting = _one_sequenced_one_waiting(db)
    params = {"sequenced": sequenced, "waiting": waiting, "h": "f" * 64}
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement), params)
    with db.engine.connect() as conn:  # nothing changed
        rows = conn.execute(text("SELECT id, seq, reason, detail FROM audit_event ORDER BY id")).all()
    assert rows == [(sequenced, 1, "welfare check", ""), (waiting, None, "welfare check", "")]


def test_the_one_change_allowed_is_sequencing_a_waiting_event_with_nothing_else_changed(db):
    """The control for the refusals above: the statement the sequencer runs goes through."""
    _, waiting = _one_sequenced_one_waiting(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET seq = 2, prev_hash = :h, hash = :h WHERE id = :i"),
                     {"h": "f" * 64, "i": waiting})
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT seq FROM audit_event WHERE id = :i"), {"i": waiting}).scalar_one() == 2


def test_going_back_before_core_0010_waits_until_every_event_is_sequenced(db):
    from alembic import command
    from sqlalchemy import inspect

    from core.migrate import alembic_config

    config = alembic_config(db.engine)
    _record(db.engine, 1)
    with pytest.raises(RuntimeError, match="1 audit event not yet sequenced"):
        command.downgrade(config, "core_0009")
    catch_up(db.engine)
    command.downgrade(config, "core_0009")
    with db.engine.connect() as conn:
        columns = {c["name"]: c for c in inspect(conn).get_columns("audit_event")}
        assert "seq" not in columns and not columns["hash"]["nullable"] and not columns["prev_hash"]["nullable"]
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("UPDATE audit_event SET reason = 'x'"))
    command.upgrade(config, "heads")  # as the rest of the suite expects, the trail numbered as it was
    assert _positions(db.engine) == {1: 1}
    with unit_of_work(db.engine) as s:
        assert verify_chain(s, AUDITOR).intact


def test_going_back_before_core_0010_is_refused_once_the_chain_is_not_in_id_order(db):
    from alembic import command

    from core.migrate import alembic_config

    if db.kind == "sqlite":
        pytest.skip("SQLite has one writer at a time: ids are handed out in the order units of work commit")
    with Session(bind=db.engine) as late:
        record(late, AUDITOR, "view", "person", 1)
        _record(db.engine, 2)  # a higher id, committed and sequenced first
        catch_up(db.engine)
        late.commit()
    catch_up(db.engine)
    with pytest.raises(RuntimeError, match="1 event committed after one with a higher id"):
        command.downgrade(config := alembic_config(db.engine), "core_0009")
    assert _positions(db.engine) == {1: 2, 2: 1}  # refused: nothing changed
    command.upgrade(config, "heads")
