"""What others may read of outreach: plain facts, never the rows. The compliance report (standup)
reads the feedback survey's answers here as facts, never what anyone wrote, and not yet suppressed: the
report adds incidents and months up first, then hides small numbers (standup.compliance.feedback), for
itself and for the governance page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import london
from outreach.feedback_rules import FeedbackChannel, is_satisfied
from outreach.model import FeedbackOffer


@dataclass(frozen=True)
class FeedbackAnswer:
    """One survey sent (by link or reply scale; people never asked are not counted), and how it was
    answered: facts only, never what was written."""

    person_id: int
    month: date  # the first day of the month (Europe/London) it was offered
    answered: bool
    satisfied: bool  # answered 4 or 5 on the 5-point scale
    asked_informed: bool  # answered "were you kept informed" (the page asks it; the SMS scale does not)
    kept_informed: bool  # yes to it
    asked_respect: bool
    treated_with_respect: bool


def feedback_answers(session: Session, incident_ids: Collection[int], *, start: date | None = None,
                     end: date | None = None) -> list[FeedbackAnswer]:
    """The incidents' surveys sent, oldest first; `start` and `end` (London dates, both included) limit
    the offers counted. Exercise incidents are the caller's to leave out."""
    if not incident_ids:
        return []
    rows = session.execute(select(FeedbackOffer.person_id, FeedbackOffer.offered_at, FeedbackOffer.answered_at,
                                  FeedbackOffer.satisfaction, FeedbackOffer.kept_informed,
                                  FeedbackOffer.treated_with_respect)
                           .where(FeedbackOffer.incident_id.in_(sorted(incident_ids)),
                                  FeedbackOffer.channel != FeedbackChannel.NONE.value)
                           .order_by(FeedbackOffer.offered_at, FeedbackOffer.id))
    found = []
    for person_id, offered_at, answered_at, satisfaction, informed, respected in rows:
        day = london(offered_at).date()
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        answered = answered_at is not None
        found.append(FeedbackAnswer(person_id, day.replace(day=1), answered, answered and is_satisfied(satisfaction),
                                    answered and informed is not None, answered and informed is True,
                                    answered and respected is not None, answered and respected is True))
    return found


@dataclass(frozen=True)
class FeedbackMonth:
    """The feedback surveys offered in one month (Europe/London), and how those were answered."""

    month: date  # its first day
    offered: int
    answered: int
    satisfied: int
    asked_informed: int
    kept_informed: int
    asked_respect: int
    treated_with_respect: int


def feedback_by_month(session: Session, incident_ids: Collection[int], *, start: date | None = None,
                      end: date | None = None) -> list[FeedbackMonth]:
    """`feedback_answers` counted by the month they were offered, oldest first."""
    counts: dict[date, list[int]] = defaultdict(lambda: [0] * 7)
    for a in feedback_answers(session, incident_ids, start=start, end=end):
        c = counts[a.month]
        for i, fact in enumerate((True, a.answered, a.satisfied, a.asked_informed, a.kept_informed,
                                  a.asked_respect, a.treated_with_respect)):
            c[i] += fact
    return [FeedbackMonth(month, *c) for month, c in sorted(counts.items())]
