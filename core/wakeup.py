"""Wake the worker the moment there is work, instead of at its next sweep.

`wake(session, topic)` asks for it once the unit of work commits (a rollback wakes nobody); the
worker waits on a `WakeListener` and runs the sweeps that answer to the topics it hears. A wake-up
lost (no worker running, a restart, a full queue) costs only time: every sweep still runs on its
schedule, so the database stays the truth.

- PostgreSQL: `NOTIFY standup_wake, topic`, sent after the commit by one thread of the writing
  process on a connection of its own (`_Notifier`), for every topic committed since its last one;
  the listener is one psycopg 3 connection of its own (`LISTEN`). At most one NOTIFY per 20 ms
  per process: each is a commit of its own. Not inside the writing
  transaction: a transaction that notifies takes a lock on the database's whole notification
  queue from its commit until its commit record is on disk, so concurrent writers that notify
  commit one at a time, each waiting for its own flush (every inbound webhook did). After the
  commit, a burst of commits shares its flushes and costs one NOTIFY.
- SQLite (the embedded default; the web server, the dashboard and the worker are separate
  processes on one machine): a datagram to a Unix socket beside the database file (in the data
  folder by default), sent after the commit. Chosen over a sub-second poll: it wakes at once, costs
  the database nothing while idle, and needs no query per kind of work; a datagram to a socket
  nobody listens on fails at once and is ignored.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import select
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from core.db import OneStatement

log = logging.getLogger("standup.wakeup")

CHANNEL = "standup_wake"
MAX_TOPIC = 64
# A NOTIFY is a transaction of its own, flushed to disk like any commit: one process storing 1,500
# webhooks a second sent 400 to 700 of them a second, each a round trip and a flush competing with
# the webhooks' own; now about 45. The first wake-up goes at once; any in the next 20 ms share one
# (the worker's reply p95 is 1 s).
NOTIFY_AT_MOST_EVERY_S = 0.02
_PENDING = "standup.wakeup.pending"  # Session.info key: (how to send, where, topics) after the commit
_UNIX_PATH_MAX = 100  # sockaddr_un holds 104 (macOS) to 108 (Linux) bytes with its NUL


def socket_address(engine: Engine) -> str | None:
    """Where an SQLite database's worker listens: `<database file>.wake`, or a short name in the
    temporary folder derived from it when that path is too long for a Unix socket. None for a
    database in memory (nothing else could share it)."""
    database = engine.url.database
    relative_to = "" if database and os.path.isabs(database) else os.getcwd()
    return _socket_address(database, relative_to)


@lru_cache(maxsize=8)  # resolving the path costs a stat per folder, on every webhook that wakes the worker
def _socket_address(database: str | None, relative_to: str) -> str | None:
    if not database or database == ":memory:":
        return None
    path = str(Path(database).resolve()) + ".wake"
    if len(path.encode()) <= _UNIX_PATH_MAX:
        return path
    digest = hashlib.sha256(path.encode()).hexdigest()[:24]
    return str(Path(tempfile.gettempdir()) / f"standup-{digest}.wake")


def wake(unit: Session | OneStatement, topic: str) -> None:
    """Wake the worker for `topic` once `unit` (a session's transaction, or a core.db.one_statement)
    is committed."""
    if isinstance(unit, OneStatement):
        target = _target(unit.engine, topic)
        if target is not None:
            unit.when_kept(lambda: target[0](target[1], {topic}))
        return
    target = _target(unit.get_bind(), topic)
    if target is not None:
        unit.info.setdefault(_PENDING, (*target, set()))[2].add(topic)


def _target(engine: Engine, topic: str) -> tuple[Callable[[str, set[str]], None], str] | None:
    """How and where `engine`'s worker is woken; None where no worker could share the database."""
    if len(topic) > MAX_TOPIC or not topic.replace("_", "").replace(".", "").isalnum():
        raise ValueError(f"a wake-up topic is a short plain name, not {topic!r}")
    if engine.dialect.name == "postgresql":
        return _NOTIFIER.send, _conninfo(engine.url)
    address = socket_address(engine)
    return None if address is None else (_send, address)


@lru_cache(maxsize=8)  # one rendering per database, not one per wake-up
def _conninfo(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


_sender: socket.socket | None = None
_sender_lock = threading.Lock()


def _send(address: str, topics: set[str]) -> None:
    global _sender
    with _sender_lock:
        if _sender is None:
            _sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            _sender.setblocking(False)
        for topic in topics:
            try:
                _sender.sendto(topic.encode(), address)
            except OSError:  # no worker listening, or its queue is full: the sweeps catch up
                return


class _Notifier:
    """PostgreSQL's wake-ups of this process, sent after their commits by a thread of its own, which
    NOTIFYs once for all the topics committed since it last did (see the module's docstring)."""

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # a forked server starts its own thread

    def _reset(self) -> None:
        self._ready = threading.Condition()
        self._pending: dict[str, set[str]] = {}  # conninfo -> topics committed, not yet notified
        self._thread: threading.Thread | None = None
        self._sending = False

    def send(self, conninfo: str, topics: set[str]) -> None:
        with self._ready:
            self._pending.setdefault(conninfo, set()).update(topics)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="standup-wake-notify", daemon=True)
                self._thread.start()
            self._ready.notify()

    def _run(self) -> None:
        connections: dict[str, object] = {}
        while True:
            with self._ready:
                self._sending = False
                self._ready.notify_all()
                while not self._pending:
                    self._ready.wait()
                batch, self._pending, self._sending = self._pending, {}, True
            for conninfo, topics in batch.items():
                self._notify(connections, conninfo, topics)
            time.sleep(NOTIFY_AT_MOST_EVERY_S)  # what commits meanwhile waits, and shares the next

    def flush(self, timeout: float = 2.0) -> None:
        """Wait until what was committed has been notified (a command that exits right after its
        write still wakes the worker)."""
        with self._ready:
            self._ready.wait_for(lambda: not (self._pending or self._sending), timeout)

    @staticmethod
    def _notify(connections: dict, conninfo: str, topics: set[str]) -> None:
        import psycopg

        for attempt in (1, 2):  # once more on a fresh connection: the database may have restarted
            try:
                if conninfo not in connections:
                    connections[conninfo] = psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
                for topic in sorted(topics):
                    connections[conninfo].execute("SELECT pg_notify(%s, %s)", (CHANNEL, topic))
                return
            except Exception:  # the sweeps catch up with anything not woken for
                stale = connections.pop(conninfo, None)
                if stale is not None:
                    stale.close()
                if attempt == 2:
                    log.warning("could not wake the worker (NOTIFY failed); its sweeps will catch up", exc_info=True)


_NOTIFIER = _Notifier()
atexit.register(_NOTIFIER.flush)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        send, address, topics = pending
        send(address, topics)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop(_PENDING, None)


class WakeListener:
    """The worker's side: `wait(timeout)` returns the topics asked for since the last call (an
    empty set when the timeout passed first)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection = None
        self._socket: socket.socket | None = None
        if engine.dialect.name == "postgresql":
            self._listen()
        else:
            address = socket_address(engine)
            if address is not None:
                self._bind(address)

    def _listen(self) -> None:
        import psycopg

        conninfo = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._connection = psycopg.connect(conninfo, autocommit=True)
        self._connection.execute(f"LISTEN {CHANNEL}")

    def _bind(self, address: str) -> None:
        # One listener per database: a newer worker takes the address over (its predecessor, if
        # still running, carries on with its sweeps alone).
        try:
            os.unlink(address)
        except FileNotFoundError:
            pass
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(address)
        os.chmod(address, 0o600)
        self.address, self._inode = address, os.stat(address).st_ino

    def wait(self, timeout: float) -> set[str]:
        if self._connection is not None:
            return self._wait_for_notifications(timeout)
        if self._socket is None:
            threading.Event().wait(timeout)  # nothing can wake us: the sweeps alone
            return set()
        ready, _, _ = select.select([self._socket], [], [], timeout)
        topics: set[str] = set()
        while ready:
            try:
                topics.add(self._socket.recv(MAX_TOPIC, socket.MSG_DONTWAIT).decode(errors="replace"))
            except BlockingIOError:
                break
        return topics

    def _wait_for_notifications(self, timeout: float) -> set[str]:
        try:
            topics = {n.payload for n in self._connection.notifies(timeout=timeout, stop_after=1)}
            if topics:  # and whatever else arrived with it
                topics |= {n.payload for n in self._connection.notifies(timeout=0.001)}
            return topics
        except Exception:  # the connection dropped: listen again, and run everything once meanwhile
            log.warning("lost the LISTEN connection; listening again", exc_info=True)
            self._close_connection()
            threading.Event().wait(1)
            self._listen()
            return {"*"}

    def _close_connection(self) -> None:
        try:
            self._connection.close()
        except Exception:  # already gone
            pass

    def close(self) -> None:
        if self._connection is not None:
            self._close_connection()
        if self._socket is not None:
            self._socket.close()
            try:
                if os.stat(self.address).st_ino == self._inode:  # not a newer worker's
                    os.unlink(self.address)
            except FileNotFoundError:
                pass
