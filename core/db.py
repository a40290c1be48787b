"""Engine, session per unit of work, and the declarative Base every domain's model uses."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Executable,
    MetaData,
    Result,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from core.clock import as_utc
from core.private_files import private_file
from core.settings import get_settings

T = TypeVar("T")

# Stable constraint names, so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        value = as_utc(value)
        # SQLite stores text: keep it naive-UTC so string comparison orders correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else as_utc(value)


SQLITE_BUSY_TIMEOUT_S = 30


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class DatabaseUnreachable(RuntimeError):
    """The database named by DATABASE_URL cannot be reached; the message names the host."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's "begin" event open transactions itself (see _sqlite_begin_immediate).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    # In WAL mode NORMAL syncs the log at each checkpoint, not at each commit: a crash of the
    # program loses nothing and the file cannot be corrupted; only a power cut or OS crash can
    # lose the last few commits. Production runs on PostgreSQL; FULL would add an fsync to
    # every webhook, call-out answer and audit event on the embedded default.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class _WriterTurn:
    """Whose turn it is to hold one SQLite database's write lock, among this process's threads.

    Every unit of work begins with BEGIN IMMEDIATE (see _sqlite_begin_immediate). Threads that
    find the lock taken would wait in SQLite's busy handler, which sleeps 1 to 100 ms between
    tries: under load the database then sits idle while every waiter sleeps (the inbound
    webhook lost two thirds of its throughput to that). Here they queue on a lock that is
    handed over the moment the holder commits or rolls back. Other processes still queue on
    busy_timeout."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: object | None = None

    def take(self, dbapi_connection: object) -> None:
        if self._holder is dbapi_connection:
            return  # its turn already (a second transaction on one checked-out connection)
        if not self._lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_S):
            raise sqlite3.OperationalError("database is locked (waited for another thread of this process)")
        self._holder = dbapi_connection

    def give_back(self, dbapi_connection: object) -> None:
        if self._holder is dbapi_connection:
            self._holder = None
            self._lock.release()


def _raw(connection: object) -> object:
    """The sqlite3 connection under SQLAlchemy's pool proxy (events see either)."""
    return getattr(connection, "dbapi_connection", connection)


def _take_turns(engine: Engine) -> None:
    turn = _WriterTurn()
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def begin_immediate(conn) -> None:
        # Every unit of work may append to a hash chain (audit, decision log), which reads the
        # last link then writes the next: take SQLite's write lock up front so two writers queue
        # instead of one failing with a stale snapshot.
        if conn.get_execution_options().get(_READING):
            conn.exec_driver_sql("BEGIN")  # a snapshot to read (WAL): no lock, nobody waits for it
            return
        raw = _raw(conn.connection)
        turn.take(raw)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            turn.give_back(raw)
            raise

    def do_commit(dbapi_connection) -> None:
        try:
            commit(dbapi_connection)
        finally:
            turn.give_back(_raw(dbapi_connection))

    def do_rollback(dbapi_connection) -> None:
        try:
            rollback(dbapi_connection)
        finally:
            turn.give_back(_raw(dbapi_connection))

    dialect.do_commit, dialect.do_rollback = do_commit, do_rollback  # this engine's dialect only
    event.listen(engine, "begin", begin_immediate)
    # However a connection leaves (returned, closed, invalidated), it gives its turn back.
    for name in ("reset", "close", "invalidate", "soft_invalidate", "close_detached"):
        event.listen(engine.pool, name, lambda dbapi_connection, *_: turn.give_back(dbapi_connection))


# Connections a pool keeps open, and as many more it opens for a moment when they are all in use. A
# request's thread work is bounded by the first (core.request_threads), so under load requests wait
# their turn rather than open and close connections past the pool; the writers and the worker's jobs
# have the rest.
POOL_KEPT, POOL_OVERFLOW = 10, 10


