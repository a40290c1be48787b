"""The feedback survey's figures as they may be shown: no count that would let anyone tell how
fewer than 5 people answered. A count of 1 to 4 is shown as "fewer than 5" (0 describes nobody);
so is a count whose rest (offered but not answered, answered but not satisfied…) is 1 to 4, since
it could be worked out by subtraction; a rate is shown only when both its counts are."""

from __future__ import annotations

from dataclasses import dataclass

from outreach.queries import FeedbackMonth

THRESHOLD = 5
SUPPRESSED = "fewer than 5"


def _small(count: int) -> bool:
    return 0 < count < THRESHOLD


def shown(count: int) -> int | str:
    return SUPPRESSED if _small(count) else count


def shown_part(part: int, whole: int) -> int | str:
    """A part of a shown whole: hidden when it, or the rest of the whole, is a small number."""
    return SUPPRESSED if _small(part) or _small(whole - part) else part


def shown_rate(part: int, whole: int) -> str:
    if not whole or shown(whole) == SUPPRESSED or shown_part(part, whole) == SUPPRESSED:
        return ""
    return f"{round(100 * part / whole)}%"


@dataclass(frozen=True)
class MonthShown:
    month: str  # "December 2026"
    offered: int | str
    answered: int | str
    satisfied: int | str
    satisfied_rate: str  # of those who answered
    kept_informed: int | str  # of those asked
    treated_with_respect: int | str


def month_shown(m: FeedbackMonth) -> MonthShown:
    answered_shown = shown(m.answered) if shown(m.offered) == SUPPRESSED else shown_part(m.answered, m.offered)
    hidden = answered_shown == SUPPRESSED  # every part of a hidden count stays hidden
    return MonthShown(
        f"{m.month:%B %Y}", shown(m.offered), answered_shown,
        SUPPRESSED if hidden else shown_part(m.satisfied, m.answered),
        "" if hidden else shown_rate(m.satisfied, m.answered),
        SUPPRESSED if hidden else shown_part(m.kept_informed, m.asked_informed),
        SUPPRESSED if hidden else shown_part(m.treated_with_respect, m.asked_respect))
