"""Files Stand Up writes are for the account running it alone (0600), under the usual umask 022:
the database, the key, backups, exports and reports (standup.db and backups were 0644)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from core.private_files import private_file
from tests.infrastructure import ROOT


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_private_file_is_created_0600_and_a_wider_one_narrowed(tmp_path):
    old = os.umask(0o022)
    try:
        made = private_file(tmp_path / "new" / "standup.db")
        wide = tmp_path / "old.db"
        wide.write_text("x")
        assert _mode(wide) == 0o644
        private_file(wide)
    finally:
        os.umask(old)
    assert _mode(made) == 0o600 and _mode(made.parent) == 0o700 and _mode(wide) == 0o600
    assert wide.read_text() == "x"  # narrowed, not emptied


def test_every_file_the_commands_write_is_0600(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "STANDUP_DATA_DIR": str(data), "DATABASE_URL": ""}

    def standup(*args):
        done = subprocess.run([sys.executable, "-m", "standup.cli", *args], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=300, preexec_fn=lambda: os.umask(0o022))
        assert done.returncode == 0, done.stderr[-2000:]
        return done

    standup("demo")
    standup("backup", str(tmp_path / "backups" / "copy.db"))
    standup("sitrep", "--format", "md", "--output", str(tmp_path / "report.md"))
    standup("export", "incident", "1", "--output", str(tmp_path / "inquiry"), "--recipient", "Inquiry team")
    written = [data / "standup.db", data / "secret.key", data / "demo-logins.txt", tmp_path / "backups" / "copy.db",
               tmp_path / "report.md", *sorted((tmp_path / "inquiry").iterdir())]
    assert len(written) > 6 and {p.name: _mode(p) for p in written} == {p.name: 0o600 for p in written}
