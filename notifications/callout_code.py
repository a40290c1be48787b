"""Call-out codes: the four characters a responder quotes back ("YES K7QX").

A code names one call-out, so a reply can be matched to it even when one phone
has been sent several call-outs. Codes are read off a lock screen at 2 a.m. and
typed back with a thumb, so the alphabet leaves out the look-alikes O/0 and I/1.

Rule (stricter than "four letters and digits starting with a letter"):
a code MUST contain at least one digit. Without that rule plenty of ordinary
reply words fit the alphabet ("CANT", "SURE", "HERE", "WANT", "BUSY", "LATE"),
and a stop-list of such words could never be complete. With it, no English word
can ever be read as a code, and no code can ever be read as a word.
"""

from __future__ import annotations

import itertools
import random
import re

CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # A-Z without I and O
CODE_DIGITS = "23456789"  # 0-9 without 0 and 1
CODE_ALPHABET = CODE_LETTERS + CODE_DIGITS
CODE_LENGTH = 4

_CODE_PATTERN = re.compile(rf"[{CODE_LETTERS}][{CODE_ALPHABET}]{{{CODE_LENGTH - 1}}}")

# Every valid code: a letter, then three alphabet characters of which at least one is a digit.
CODE_SPACE_SIZE = len(CODE_LETTERS) * (len(CODE_ALPHABET) ** 3 - len(CODE_LETTERS) ** 3)

# Random draws before falling back to a scan; the space is ~450,000 codes, so a
# draw only fails this often when almost every code is already in use.
_RANDOM_ATTEMPTS = 200


def is_code(text: str) -> bool:
    """True when `text` (any case, nothing around it) is a well-formed call-out code."""
    if not isinstance(text, str) or len(text) != CODE_LENGTH:
        return False
    upper = text.upper()
    return bool(_CODE_PATTERN.fullmatch(upper)) and any(ch in CODE_DIGITS for ch in upper)


def generate_code(existing: set[str], rng: random.Random) -> str:
    """A new code not in `existing` (compared case-insensitively).

    `rng` is passed in (a `random.Random`, or `random.SystemRandom()` in production)
    so tests are repeatable. Raises RuntimeError only if every code is taken.
    """
    taken = {code.upper() for code in existing}
    for _ in range(_RANDOM_ATTEMPTS):
        code = _random_code(rng)
        if code not in taken:
            return code
    # Nearly full: a deterministic scan still finds a free code if there is one.
    for code in _all_codes():
        if code not in taken:
            return code
    raise RuntimeError("every call-out code is in use")


def _random_code(rng: random.Random) -> str:
    first = rng.choice(CODE_LETTERS)
    # Redraw rather than patch in a digit, so every valid code is equally likely.
    while True:
        rest = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH - 1))
        if any(ch in CODE_DIGITS for ch in rest):
            return first + rest


def _all_codes():
    for first in CODE_LETTERS:
        for rest in itertools.product(CODE_ALPHABET, repeat=CODE_LENGTH - 1):
            if any(ch in CODE_DIGITS for ch in rest):
                yield first + "".join(rest)
