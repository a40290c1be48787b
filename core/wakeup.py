"""Wake the worker the moment there is work, instead of at its next sweep.

`wake(session, topic)` asks for it once the unit of work commits (a rollback wakes nobody); the
worker waits on a `WakeListener` and runs the sweeps that answer to the topics it hears. A wake-up
lost (no worker running, a restart, a full queue) costs only time: every sweep still runs on its
schedule, so the database stays the truth.

- PostgreSQL: `NOTIFY standup_wake, topic` in the writing transaction, which PostgreSQL delivers
  to every listening worker only when it commits; the listener is one psycopg 3 connection of its
  own (`LISTEN`).
- SQLite (the embedded default; the web server, the dashboard and the worker are separate
  processes on one machine): a datagram to a Unix socket beside the database file (in the data
  folder by default), sent after the commit. Chosen over a sub-second poll: it wakes at once, costs
  the database nothing while idle, and needs no query per kind of work; a datagram to a socket
  nobody listens on fails at once and is ignored.
"""

from __future__ import annotations

import hashlib
import logging
import os
import select
import socket
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

log = logging.getLogger("standup.wakeup")

CHANNEL = "standup_wake"
MAX_TOPIC = 64
_PENDING = "standup.wakeup.pending"  # Session.info key: (address, topics) to send after the commit
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


def wake(session: Session, topic: str) -> None:
    """Wake the worker for `topic` once this session's transaction commits."""
    if len(topic) > MAX_TOPIC or not topic.replace("_", "").replace(".", "").isalnum():
        raise ValueError(f"a wake-up topic is a short plain name, not {topic!r}")
    engine = session.get_bind()
    if engine.dialect.name == "postgresql":
        # Delivered at commit, in commit order, never for a transaction rolled back.
        session.execute(text("SELECT pg_notify(:channel, :topic)"), {"channel": CHANNEL, "topic": topic})
        return
    address = socket_address(engine)
    if address is not None:
        session.info.setdefault(_PENDING, (address, set()))[1].add(topic)


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


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        _send(*pending)


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
