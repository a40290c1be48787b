"""When a person is offered the feedback survey, by which channel, what an SMS answer to it is, and
who counts as satisfied. Plain values only.

The survey is offered on two occasions, once each: when the person's case is closed (discharge) and
6 months after they were registered. An occasion missed by more than OFFER_WINDOW (the worker was
down, or the survey is newer than the occasion) is let go rather than asked about long after.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum

from pathways.schedule import add_months

SIX_MONTHS = 6
OFFER_WINDOW = timedelta(days=28)
SCALE = range(1, 6)  # 1 very dissatisfied … 5 very satisfied
SATISFIED_FROM = 4  # satisfied or very satisfied
_SMS_SCORE = re.compile(r"\s*([1-5])\s*[.!]?\s*")


class Occasion(StrEnum):
    DISCHARGE = "discharge"
    SIX_MONTHS = "six_months"


class FeedbackChannel(StrEnum):
    LINK = "sms_link"  # an SMS with a personal link to the survey page
    EMAIL_LINK = "email_link"  # an email with that link (and its own one-click unsubscribe)
    REPLY = "sms_reply"  # an SMS asking for a reply from 1 to 5 (no link can be sent)
    NONE = "none"  # not asked: no channel the person chose and agreed to (decided once, as for reminders)


def occasions_due(*, registered_at: datetime, discharged_at: datetime | None, at: datetime) -> list[Occasion]:
    """The occasions whose time has come at `at` and is no more than OFFER_WINDOW past."""
    due = []
    if discharged_at is not None and discharged_at <= at < discharged_at + OFFER_WINDOW:
        due.append(Occasion.DISCHARGE)
    six_months = add_months(registered_at, SIX_MONTHS)
    if six_months <= at < six_months + OFFER_WINDOW:
        due.append(Occasion.SIX_MONTHS)
    return due


def channel_for(route: str | None, *, link_possible: bool) -> FeedbackChannel:
    """How the survey goes to a person, given the channel a message to them takes (pathways decides it:
    the one they chose and agreed to, not opted out; None: their caseworker tells them another way). A
    link when the incident's public pages are set up (they need its public service name and number);
    else by text the reply scale, and by email nothing (an email cannot carry a scale to reply to)."""
    if route == "sms":
        return FeedbackChannel.LINK if link_possible else FeedbackChannel.REPLY
    if route == "email" and link_possible:
        return FeedbackChannel.EMAIL_LINK
    return FeedbackChannel.NONE


def sms_score(body: str | None) -> int | None:
    """A reply to the SMS scale: a number from 1 to 5 alone ("4", " 5. "); None for anything else,
    which is then a message for the person's support team like any other."""
    found = _SMS_SCORE.fullmatch(body or "")
    return int(found.group(1)) if found else None


def is_satisfied(satisfaction: int | None) -> bool:
    return satisfaction is not None and satisfaction >= SATISFIED_FROM
