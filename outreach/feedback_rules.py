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
    REPLY = "sms_reply"  # an SMS asking for a reply from 1 to 5 (no link can be sent)
    NONE = "none"  # not asked: no consent to texts, no mobile, or opted out (decided once, as for reminders)


def occasions_due(*, registered_at: datetime, discharged_at: datetime | None, at: datetime) -> list[Occasion]:
    """The occasions whose time has come at `at` and is no more than OFFER_WINDOW past."""
    due = []
    if discharged_at is not None and discharged_at <= at < discharged_at + OFFER_WINDOW:
        due.append(Occasion.DISCHARGE)
    six_months = add_months(registered_at, SIX_MONTHS)
    if six_months <= at < six_months + OFFER_WINDOW:
        due.append(Occasion.SIX_MONTHS)
    return due


def channel_for(*, may_text: bool, opted_out: bool, link_possible: bool) -> FeedbackChannel:
    """How the survey goes to a person. SMS only for now: a link when the incident's public pages are
    set up (they need its public service name and number), else the reply scale; nobody without
    consent to texts, or who opted out of them. The one place the channel is chosen: a person's
    preferred channel (SMS or email, kept by pathways) is to decide here once it exists; email
    needs an unsubscribe link (notifications.channels.email_message)."""
    if not may_text or opted_out:
        return FeedbackChannel.NONE
    return FeedbackChannel.LINK if link_possible else FeedbackChannel.REPLY


def sms_score(body: str | None) -> int | None:
    """A reply to the SMS scale: a number from 1 to 5 alone ("4", " 5. "); None for anything else,
    which is then a message for the person's support team like any other."""
    found = _SMS_SCORE.fullmatch(body or "")
    return int(found.group(1)) if found else None


def is_satisfied(satisfaction: int | None) -> bool:
    return satisfaction is not None and satisfaction >= SATISFIED_FROM
