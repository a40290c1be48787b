"""Files Stand Up writes hold people's names, dates of birth and mobiles (the database, backups,
exports, reports) or the key to their health data: only the account running Stand Up may read
them, whatever the machine's umask says."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077  # new files 0600, new folders 0700


def private_file(path: Path) -> Path:
    """`path` exists and only its owner may read or write it (an older, wider file is narrowed)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)
    return path
