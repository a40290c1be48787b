"""What the surviving record takes from a duplicate when two records are confirmed to be one person.

Nothing that protects the person may be lost: a flag that needs explicit consent before referral
(sexual or domestic abuse), one that gives enhanced rights (terrorism), and their communication
needs (interpreter, easy read) hold if either record has them. Contact details the survivor lacks
are filled in; a postcode comes with the nation and force area it implies (never a Scottish
postcode with England's bank holidays). Roles are joined.
"""

from __future__ import annotations

from collections.abc import Mapping

from pathways.enhanced_rights import JUDGED_REASONS

KEPT_IF_EITHER = ("victim_of_terrorism", "sexual_or_domestic_abuse", "interpreter_needed", "easy_read")
FILLED_IF_MISSING = ("date_of_birth", "mobile", "email", "key_worker_id", "communication_met_on", "sex",
                     "ethnic_group", "disability")
PLACE = ("postcode", "nation", "force_area")  # one postcode decides all three
MERGED_COLUMNS = (*KEPT_IF_EITHER, *FILLED_IF_MISSING, *PLACE, "accessibility_needs", "roles")  # what it reads


def merged_fields(survivor: Mapping[str, object], duplicate: Mapping[str, object]) -> dict[str, object]:
    """The survivor's fields that change, with their new values (only those that change)."""
    changes: dict[str, object] = {name: True for name in KEPT_IF_EITHER if duplicate[name] and not survivor[name]}
    changes |= {name: duplicate[name] for name in FILLED_IF_MISSING if not survivor[name] and duplicate[name]}
    if not survivor["postcode"] and duplicate["postcode"]:
        changes |= {name: duplicate[name] for name in PLACE if survivor[name] != duplicate[name]}
    needs = [n for n in (survivor["accessibility_needs"], duplicate["accessibility_needs"]) if n]
    if len(set(needs)) == 2:
        changes["accessibility_needs"] = "; ".join(needs)
    elif needs and not survivor["accessibility_needs"]:
        changes["accessibility_needs"] = needs[0]
    roles = ",".join(dict.fromkeys(f"{survivor['roles']},{duplicate['roles']}".split(",")))
    if roles != survivor["roles"]:
        changes["roles"] = roles
    return changes


def judged_reasons(*assessments: str) -> tuple[str, ...]:
    """The caseworker-judged enhanced-rights reasons ("intimidated"...) in stored assessments'
    "; "-joined reasons, each once: they carry over when the rights are re-assessed."""
    found = [r for text in assessments for r in text.split("; ") if r in JUDGED_REASONS]
    return tuple(dict.fromkeys(found))
