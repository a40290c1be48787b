"""What others may read of outreach: plain facts, never the rows. The compliance report (standup)
reads the feedback survey's figures here; they are counts only, never what anyone wrote, and not
yet suppressed: a report adds incidents and months up first, then hides small numbers
(outreach.feedback_figures shows how the governance page does it)."""

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
class FeedbackMonth:
    """The feedback surveys offered in one month (Europe/London), and how those were answered."""

    month: date  # its first day
    offered: int  # texted, by link or reply scale (people never asked are not counted)
    answered: int
    satisfied: int  # answered 4 or 5 on the 5-point scale
    asked_informed: int  # answered "were you kept informed" (the page asks it; the SMS scale does not)
    kept_informed: int  # of those, yes
    asked_respect: int
    treated_with_respect: int  # of those, yes


def feedback_by_month(session: Session, incident_ids: Collection[int], *, start: date | None = None,
                      end: date | None = None) -> list[FeedbackMonth]:
    """The incidents' surveys by the month they were offered, oldest first; `start` and `end` (London
    dates, both included) limit the offers counted. Exercise incidents are the caller's to leave out."""
    if not incident_ids:
        return []
    rows = session.execute(select(FeedbackOffer.offered_at, FeedbackOffer.answered_at, FeedbackOffer.satisfaction,
                                  FeedbackOffer.kept_informed, FeedbackOffer.treated_with_respect)
                           .where(FeedbackOffer.incident_id.in_(sorted(incident_ids)),
                                  FeedbackOffer.channel != FeedbackChannel.NONE.value))
    counts: dict[date, list[int]] = defaultdict(lambda: [0] * 7)
    for offered_at, answered_at, satisfaction, informed, respected in rows:
        day = london(offered_at).date()
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        c = counts[day.replace(day=1)]
        c[0] += 1
        if answered_at is not None:
            c[1] += 1
            c[2] += is_satisfied(satisfaction)
            c[3] += informed is not None
            c[4] += informed is True
            c[5] += respected is not None
            c[6] += respected is True
    return [FeedbackMonth(month, *c) for month, c in sorted(counts.items())]
