"""A personal link: a random token (192 bits) that only its holder has. Stand Up keeps its sha256
alone, so the database never holds a link that works; the token is in the message sent, and in the
address the person opens."""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 24  # 192 bits: more than the 128 a guess must beat
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # what secrets.token_urlsafe(24) gives
CHECK_PATH, STOP_PATH = "/support/check/", "/support/stop/"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(text: object) -> bool:
    """Whether `text` could be a token at all: anything else is answered as unknown at once."""
    return isinstance(text, str) and _TOKEN.fullmatch(text) is not None


def check_url(base_url: str, token: str) -> str:
    """The wellbeing check behind the link (the public page /support/check/{token})."""
    return base_url.rstrip("/") + CHECK_PATH + token


def stop_url(base_url: str, token: str) -> str:
    """Unsubscribing from the cohort's messages (the public page /support/stop/{token})."""
    return base_url.rstrip("/") + STOP_PATH + token
