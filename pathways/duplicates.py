"""Does a new registration look like someone already registered? Suggestions only: a person confirms.

Registrations arrive from the hospital, the reception centre, the casualty bureau and
self-referral, with names spelt differently. Name similarity (rapidfuzz) is weighed with the
date of birth and the mobile number; a different known date of birth rules a match out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from core.lookalikes import fold, mixed_scripts

SUGGEST_FROM = 70.0


@dataclass(frozen=True)
class Identity:
    given_name: str
    family_name: str
    date_of_birth: date | None
    mobile: str | None


@dataclass(frozen=True)
class Likeness:
    score: float  # 0-100
    reasons: tuple[str, ...]

    @property
    def suggested(self) -> bool:
        return self.score >= SUGGEST_FROM


def likeness(a: Identity, b: Identity) -> Likeness:
    # Compared as read, not as typed: accents, case and look-alike letters (a Cyrillic "А") set aside.
    name = fuzz.token_sort_ratio(fold(f"{a.given_name} {a.family_name}"), fold(f"{b.given_name} {b.family_name}"))
    reasons = [f"names {name:.0f}% alike"]
    if mixed_scripts(f"{a.given_name} {a.family_name} {b.given_name} {b.family_name}"):
        reasons.append("a name mixes alphabets: a look-alike letter typed or pasted in?")
    score = name * 0.6
    if a.date_of_birth and b.date_of_birth:
        if a.date_of_birth != b.date_of_birth:
            return Likeness(0.0, ("different dates of birth",))
        score += 30
        reasons.append("same date of birth")
    if a.mobile and b.mobile and a.mobile == b.mobile:
        score += 30
        reasons.append("same mobile")
    return Likeness(min(score, 100.0), tuple(reasons))
