"""Whether typed text can be stored: within its column's length and free of control characters
(a NUL cannot be stored in PostgreSQL at all, nor even compared; escape sequences and the like are
never meant). Every service passes text a person typed through here before it reaches a query. A
refusal names the field and the limit, so the person can fix it."""

from __future__ import annotations

import unicodedata

from core.errors import InputError

_LINE_BREAKS = frozenset("\n\r\t")


def _control_characters(text: str, allowed: frozenset[str]) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in text)


def one_line(text: str, what: str, limit: int) -> str:
    """A name, a language, an address: trimmed, at most `limit` characters, no control characters."""
    text = (text or "").strip()
    if _control_characters(text, frozenset()):
        raise InputError(f"{what} holds a control character (e.g. from a copy and paste); type it again.")
    if len(text) > limit:
        raise InputError(f"{what} is at most {limit} characters (got {len(text)}).")
    return text


def free_text(text: str, what: str, limit: int = 5000) -> str:
    """Notes and reasons: trimmed, line breaks and tabs kept, at most `limit` characters."""
    text = (text or "").strip()
    if _control_characters(text, _LINE_BREAKS):
        raise InputError(f"{what} holds a control character (e.g. from a copy and paste); type it again.")
    if len(text) > limit:
        raise InputError(f"{what} is at most {limit:,} characters (got {len(text):,}).")
    return text
