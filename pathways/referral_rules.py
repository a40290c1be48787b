"""Referral statuses and where a person's referral must go (their home police force area's service).

sent -> accepted or declined; accepted -> completed. A declined referral is closed: refer
again (to the same or another service) rather than reopening it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
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


def referred_late(sent_at: datetime, due_at: datetime) -> bool:
    """Sent after the Victims' Code deadline (the end of the last working day allowed)."""
    return sent_at > due_at


@dataclass(frozen=True)
class Coverage:
    """Where a referral service takes people from: the whole UK, some police force areas, or (neither
    set) not recorded by an administrator yet."""

    nationwide: bool = False
    force_areas: frozenset[str] = frozenset()

    @property
    def recorded(self) -> bool:
        return self.nationwide or bool(self.force_areas)

    def covers(self, force_area: str) -> bool:
        return self.nationwide or force_area in self.force_areas


NOT_RECORDED = Coverage()


@dataclass(frozen=True)
class Routing:
    for_force_area: str  # the police force area the referral is for ("" when nothing is known)
    out_of_area: bool
    note: str  # what the referral says about it ("" for someone living in the incident's area)
    refusal: str  # why it may not go to this service ("" when it may)


def route(service: str, coverage: Coverage, *, home_force_area: str, incident_force_area: str,
          alternatives: Sequence[str] = ()) -> Routing:
    """Whether a referral to `service` reaches the service for the person's home force area.

    People living in another force area are referred to their home area's service: a service
    recorded as not covering that area is refused, and so is one whose areas nobody has recorded
    (it cannot be known to serve them). For someone living in the incident's area (or whose home
    is unknown, so the incident's area stands in), only a service recorded as covering somewhere
    else is refused. `alternatives` are services recorded as covering the area, named in a refusal.
    """
    area = home_force_area or incident_force_area
    out = bool(home_force_area and incident_force_area and home_force_area != incident_force_area)
    where = "where this person lives" if home_force_area else "the incident's (no home postcode is recorded)"
    instead = (f"Refer to a service covering {area}: {', '.join(alternatives)}." if alternatives else
               f"No service is recorded as covering {area}: an administrator records each service's areas "
               "on Pathway settings.")
    refusal = ""
    if area and coverage.recorded and not coverage.covers(area):
        refusal = (f"{service} covers {', '.join(sorted(coverage.force_areas))}, not the {area} police force "
                   f"area, {where}. {instead}")
    elif out and not coverage.recorded:
        refusal = (f"This person lives in the {area} police force area, outside the incident's ({incident_force_area}), "
                   f"and the areas {service} covers are not recorded. {instead}")
    if out:
        reach = "the whole UK" if coverage.nationwide else area
        note = (f"Out of area: for the {area} police force area, where the person lives (the incident is in "
                f"{incident_force_area}); {service} covers {reach}.")
    elif area and not home_force_area:
        note = f"For the {area} police force area, the incident's: no home postcode is recorded."
    else:
        note = ""
    return Routing(area, out, note, refusal)
