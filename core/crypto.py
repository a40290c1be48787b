"""Encryption at rest for health and needs data (screening answers, notes, safety alerts).

Keys come from STANDUP_SECRET_KEY (comma-separated Fernet keys, newest first, so an old key
can still read while the newest writes). The embedded default makes a key file on first use
and says where, because losing it makes the health data unreadable.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from core.private_files import create_once
from core.settings import get_settings

log = logging.getLogger("standup.crypto")


class KeyProblem(RuntimeError):
    """No usable key: the message says what to set."""


def key_file(data_dir: Path) -> Path:
    return data_dir / "secret.key"


@lru_cache(maxsize=4)  # read once per data folder: every encrypt and decrypt needs it
def _embedded_key(data_dir: Path) -> str:
    path = key_file(data_dir)
    if create_once(path, Fernet.generate_key().decode()):
        log.warning("created the encryption key %s: back it up, health data cannot be read without it", path)
    return path.read_text().strip()


def ensure_key() -> None:
    """Make the embedded key now, when no STANDUP_SECRET_KEY is set: the first run says where it is."""
    settings = get_settings()
    if not settings.secret_keys:
        _embedded_key(settings.data_dir)


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...], source: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError):  # STANDUP_SECRET_KEY is checked at start; a damaged key file is not
        raise KeyProblem(f"{source} does not hold a Fernet key (32 url-safe base64 bytes)") from None


def _configured_keys() -> tuple[tuple[str, ...], str]:
    """The keys, newest first, and where they came from (for a refusal)."""
    settings = get_settings()
    return _keys_from(settings.secret_keys, settings.data_dir)


@lru_cache(maxsize=4)  # every value encrypted or read asks: once per configuration, not a path built each time
def _keys_from(secret_keys: tuple[str, ...], data_dir: Path) -> tuple[tuple[str, ...], str]:
    if secret_keys:
        return secret_keys, "STANDUP_SECRET_KEY"
    return (_embedded_key(data_dir),), str(key_file(data_dir))


def cipher() -> MultiFernet:
    return _cipher(*_configured_keys())


@lru_cache(maxsize=16)
def _derived(keys: tuple[str, ...], purpose: str) -> tuple[bytes, ...]:
    return tuple(hmac.new(k.encode(), f"standup signing key: {purpose}".encode(), hashlib.sha256).digest()
                 for k in keys)


def signing_keys(purpose: str) -> tuple[bytes, ...]:
    """Keys to sign with (HMAC), not to encrypt, for one purpose ("form token"), newest first: each
    derived from one configured encryption key, so one secret serves both and a rotation carries
    over (sign with the first, accept any), while neither a signature nor one purpose's key tells
    anything about the encryption key or another purpose's key."""
    return _derived(_configured_keys()[0], purpose)


def encrypt(plain: str) -> str:
    return cipher().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        raise KeyProblem("a stored value cannot be decrypted with the configured keys (STANDUP_SECRET_KEY)") from None


def rotate(token: str) -> str:
    """The same value re-encrypted under the newest key."""
    return cipher().rotate(token.encode()).decode()


class EncryptedText(TypeDecorator):
    """A text column stored encrypted; reads give the plain text back."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else decrypt(value)


def reencrypt_all(engine, metadata) -> dict[str, int]:
    """Rewrite every encrypted value of `metadata`'s tables under the newest key; returns rows
    rewritten per table. The caller passes the metadata with every table on it (core cannot know
    the domains' tables), so no encrypted column is missed.

    Run after putting a new key first in STANDUP_SECRET_KEY; once it reports, the old key can go.
    """
    from sqlalchemy import literal, select, type_coerce, update

    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, EncryptedText)]
            if not columns:
                continue
            pk = list(table.primary_key.columns)
            raw = [type_coerce(c, Text).label(c.name) for c in columns]
            rows = conn.execute(select(*pk, *raw)).mappings().all()
            for row in rows:
                new = {c.name: literal(rotate(row[c.name]), Text) for c in columns if row[c.name] is not None}
                if new:
                    conn.execute(update(table).where(*[k == row[k.name] for k in pk]).values(new))
            counts[table.name] = len(rows)
    return counts
