"""When a support plan is reviewed, and at which tier it starts: both follow the risk level of the
person's needs assessment. High risk is reviewed weekly (configurable: STANDUP_REVIEW_DAYS_HIGH,
_MEDIUM, _LOW). Plain functions."""

from __future__ import annotations

from datetime import date, timedelta

from core.settings import Settings
from pathways.vocabulary import RiskLevel, SupportTier

STARTING_TIER = {RiskLevel.LOW: SupportTier.UNIVERSAL, RiskLevel.MEDIUM: SupportTier.TARGETED,
                 RiskLevel.HIGH: SupportTier.SPECIALIST}


def review_every(risk_level: str, settings: Settings) -> int:
    """Days between reviews of a plan at `risk_level`."""
    return {RiskLevel.HIGH: settings.review_days_high, RiskLevel.MEDIUM: settings.review_days_medium,
            RiskLevel.LOW: settings.review_days_low}[RiskLevel(risk_level)]


def next_review(today: date, every_days: int) -> date:
    """The London day of the next review, counted from `today` (an assessment's or a review's day)."""
    return today + timedelta(days=every_days)
