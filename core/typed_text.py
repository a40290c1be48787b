"""Whether typed text can be stored: within its column's length and free of control characters
(a NUL cannot be stored in PostgreSQL at all, nor even compared; escape sequences and the like are
never meant). Every service passes text a person typed through here before it reaches a query. A
refusal names the field and the limit, so the person can fix it."""

from __future__ import annotations

import unicodedata

from core.errors import InputError
from core.lookalikes import BIDI_CONTROLS, INVISIBLE

_LINE_BREAKS = frozenset("\n\r\t")


def _control_characters(text: str, allowed: frozenset[str]) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in text)


def _refusal(text: str, what: str, limit: int, allowed: frozenset[str]) -> str:
    if _control_characters(text, allowed):
        return f"{what} holds a control character (e.g. from a copy and paste): type it again"
    if any(c in BIDI_CONTROLS or c in INVISIBLE for c in text):
        return f"{what} holds an invisible character that changes how it reads (e.g. from a copy and paste): type it again"
    if len(text) > limit:
        return f"{what} is at most {limit:,} characters (got {len(text):,})"
    return ""


def one_line_refusal(text: str, what: str, limit: int) -> str:
    """Why `text` cannot be stored as one line of at most `limit` characters, naming it `what`; ""
    when it can. For checks that list every problem at once (a roster file's row) instead of
    stopping at the first."""
    return _refusal(text, what, limit, frozenset())


def one_line(text: str, what: str, limit: int) -> str:
    """A name, a language, an address: trimmed, in Unicode's compatibility form (full-width "Ａ" is "A"),
    at most `limit` characters, no control or invisible characters."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if refusal := one_line_refusal(text, what, limit):
        raise InputError(f"{refusal}.")
    return text





def free_text(text: str, what: str, limit: int = 5000) -> str:
    """Notes and reasons: trimmed, line breaks and tabs kept, at most `limit` characters."""
    text = (text or "").strip()
    if refusal := _refusal(text, what, limit, _LINE_BREAKS):
        raise InputError(f"{refusal}.")
    return text
