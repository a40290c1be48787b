"""Referral statuses and where a person's referral must go.

sent -> accepted or declined; accepted -> completed. A declined referral is closed: refer
again (to the same or another service) rather than reopening it.
"""

from __future__ import annotations

from enum import StrEnum


class ReferralStatus(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COMPLETED = "completed"


NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
    ReferralStatus.ACCEPTED: (ReferralStatus.COMPLETED,),
    ReferralStatus.DECLINED: (),
    ReferralStatus.COMPLETED: (),
}


def status_move_refusal(current: str, new: str) -> str:
    allowed = NEXT_STATUSES.get(current, ())
    if new in allowed:
        return ""
    return (f"A referral that is {current} cannot become {new}; allowed: "
            f"{', '.join(allowed) if allowed else 'none (refer again instead)'}")


def area_note(home_force_area: str, incident_force_area: str) -> str:
    """What the referral says about where the person lives; "" when they live in the incident's area."""
    if not home_force_area or not incident_force_area or home_force_area == incident_force_area:
        return ""
    return (f"Out of area: lives in the {home_force_area} police force area (the incident is in "
            f"{incident_force_area}); referred to the home area's service.")
