"""Backup and restore round-trip on both databases, and refusal of what is not a backup."""

import pytest
from sqlalchemy import select

from core.audit.model import AuditEvent
from core.audit.service import record, verify_chain
from core.auth.roles import Actor
from core.backup import backup, restore
from core.db import forget_engines, unit_of_work
from core.errors import InputError
from incident.model import Incident
from incident.service import open_incident

SYSTEM = Actor.system("test")


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
        assert verify_chain(s, SYSTEM) == []  # the audit chain survives the round trip


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