def make_engine(url: str) -> Engine:
    """One engine per database URL: SQLite with foreign keys, WAL and a busy timeout; PostgreSQL via psycopg 3."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        pooled = {}  # an in-memory database is one connection's
        if parsed.database and parsed.database != ":memory:":
            private_file(Path(parsed.database))  # SQLite gives its -wal and -shm files the same mode
            pooled = {"pool_size": POOL_KEPT, "max_overflow": POOL_OVERFLOW}
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
                               **pooled)
        event.listen(engine, "connect", _sqlite_pragmas)
        _take_turns(engine)
        return engine
    engine = create_engine(url, pool_size=POOL_KEPT, max_overflow=POOL_OVERFLOW, connect_args={"connect_timeout": 5})
    _ping_when_idle(engine)
    return engine


RECENTLY_USED_S = 1.0  # a pooled connection given back less than this long ago is taken as alive
_GIVEN_BACK = "standup_given_back"


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pool_pre_ping (a round trip to check a pooled connection before each use, so a
    server restarted or a connection dropped while idle costs no request), but not for a connection
    given back within the last second. Under load connections go round in milliseconds, and the ping
    was a round trip in every short unit of work: 0.3 ms of the webhook's 1.7 ms group commit. A
    server gone within that second fails one unit of work, which makes SQLAlchemy renew the pool."""
    @event.listens_for(engine.pool, "checkin")
    def given_back(_dbapi_connection, record) -> None:
        if record is not None:
            record.info[_GIVEN_BACK] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def taken(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get(_GIVEN_BACK, -RECENTLY_USED_S) < RECENTLY_USED_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:  # the pool replaces it, up to three times
            raise DisconnectionError(f"a pooled connection was dead: {error}") from error


_known_urls: set[str] = set()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    _known_urls.add(url)
    return make_engine(url)


def get_engine() -> Engine:
    return engine_for(get_settings().database_url)


def describe_target(url: str) -> str:
    """Where the database is, without the password: for messages to operators."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {parsed.database}"
    return f"PostgreSQL at {parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


def check_reachable(engine: Engine) -> None:
    """Raise DatabaseUnreachable naming the host when a trivial query cannot run."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means the same thing to the operator
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnreachable(f"cannot reach {describe_target(str(engine.url))}: {reason}") from exc


@lru_cache(maxsize=8)
def _session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """A session for one use case: committed when the block ends, rolled back on any error."""
    session = _session_factory(engine or get_engine())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


class OneStatement:
    """A unit of work that is a single statement (`one_statement`): it runs one and refuses a second,
    which would not share the first's commit; `when_kept(callback)` runs once it is kept."""

    def __init__(self, connection: Connection, engine: Engine) -> None:
        self._connection, self._ran, self._kept = connection, False, []
        self.engine, self.dialect = engine, connection.dialect

    def execute(self, statement: Executable, parameters=None) -> Result:
        if self._ran:
            raise RuntimeError("a unit of work of one statement was given a second")
        self._ran = True
        return self._connection.execute(statement, parameters)

    def when_kept(self, callback: Callable[[], None]) -> None:
        self._kept.append(callback)


@contextmanager
def one_statement(engine: Engine | None = None) -> Iterator[OneStatement]:
    """A unit of work that is one statement, kept when the block ends. On PostgreSQL the statement
    commits as it runs (autocommit), so nothing the block does after it can undo it: a transaction's
    BEGIN and COMMIT are two round trips more and the ORM session adds its own work (seven webhooks
    stored in 1.3 ms that way, 0.8 ms this way, on a quiet machine). On SQLite an ordinary
    transaction around it."""
    engine = engine or get_engine()
    connecting = _autocommitting(engine).connect() if engine.dialect.name == "postgresql" else engine.begin()
    with connecting as connection:
        unit = OneStatement(connection, engine)
        yield unit
    for callback in unit._kept:
        callback()


@lru_cache(maxsize=8)
def _autocommitting(engine: Engine) -> Engine:
    return engine.execution_options(isolation_level="AUTOCOMMIT")


_READING = "standup_reading"


@lru_cache(maxsize=8)
def _reading_engine(engine: Engine) -> Engine:
    return engine.execution_options(**{_READING: True})


@contextmanager
def reading(engine: Engine | None = None) -> Iterator[Session]:
    """A session that only reads: one consistent snapshot, rolled back at the end (nothing it
    might change is kept). On SQLite it takes no write lock, so a page that only reads keeps
    answering while a long unit of work (a round of invitations queued) holds the lock, and
    readers in one process do not queue behind each other."""
    session = _session_factory(_reading_engine(engine or get_engine()))()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def refresh_statistics(engine: Engine) -> None:
    """Give the query planner current row counts (ANALYZE). Without them SQLite takes an index
    on incident_id as selective and walks it row by row for every figure of an incident, three
    times slower than reading the table when, as is usual, one incident holds most rows.
    PostgreSQL's autovacuum does this by itself some time after a change; SQLite never does,
    so the worker calls this hourly on SQLite, and bulk loads (the demo) call it at once."""
    with engine.begin() as conn:  # about a second for the large demo's 300 MB on SQLite
        conn.exec_driver_sql("ANALYZE")


BULK_CHUNK = 5000
IN_CHUNK = 500  # values per IN (...) list: both databases cap the parameters of one statement


def as_arrays(rows: Sequence[dict], names: Sequence[str]) -> dict[str, list]:
    """A batch's rows as one list per column, for a PostgreSQL statement that takes them as arrays
    (`unnest`, `= ANY`): its text is then the same for a batch of any size, so it stays prepared."""
    return {name: [row[name] for row in rows] for name in names}


def in_chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """`items` a slice at a time, for statements that name them in an IN list or write them in batches."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def bulk_insert(session: Session, model, rows: list[dict]) -> list[int]:
    """Insert `rows` into `model`'s table in batches; their new ids, in the order of `rows`.

    For seeding, imports and benchmarks at scale. RETURNING with the order kept makes SQLAlchemy
    send SQLite one statement per row (it cannot tell which id went with which row), four times
    slower; SQLite's write lock is held for the whole unit of work (BEGIN IMMEDIATE), so the new
    ids are simply those above the largest before, read back in order. On PostgreSQL other sessions
    may take ids from the same sequence meanwhile, so the ids are drawn from it first (nextval is
    never handed out twice) and the rows inserted with them: a plain executemany, which psycopg
    pipelines, three times faster than one long INSERT ... RETURNING per thousand rows."""
    table = model.__table__
    if session.get_bind().dialect.name != "sqlite":
        sequence = func.pg_get_serial_sequence(table.name, table.c.id.name)
        ids = list(session.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, len(rows)))))
        for start in range(0, len(rows), BULK_CHUNK):
            session.execute(insert(table), [{**row, "id": i} for row, i in
                                            zip(rows[start:start + BULK_CHUNK], ids[start:start + BULK_CHUNK],
                                                strict=True)])
        return ids
    ids: list[int] = []
    for start in range(0, len(rows), BULK_CHUNK):
        chunk = rows[start:start + BULK_CHUNK]
        before = session.scalar(select(func.max(table.c.id))) or 0
        session.execute(insert(table), chunk)
        new = list(session.scalars(select(table.c.id).where(table.c.id > before).order_by(table.c.id)))
        if len(new) != len(chunk):
            raise RuntimeError(f"{table.name}: {len(chunk)} rows inserted but {len(new)} new ids found")
        ids += new
    return ids


def forget_engines() -> None:
    """Close every cached engine (tests switch databases between cases)."""
    for url in list(_known_urls):
        engine_for(url).dispose()
    _known_urls.clear()
    engine_for.cache_clear()
    _session_factory.cache_clear()
    _reading_engine.cache_clear()
