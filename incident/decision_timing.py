"""When a decision log entry needs a reason for being late, and when its time is impossible."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.errors import InputError

LATE_AFTER = timedelta(minutes=15)
# Clocks on phones and laptops drift; a decision a minute "in the future" is a clock, not a prophecy.
CLOCK_SKEW = timedelta(minutes=2)


def is_late(decided_at: datetime, recorded_at: datetime) -> bool:
    return recorded_at - decided_at > LATE_AFTER


def check_timing(decided_at: datetime, recorded_at: datetime, late_reason: str) -> None:
    """Raise InputError when the decision time is in the future, or the entry is recorded more
    than 15 minutes after the decision without saying why."""
    if decided_at.tzinfo is None:
        raise InputError("The time of the decision needs a time zone.")
    if decided_at - recorded_at > CLOCK_SKEW:
        raise InputError("The time of the decision is in the future; give the time it was made.")
    if is_late(decided_at, recorded_at) and not late_reason.strip():
        minutes = int((recorded_at - decided_at).total_seconds() // 60)
        raise InputError(f"This entry is recorded {minutes} minutes after the decision (more than 15): "
                         "say why it is late.")
