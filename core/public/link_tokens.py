"""A personal link's token: random (192 bits), held only by the person it was sent to. Stand Up keeps
its sha256 alone, so the database never holds a link that works; the token is in the message sent,
and in the address the person opens. Any domain's public page looks its links up this way."""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 24  # 192 bits: more than the 128 a guess must beat
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # what secrets.token_urlsafe(24) gives


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(text: object) -> bool:
    """Whether `text` could be a token at all: anything else is answered as unknown at once."""
    return isinstance(text, str) and _TOKEN.fullmatch(text) is not None
