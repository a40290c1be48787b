"""The words rosters and shifts share: skills, languages and roles, each in one canonical form.

A shift asks for "psychological first aid"; a roster says "PFA". Both pass through here so
the assignment rules can compare plain strings.
"""

from __future__ import annotations

import re

PSYCHOLOGICAL_FIRST_AID = "psychological first aid"

# The canonical skill names, in the order they are offered in pick lists.
SKILLS: tuple[str, ...] = (
    PSYCHOLOGICAL_FIRST_AID,
    "trauma-informed",
    "interpreter",
    "children and young people",
    "bereavement",
    "safeguarding",
    "first aid",
    "mental health",
    "family liaison",
    "counselling",
    "needs assessment",
    "peer support",
)

# Other ways agencies write them, in the form _skill_key() gives (lower case, single
# spaces, "-" "_" "/" as spaces, "&" as "and").
_SKILL_ALIASES: dict[str, str] = {
    "pfa": PSYCHOLOGICAL_FIRST_AID,
    "pfa trained": PSYCHOLOGICAL_FIRST_AID,
    "psych first aid": PSYCHOLOGICAL_FIRST_AID,
    "psychological first aid trained": PSYCHOLOGICAL_FIRST_AID,
    "trauma informed": "trauma-informed",
    "trauma informed care": "trauma-informed",
    "trauma informed practice": "trauma-informed",
    "trauma informed approach": "trauma-informed",
    "tic": "trauma-informed",
    "interpreting": "interpreter",
    "interpretation": "interpreter",
    "translator": "interpreter",
    "cyp": "children and young people",
    "children": "children and young people",
    "young people": "children and young people",
    "children young people": "children and young people",
    "working with children": "children and young people",
    "bereavement support": "bereavement",
    "bereavement counselling": "bereavement",
    "safeguarding adults": "safeguarding",
    "safeguarding children": "safeguarding",
    "adult safeguarding": "safeguarding",
    "child safeguarding": "safeguarding",
    "safeguarding adults and children": "safeguarding",
    "emergency first aid": "first aid",
    "first aid at work": "first aid",
    "efaw": "first aid",
    "faw": "first aid",
    "first aider": "first aid",
    "mh": "mental health",
    "mental health first aid": "mental health",
    "mhfa": "mental health",
    "flo": "family liaison",
    "family liaison officer": "family liaison",
    "counseling": "counselling",
    "counsellor": "counselling",
    "needs assessor": "needs assessment",
    "peer supporter": "peer support",
}
_SKILL_BY_KEY: dict[str, str] = {**{name.replace("-", " "): name for name in SKILLS}, **_SKILL_ALIASES}

# Languages whose usual short form would not title-case into the real name.
_LANGUAGE_ALIASES: dict[str, str] = {
    "bsl": "British Sign Language",
    "isl": "Irish Sign Language",
}

_LIST_SEPARATORS = re.compile(r"[;,]")
_SKILL_PUNCTUATION = re.compile(r"[-_/]")


def split_cells(text: str | None) -> tuple[str, ...]:
    """The items of a ";" or "," separated cell, stripped, empty ones dropped."""
    if not text:
        return ()
    return tuple(item for item in (part.strip() for part in _LIST_SEPARATORS.split(text)) if item)


def _skill_key(item: str) -> str:
    key = _SKILL_PUNCTUATION.sub(" ", item.casefold()).replace("&", " and ")
    return " ".join(key.split())


def canonical_skill(item: str) -> str | None:
    """The canonical name for one skill as written, or None when it is not in the vocabulary."""
    return _SKILL_BY_KEY.get(_skill_key(item))


def map_skills(cells: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(known, unknown): the canonical skills named in a cell, and the items not recognised,
    as written. Both keep first-seen order without repeats; unknowns are returned so the
    roster owner sees them, never silently dropped."""
    known: list[str] = []
    unknown: list[str] = []
    seen_unknown: set[str] = set()
    for item in split_cells(cells):
        name = canonical_skill(item)
        if name is not None:
            if name not in known:
                known.append(name)
        elif item.casefold() not in seen_unknown:
            seen_unknown.add(item.casefold())
            unknown.append(" ".join(item.split()))
    return tuple(known), tuple(unknown)


def normalise_language(item: str) -> str:
    """One language in title case ("arabic" -> "Arabic", "serbo-croatian" ->
    "Serbo-Croatian"); "BSL" -> "British Sign Language"."""
    words = item.split()
    alias = _LANGUAGE_ALIASES.get(" ".join(words).casefold())
    if alias:
        return alias
    return " ".join("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")) for word in words)


def split_list(text: str | None) -> tuple[str, ...]:
    """The languages in a ";" or "," separated cell, normalised, first-seen order, no repeats."""
    languages: list[str] = []
    for item in split_cells(text):
        language = normalise_language(item)
        if language and language not in languages:
            languages.append(language)
    return tuple(languages)


def normalise_role(text: str | None) -> str:
    """A role as rosters and shifts both store it: lower case, single spaces
    ("Support  Worker " -> "support worker"), so the assignment rules compare exactly."""
    return " ".join((text or "").split()).casefold()
