from cryptography.fernet import Fernet
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, select, text

from core.crypto import EncryptedText, decrypt, encrypt, key_file, rotate
from core.settings import get_settings, reset_settings


def test_the_embedded_default_creates_a_key_file_once(tmp_path):
    token = encrypt("PHQ-9 item 9: 2")
    path = key_file(get_settings().data_dir)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert decrypt(token) == "PHQ-9 item 9: 2"
    assert "PHQ" not in token


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
