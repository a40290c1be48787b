"""The justice process's rules: which Victims' Code right a milestone falls under, which milestones
are dates set ahead (a hearing, a release date) rather than decisions already taken, the day the
clock to tell victims starts, and whom a milestone concerns.

The clock starts on the day the police decided (an arrest, a charge) or, for a date set ahead, the
day it was set, which is when it was entered: a trial fixed today for next spring must be told within
days of today, not of the trial. A decision entered late keeps its own day: the Code's time runs
from the decision, not from the entry.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from pathways.vocabulary import MilestoneAudience, MilestoneKind

K = MilestoneKind
# Victims' Code (2021) rights: 6 the investigation and prosecution, 8 the trial and your role as a
# witness, 9 the outcome and appeals, 11 the offender after conviction.
CODE_RIGHT: dict[MilestoneKind, int] = {
    K.ARREST: 6, K.RELEASE: 6, K.CHARGE: 6, K.NO_FURTHER_ACTION: 6, K.FIRST_HEARING: 6,
    K.TRIAL_DATE: 8, K.VERDICT: 9, K.SENTENCE: 9, K.APPEAL: 9, K.OFFENDER_RELEASE: 11,
}
SET_AHEAD = frozenset({K.FIRST_HEARING, K.TRIAL_DATE, K.OFFENDER_RELEASE})
COURT_DATES = frozenset({K.FIRST_HEARING, K.TRIAL_DATE})  # a witness's court dates


def clock_starts(occurred_on: date, entered_on: date) -> date:
    """Day 0 of the time to tell victims: the decision's day, or the day a date set ahead was entered."""
    return min(occurred_on, entered_on)


def concerns(audience: str, chosen_roles: Collection[str], chosen_people: Collection[int],
             person_id: int, person_roles: Collection[str]) -> bool:
    """Whether a milestone for this audience is one this person must be told of."""
    if audience == MilestoneAudience.ALL:
        return True
    if audience == MilestoneAudience.ROLES:
        return not set(chosen_roles).isdisjoint(person_roles)
    if audience == MilestoneAudience.PEOPLE:
        return person_id in chosen_people
    raise ValueError(f"unknown audience {audience!r}; allowed: {', '.join(MilestoneAudience)}")
