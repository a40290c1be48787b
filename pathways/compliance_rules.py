"""Whether each Victims' Code right the tool can measure was met, missed or is still pending, for one
case (a person, a person told of a decision, a complaint). Plain values in, an outcome out.

Measured (what the records hold):
- right 1: a person with an interpreter or easy-read need, met when the day it was given is recorded;
- right 4: the referral to support services by the deadline (pathways.victims_code.referral_due;
  a person who opted out of referral and was not referred is not counted), and a needs assessment done;
- right 6: each person concerned told of a key decision in the investigation by the time the Code
  allows (pathways.justice_rules: the milestones of right 6);
- right 12: each complaint answered within the force's working days (victims_code.answer_due);
- enhanced rights: each person's entitlement assessed.
A need with no deadline in the Code (right 1, the needs assessment, the enhanced-rights assessment)
is missed only once the case closed without it: until then it is pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Outcome(StrEnum):
    MET = "met"
    MISSED = "missed"
    PENDING = "pending"


@dataclass(frozen=True)
class Right:
    key: str  # stable: the JSON and CSV name it
    title: str
    measure: str  # what counts as met, in words


RIGHTS: tuple[Right, ...] = (
    Right("right_1", "Right 1: to understand and be understood",
          "people with an interpreter or easy-read need who were given it"),
    Right("right_4_referral", "Right 4: referral to support services",
          "people referred by the Victims' Code deadline"),
    Right("right_4_needs_assessment", "Right 4: a needs assessment", "people whose needs were assessed"),
    Right("right_6", "Right 6: information about the investigation",
          "people told of each key decision (arrest, release, charge, no further action, first hearing) in time"),
    Right("right_12", "Right 12: to make a complaint", "complaints answered in time"),
    Right("enhanced_rights", "Enhanced rights assessed", "people whose entitlement to enhanced rights was assessed"),
)
RIGHT_KEYS = tuple(r.key for r in RIGHTS)


def by_deadline(done_at: datetime | None, due_at: datetime, at: datetime) -> Outcome:
    """Met when done by the deadline; missed when done after it, or not done and the deadline has
    passed at `at`; pending otherwise. All aware datetimes."""
    if done_at is not None:
        return Outcome.MET if done_at <= due_at else Outcome.MISSED
    return Outcome.MISSED if at > due_at else Outcome.PENDING


def by_case_close(done: bool, case_closed: bool) -> Outcome:
    """A need without a deadline: met when done; missed when the case closed without it."""
    if done:
        return Outcome.MET
    return Outcome.MISSED if case_closed else Outcome.PENDING


def rate(met: int, missed: int) -> float | None:
    """The share of decided cases that were met (pending ones are not decided yet); None with none decided."""
    decided = met + missed
    return None if decided == 0 else met / decided
