"""Whether a screen is taken earlier after the incident than its form is meant for.

Trauma screens (TSQ, PCL-5, CRIES-8) are not recommended before about a month: most people's early
reactions settle by themselves, so an early positive mostly finds those (NICE NG116 advises active
monitoring first). The tool does not refuse an early screen — a clinician may have a reason — but
warns and asks for the reason, which is kept with the record.
"""

from __future__ import annotations

from datetime import datetime

from core.clock import london
from pathways.instruments import instrument_named


def days_after_incident(incident_started_at: datetime, at: datetime) -> int:
    """Whole days between the incident and `at`, counted on London's calendar (the day of the
    incident is day 0)."""
    return (london(at).date() - london(incident_started_at).date()).days


def early_screen_warning(instrument: str, incident_started_at: datetime, at: datetime) -> str:
    """Why a screen with `instrument` at `at` is too early, in words for the clinician; "" when it is not."""
    earliest = instrument_named(instrument).from_day_after_incident
    days = max(days_after_incident(incident_started_at, at), 0)  # a clock behind the incident's: its day
    if not earliest or days >= earliest:
        return ""
    when = "on the day of the incident" if days == 0 else f"{days} day{'s' if days != 1 else ''} after the incident"
    return (f"{instrument} {when}: trauma screens are not recommended before about a month ({earliest} days), "
            "as most early reactions settle by themselves (NICE NG116). Screen now only if you judge it right, "
            "and say why.")
