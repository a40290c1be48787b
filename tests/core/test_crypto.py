import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, select, text

from core.auth.roles import Actor
from core.crypto import EncryptedText, KeyProblem, decrypt, encrypt, key_file, rotate
from core.db import forget_engines, unit_of_work
from core.settings import get_settings, reset_settings

ROOT = Path(__file__).parents[2]


def test_the_embedded_default_creates_a_key_file_once(tmp_path):
    token = encrypt("PHQ-9 item 9: 2")
    path = key_file(get_settings().data_dir)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert decrypt(token) == "PHQ-9 item 9: 2"
    assert "PHQ-9 item" not in token  # a space, which a token never holds: no match by chance


def test_rotation_keeps_old_rows_readable_and_rewrites_under_the_newest_key(monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("STANDUP_SECRET_KEY", old)
    reset_settings()
    token = encrypt("needs: housing")
    monkeypatch.setenv("STANDUP_SECRET_KEY", f"{new},{old}")
    reset_settings()
    assert decrypt(token) == "needs: housing"
    rotated = rotate(token)
    monkeypatch.setenv("STANDUP_SECRET_KEY", new)
    reset_settings()
    assert decrypt(rotated) == "needs: housing"


def test_an_encrypted_column_is_not_readable_in_the_database_file(tmp_path):
    path = tmp_path / "x.db"
    engine = create_engine(f"sqlite:///{path}")
    notes = Table("notes", MetaData(), Column("id", Integer, primary_key=True), Column("body", EncryptedText))
    notes.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(notes.insert().values(id=1, body="thoughts of self-harm disclosed"))
    with engine.connect() as conn:
        assert conn.execute(select(notes.c.body)).scalar_one() == "thoughts of self-harm disclosed"
        assert "self-harm" not in conn.execute(text("SELECT body FROM notes")).scalar_one()
    engine.dispose()
    assert b"self-harm" not in path.read_bytes()


# --- `standup reencrypt` end to end, and the embedded key file -------------------------------

ACCESS = "wheelchair user, needs a BSL interpreter"
NOTES = "disclosed thoughts of self-harm at the rest centre"


def _standup(*args, env):
    return subprocess.run([sys.executable, "-m", "standup.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120, cwd=ROOT)


def _use_keys(monkeypatch, keys: str) -> None:
    monkeypatch.setenv("STANDUP_SECRET_KEY", keys)
    reset_settings()


def _write_health_data(engine) -> tuple[int, int]:
    from incident.lifecycle_service import open_incident
    from pathways.needs_service import assess_needs
    from pathways.registration_service import NewPerson, register_person

    system = Actor.system("test")
    with unit_of_work(engine) as s:
        incident = open_incident(s, system, "Rotation exercise", is_exercise=True)
        person = register_person(s, system, incident.id, NewPerson(
            given_name="Ada", family_name="Test", roles=["survivor"], source="reception_centre",
            accessibility_needs=ACCESS))
        return person.id, assess_needs(s, system, person.id, ["health"], "high", NOTES).id


def _read_health_data(engine, person_id: int, assessment_id: int) -> tuple[str, str]:
    from pathways.model import NeedsAssessment, Person

    with unit_of_work(engine) as s:
        return s.get(Person, person_id).accessibility_needs, s.get(NeedsAssessment, assessment_id).notes


def _stored(engine) -> list[str]:
    with engine.connect() as conn:
        return [*conn.execute(text("SELECT accessibility_needs FROM person")).scalars(),
                *conn.execute(text("SELECT notes FROM needs_assessment")).scalars()]


def test_reencrypt_moves_every_row_to_the_newest_key_so_the_old_one_can_go(db, monkeypatch):
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    _use_keys(monkeypatch, key_a)
    ids = _write_health_data(db.engine)

    _use_keys(monkeypatch, key_b)
    with pytest.raises(KeyProblem):  # B alone cannot read what A wrote: the test can tell
        _read_health_data(db.engine, *ids)

    done = _standup("reencrypt", env={"DATABASE_URL": db.url, "STANDUP_SECRET_KEY": f"{key_b},{key_a}"})
    assert done.returncode == 0, done.stderr
    assert "person: 1 rows re-encrypted under the newest key" in done.stdout
    assert "needs_assessment: 1 rows re-encrypted under the newest key" in done.stdout

    _use_keys(monkeypatch, key_b)  # the old key is gone from the configuration
    assert _read_health_data(db.engine, *ids) == (ACCESS, NOTES)
    stored = _stored(db.engine)
    assert [Fernet(key_b.encode()).decrypt(v.encode()).decode() for v in stored] == [ACCESS, NOTES]
    for value in stored:
        with pytest.raises(InvalidToken):
            Fernet(key_a.encode()).decrypt(value.encode())
    forget_engines()
    if db.kind == "sqlite":  # the file on disk (and its write-ahead log) holds no plain text
        on_disk = b"".join(p.read_bytes() for p in Path(db.url.removeprefix("sqlite:///")).parent.glob("test.db*"))
        assert on_disk and b"self-harm" not in on_disk and b"wheelchair" not in on_disk


def test_the_key_file_is_announced_with_its_path_when_made_and_made_only_once(tmp_path):
    data = tmp_path / "fresh"
    env = {"STANDUP_DATA_DIR": str(data), "DATABASE_URL": ""}
    first = _standup("migrate", env=env)
    assert first.returncode == 0, first.stderr
    path = key_file(data)
    announced = [line for line in first.stderr.splitlines() if "created the encryption key" in line]
    assert len(announced) == 1 and f"created the encryption key {path}: back it up" in announced[0]
    key = path.read_text()
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    again = _standup("migrate", env=env)
    assert again.returncode == 0, again.stderr
    assert "created the encryption key" not in again.stderr
    assert path.read_text() == key


def test_a_process_arriving_while_the_key_is_made_reads_the_whole_key(tmp_path, monkeypatch, caplog):
    """The web server and the worker start at once: the one that comes second, while the first is
    still making the key, must use that key, never an empty file or a second key."""
    from core import crypto

    make = crypto._embedded_key.__wrapped__  # uncached: each call stands for a fresh process
    real_generate = Fernet.generate_key
    arrived: list[str] = []

    def generate_while_another_process_arrives() -> bytes:
        monkeypatch.setattr(Fernet, "generate_key", real_generate)  # the second process makes its own
        arrived.append(make(tmp_path))
        return real_generate()

    monkeypatch.setattr(Fernet, "generate_key", generate_while_another_process_arrives)
    with caplog.at_level("WARNING", logger="standup.crypto"):
        first = make(tmp_path)
    assert arrived == [first] == [key_file(tmp_path).read_text().strip()]
    Fernet(first.encode())  # a whole key
    assert sum("created the encryption key" in r.getMessage() for r in caplog.records) == 1
