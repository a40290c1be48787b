"""When an urgent safety alert escalates, and what the duty clinician's text says.

DOMAIN.md: any positive answer to PHQ-9 item 9 raises an urgent safety alert for a named
clinician the same day. The duty clinician is texted when the alert is raised; one not
acknowledged within the incident's escalation time is escalated (texted again, and counted
on Gold's dashboard). The texts carry no victim data: no name, no health detail, only which
incident to open.
"""

from __future__ import annotations

from datetime import datetime, timedelta

DEFAULT_ESCALATE_AFTER_MINUTES = 60
# Same day means hours, not days: the longest wait an administrator may set is 12 hours.
ESCALATE_AFTER_RANGE = (5, 720)
_INCIDENT_NAME_CHARS = 60  # keeps the text within two SMS segments


def escalation_minutes_refusal(minutes: object) -> str:
    """Why this is not an escalation time an administrator may set; "" when it is."""
    low, high = ESCALATE_AFTER_RANGE
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not low <= minutes <= high:
        return (f"Escalate after a whole number of minutes from {low} to {high} "
                f"(an urgent alert must reach a clinician the same day), got {minutes!r}.")
    return ""


def escalation_due(raised_at: datetime, escalate_after_minutes: int, at: datetime) -> bool:
    return at >= raised_at + timedelta(minutes=escalate_after_minutes)


def escalates_if_raised_before(escalate_after_minutes: int, at: datetime) -> datetime:
    """An alert raised before this moment (and not acknowledged) is escalated at `at`."""
    return at - timedelta(minutes=escalate_after_minutes)


def _incident_words(incident_name: str) -> str:
    name = " ".join(incident_name.split())
    if len(name) > _INCIDENT_NAME_CHARS:
        name = name[:_INCIDENT_NAME_CHARS - 3].rstrip() + "..."
    return name


def clinician_alert_text(incident_name: str, *, escalated_after_minutes: int | None = None) -> str:
    """The duty clinician's text: a new alert, or (with `escalated_after_minutes`) one still waiting.
    An exercise's texts are marked EXERCISE by whatever sends them (the SMS outbox)."""
    name = _incident_words(incident_name)
    if escalated_after_minutes is None:
        return f"Stand Up: an urgent safety alert needs a clinician today in {name}. Open Stand Up."
    return (f"Stand Up: an urgent safety alert in {name} is not acknowledged after "
            f"{escalated_after_minutes} minutes. Open Stand Up now.")
