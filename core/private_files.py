"""Files Stand Up writes hold people's names, dates of birth and mobiles (the database, backups,
exports, reports) or the key to their health data: only the account running Stand Up may read
them, whatever the machine's umask says."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PRIVATE_UMASK = 0o077  # new files 0600, new folders 0700


def private_file(path: Path) -> Path:
    """`path` exists and only its owner may read or write it (an older, wider file is narrowed)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)
    return path


def create_once(path: Path, content: str) -> bool:
    """Write a key file whole, 0600, unless it exists; True when this call made it. Written under a
    private name, then linked into place: the web server and the worker start together, and neither
    may write a second key or read a half-written one."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    draft = Path(name)
    with os.fdopen(fd, "w") as f:
        f.write(content)
    try:
        os.link(draft, path)
    except FileExistsError:
        return False  # another process made it first: use theirs
    finally:
        draft.unlink()
    return True


def append_private(path: Path, text: str) -> None:
    """Add `text` to the end of an owner-only file (made 0600 if new), on disk before returning. One
    write: lines appended by two processes at once never interleave."""
    private_file(path)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, text.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
