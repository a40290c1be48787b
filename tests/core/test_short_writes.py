"""core.db's two savings for short writes: a unit of work that is one statement (`one_statement`,
autocommit on PostgreSQL), and the pooled connection's liveness ping skipped for one given back
within the last second (a dead one is still replaced before anyone uses it)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text

import core.db
from core.clock import now
from core.db import make_engine, one_statement, reading
from core.public.model import RateLimitCount


def _row(key: str) -> dict:
    return dict(key_hash=key, window_number=1, hits=1, expires_at=now())


def _keys(engine) -> set[str]:
    with reading(engine) as session:
        return set(session.scalars(select(RateLimitCount.key_hash)))


def test_a_unit_of_one_statement_keeps_it_and_refuses_a_second(db):
    engine = db.engine
    with one_statement(engine) as statement:
        statement.execute(insert(RateLimitCount), [_row("a"), _row("b")])
        with pytest.raises(RuntimeError, match="second"):
            statement.execute(insert(RateLimitCount), [_row("c")])
    assert _keys(engine) == {"a", "b"}


def test_a_unit_of_one_statement_that_fails_keeps_nothing(db):
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        with one_statement(db.engine) as statement:
            statement.execute(insert(RateLimitCount), [_row("a"), _row("a")])
    assert _keys(db.engine) == set()


def test_on_postgresql_the_statement_commits_as_it_runs_and_on_sqlite_when_the_block_ends(db):
    """PostgreSQL: no BEGIN and COMMIT round trips, so another session sees the row before the block
    ends. SQLite: an ordinary transaction."""
    with one_statement(db.engine) as statement:
        statement.execute(insert(RateLimitCount), [_row("seen")])
        seen_meanwhile = _keys(db.engine)
    assert seen_meanwhile == ({"seen"} if db.kind == "postgresql" else set())
    assert _keys(db.engine) == {"seen"}


@pytest.fixture
def pg_engine(pg_url):
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _pings(engine, monkeypatch) -> list[int]:
    pinged: list[int] = []
    real = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda dbapi_connection: pinged.append(1) or real(dbapi_connection))
    return pinged


def test_a_connection_given_back_just_now_is_used_without_a_ping(pg_engine, monkeypatch):
    first = _backend_pid(pg_engine)  # a new connection: pinged once when first taken
    pinged = _pings(pg_engine, monkeypatch)
    assert _backend_pid(pg_engine) == first and _backend_pid(pg_engine) == first
    assert pinged == []


def test_a_connection_that_died_while_idle_is_replaced_before_use(pg_engine, pg_url, monkeypatch):
    """The server dropped it (a restart, an idle timeout): the ping finds out and the pool connects
    again, so nobody's unit of work fails."""
    dead = _backend_pid(pg_engine)
    admin = make_engine(pg_url)
    with admin.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dead}).scalar_one()
    admin.dispose()
    monkeypatch.setattr(core.db, "RECENTLY_USED_S", 0.0)  # as when it has been idle for over a second
    pinged = _pings(pg_engine, monkeypatch)
    assert _backend_pid(pg_engine) != dead
    assert len(pinged) >= 1
