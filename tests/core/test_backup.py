"""Backup and restore round-trip on both databases, and refusal of what is not a backup."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from core.audit.model import AuditEvent
from core.audit.service import record, verify_chain
from core.auth.roles import Actor
from core.backup import backup, restore
from core.db import forget_engines, unit_of_work
from core.errors import InputError
from core.settings import reset_settings
from incident.lifecycle_service import open_incident
from incident.model import Incident

SYSTEM = Actor.system("test")
ROOT = Path(__file__).parents[2]


def _names(db):
    with unit_of_work(db.engine) as s:
        return sorted(s.scalars(select(Incident.name)))


def test_backup_then_restore_round_trips(db, tmp_path):
    with unit_of_work(db.engine) as s:
        open_incident(s, SYSTEM, "Before the backup", is_exercise=True)
        record(s, SYSTEM, "view", "person", 1, reason="safeguarding")
    size = backup(db.engine, tmp_path / "copy.bak")
    assert size > 0
    with unit_of_work(db.engine) as s:
        open_incident(s, SYSTEM, "After the backup", is_exercise=True)
    assert _names(db) == ["After the backup", "Before the backup"]

    restore(db.engine, tmp_path / "copy.bak")
    forget_engines()
    assert _names(db) == ["Before the backup"]
    with unit_of_work(db.engine) as s:
        assert [e.reason for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "view"))] == ["safeguarding"]
        assert verify_chain(s, SYSTEM).intact  # the audit chain survives the round trip


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(db, tmp_path):
    with unit_of_work(db.engine) as s:
        open_incident(s, SYSTEM, "Kept", is_exercise=True)
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"name,mobile\nA,07400123456\n")
    with pytest.raises(InputError, match="not a"):
        restore(db.engine, junk)
    with pytest.raises(InputError, match="does not exist"):
        restore(db.engine, tmp_path / "missing.bak")
    assert _names(db) == ["Kept"]


# --- `standup backup FILE` / `standup restore FILE` through the command line (SQLite) -----------

def _standup(*args, env):
    return subprocess.run([sys.executable, "-m", "standup.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120, cwd=ROOT)


@pytest.fixture
def sqlite_cli(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'data' / 'standup.db'}"
    env = {"STANDUP_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": url}
    monkeypatch.setenv("DATABASE_URL", url)
    reset_settings()
    assert _standup("migrate", env=env).returncode == 0
    yield env
    forget_engines()


def _incident_names() -> list[str]:
    with unit_of_work() as s:
        return sorted(s.scalars(select(Incident.name)))


def test_the_backup_and_restore_commands_round_trip(sqlite_cli, tmp_path):
    with unit_of_work() as s:
        open_incident(s, SYSTEM, "Before the backup", is_exercise=True)
    copy = tmp_path / "copies" / "standup.bak"
    made = _standup("backup", str(copy), env=sqlite_cli)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"backed up to {copy} (") and copy.read_bytes().startswith(b"SQLite format 3")
    with unit_of_work() as s:
        open_incident(s, SYSTEM, "After the backup", is_exercise=True)

    back = _standup("restore", str(copy), env=sqlite_cli)
    assert back.returncode == 0, back.stderr
    assert back.stdout.strip() == f"restored from {copy}"
    forget_engines()
    assert _incident_names() == ["Before the backup"]
    with unit_of_work() as s:
        assert verify_chain(s, SYSTEM).intact


def test_the_restore_command_refuses_what_is_not_a_backup_with_exit_1_and_changes_nothing(sqlite_cli, tmp_path):
    with unit_of_work() as s:
        open_incident(s, SYSTEM, "Kept", is_exercise=True)
    junk = tmp_path / "roster.csv"
    junk.write_text("name,mobile\nA,07400123456\n")
    refused = _standup("restore", str(junk), env=sqlite_cli)
    assert (refused.returncode, refused.stderr.strip()) == (1, f"standup: {junk} is not a SQLite backup of Stand Up")
    missing = _standup("restore", str(tmp_path / "nowhere.bak"), env=sqlite_cli)
    assert (missing.returncode, missing.stderr.strip()) == (1, f"standup: {tmp_path / 'nowhere.bak'} does not exist")
    assert _incident_names() == ["Kept"]


def test_the_backup_command_says_why_it_cannot_write_with_exit_1(sqlite_cli, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    done = _standup("backup", str(blocked / "standup.bak"), env=sqlite_cli)
    assert done.returncode == 1
    assert done.stderr.strip().startswith(f"standup: cannot write the backup to {blocked / 'standup.bak'}: ")
    assert len(done.stderr.strip().splitlines()) == 1
