"""The key that signs the hash chains' checkpoints (Ed25519), kept out of the database: whoever can
rewrite the database can rebuild a chain and its head, but cannot sign what they rebuilt.

STANDUP_SIGNING_KEY gives the private key (32 random bytes in url-safe base64); without it the
embedded default makes `signing.key` in the data folder (beside `secret.key`, mode 0600) on first
use and logs the public half, which the force keeps in its records: a checkpoint verifies only
against it, so a key swapped in later to sign forgeries is found.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from core.crypto import KeyProblem
from core.private_files import create_once
from core.settings import get_settings

log = logging.getLogger("standup.signing_key")

KEY_BYTES = 32


def signing_key_file(data_dir: Path) -> Path:
    return data_dir / "signing.key"


def _raw(text: str, what: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError):
        raise ValueError(f"{what} is not url-safe base64") from None
    if len(raw) != KEY_BYTES:
        raise ValueError(f"{what} is {len(raw)} bytes, not {KEY_BYTES}")
    return raw


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    """ValueError saying what is wrong, never quoting the key."""
    return Ed25519PrivateKey.from_private_bytes(_raw(text, "the key"))


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """The public half as `standup audit public-key` prints it; ValueError when it is not one."""
    return Ed25519PublicKey.from_public_bytes(_raw(text, "the public key"))


def public_key_text(public: Ed25519PublicKey) -> str:
    return base64.urlsafe_b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def key_id(public: Ed25519PublicKey) -> str:
    """A short name for the key, written in each checkpoint: which key signed it, at a glance."""
    return hashlib.sha256(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


@lru_cache(maxsize=4)  # read once per data folder and per setting
def _private_key(configured: str, data_dir: Path) -> Ed25519PrivateKey:
    if configured:
        return private_key_from_text(configured)  # checked when the settings were read
    path = signing_key_file(data_dir)
    if create_once(path, base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()):
        made = private_key_from_text(path.read_text())
        log.warning("created the checkpoint signing key %s: back it up, and keep its public half in the force's "
                    "records (also `standup audit public-key`): %s", path, public_key_text(made.public_key()))
    try:
        return private_key_from_text(path.read_text())
    except ValueError as problem:
        raise KeyProblem(f"{path} does not hold a signing key: {problem}") from None


def private_key() -> Ed25519PrivateKey:
    settings = get_settings()
    return _private_key(settings.signing_key, settings.data_dir)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def ensure_signing_key() -> None:
    """Make the embedded key now when none is configured: the first `migrate` or `run` logs its public half."""
    private_key()
