"""Who is entitled to enhanced rights under the Victims' Code, and why.

Automatic: under-18s (always vulnerable), bereaved close relatives and victims of terrorism
(victims of the most serious crime). A caseworker may add persistently targeted, vulnerable
or intimidated; re-assess whenever needs change.
"""

from __future__ import annotations

from dataclasses import dataclass

UNDER_18 = "under 18: always treated as vulnerable"
BEREAVED = "bereaved close relative (most serious crime)"
TERRORISM = "victim of terrorism (most serious crime)"
JUDGED_REASONS = ("persistently targeted", "vulnerable", "intimidated")


@dataclass(frozen=True)
class EnhancedRights:
    entitled: bool
    reasons: tuple[str, ...]


def assess(*, under_18: bool, bereaved: bool, victim_of_terrorism: bool,
           judged: tuple[str, ...] = ()) -> EnhancedRights:
    """The entitlement with every reason that applies; ValueError for a reason the Code does not give."""
    unknown = [r for r in judged if r not in JUDGED_REASONS]
    if unknown:
        raise ValueError(f"unknown reason {unknown[0]!r}; allowed: {', '.join(JUDGED_REASONS)}")
    automatic = [reason for applies, reason in ((under_18, UNDER_18), (bereaved, BEREAVED),
                                                (victim_of_terrorism, TERRORISM)) if applies]
    reasons = tuple(automatic) + tuple(dict.fromkeys(judged))
    return EnhancedRights(bool(reasons), reasons)
