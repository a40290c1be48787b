"""Where signed checkpoints are kept: an append-only file in the data folder, the database's table,
and (when STANDUP_CHECKPOINT_SYSLOG names one) a syslog server, ideally a machine the database's
administrators do not run. Each is a target: one `write` of the checkpoints signed in a cycle.
Another target (an object store with retention locks, say) is one more class here."""

from __future__ import annotations

import logging
import logging.handlers
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from core.audit.checkpoints import Checkpoint, as_line
from core.audit.model import AuditCheckpoint
from core.private_files import append_private
from core.settings import get_settings

log = logging.getLogger("standup.checkpoints")

SYSLOG_TAG = "standup-checkpoint: "


def checkpoint_file(data_dir: Path) -> Path:
    return data_dir / "audit-checkpoints.jsonl"


class CheckpointTarget(Protocol):
    def write(self, session: Session, checkpoints: Sequence[Checkpoint]) -> None:
        """Keep these checkpoints; raise when they could not be kept, so the cycle signs them again."""


class FileTarget:
    """JSON lines, appended and synced to disk, 0600: only the account running Stand Up reads it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, session: Session, checkpoints: Sequence[Checkpoint]) -> None:
        append_private(self.path, "".join(as_line(c) + "\n" for c in checkpoints))


class TableTarget:
    """The database's copy, in the caller's unit of work (written last: a failure before it leaves
    the heads unsigned in the table, so the next cycle signs them again)."""

    def write(self, session: Session, checkpoints: Sequence[Checkpoint]) -> None:
        session.add_all(AuditCheckpoint(chain=c.chain, length=c.length, head_hash=c.hash, at=c.signed_at,
                                        key_id=c.key, signature=c.signature) for c in checkpoints)
        session.flush()


class SyslogTarget:
    """Each checkpoint as one syslog message (facility authpriv). A syslog server that is down must
    not stop the file and the table being written: the failure is logged, and the next checkpoint
    of that chain carries its newer head."""

    def __init__(self, address: str) -> None:
        self.address = address

    def _handler(self) -> logging.handlers.SysLogHandler:
        facility = logging.handlers.SysLogHandler.LOG_AUTHPRIV
        if self.address.startswith("/"):
            return _RaisingSysLogHandler(address=self.address, facility=facility)
        parts = urlsplit(self.address)
        kind = socket.SOCK_DGRAM if parts.scheme == "udp" else socket.SOCK_STREAM
        return _RaisingSysLogHandler(address=(parts.hostname, parts.port), facility=facility, socktype=kind)

    def write(self, session: Session, checkpoints: Sequence[Checkpoint]) -> None:
        try:
            handler = self._handler()
            try:
                for checkpoint in checkpoints:
                    handler.emit(logging.LogRecord("standup.checkpoints", logging.INFO, __file__, 0,
                                                   SYSLOG_TAG + as_line(checkpoint), None, None))
            finally:
                handler.close()
        except OSError:
            log.exception("cannot reach the syslog server %s: checkpoints kept in the file and the database only",
                          self.address)


class _RaisingSysLogHandler(logging.handlers.SysLogHandler):
    """A message that cannot be sent raises, to be logged as this target's failure (the standard
    handler would only print it)."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802  logging's name
        raise  # noqa: PLE0704  called from emit's except clause: the error being handled


def configured_targets() -> list[CheckpointTarget]:
    """The file first, then syslog, then the table: a checkpoint is in the database only once it is outside it."""
    settings = get_settings()
    syslog = [SyslogTarget(settings.checkpoint_syslog)] if settings.checkpoint_syslog else []
    return [FileTarget(checkpoint_file(settings.data_dir)), *syslog, TableTarget()]
