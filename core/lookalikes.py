"""Letters that look alike and characters that cannot be seen: a Cyrillic "А" in "Аmira Khan" made a
twin the duplicate check could not find (0 suggestions), and a right-to-left override can make a
name read backwards on screen. Pure functions over text."""

from __future__ import annotations

import unicodedata

# Reorder what surrounds them on screen: never part of a name, an address or a note.
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Take no space: a twin of a name that looks identical. Zero-width (non-)joiners are left alone:
# Persian and Indic names need them.
INVISIBLE = frozenset("\u200b\u2060\ufeff\u180e\u00ad")

# Cyrillic and Greek letters drawn like Latin ones (Unicode's confusables, the letters names use).
_LATIN_TWIN = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ζ": "z",
})


def fold(text: str) -> str:
    """The form names are matched and searched on: compatibility forms unified (full-width "Ａ" is "A"),
    accents and case dropped, look-alike Cyrillic and Greek letters read as the Latin ones."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.lower().translate(_LATIN_TWIN)


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return next((s for s in ("LATIN", "CYRILLIC", "GREEK") if name.startswith(s)), "OTHER")


def mixed_scripts(text: str) -> bool:
    """True when one word mixes Latin with Cyrillic or Greek letters: no real name does, a forged twin does."""
    return any(len({s for s in map(_script, word) if s in ("LATIN", "CYRILLIC", "GREEK")}) > 1
               for word in text.split())
