"""Referral statuses and where a person's referral must go: their home police force area's service
(route), giving the tier of support their plan says (route_by_tier).

sent -> accepted or declined; accepted -> completed. A declined referral is closed: refer
again (to the same or another service) rather than reopening it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pathways.vocabulary import SupportTier


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


# What each tier of support is, as DOMAIN.md's partner agencies give it: everyone's support (information,
# signposting, self-help, practical help: charities such as Samaritans, Cruse, Citizens Advice, the Red
# Cross), the incident's victim service (Victim Support's needs assessment and support, the police Victim
# and Witness Hub), specialist care (the NHS mental-health trust's trauma service, CAMHS for children).
TIER_GIVES = {
    SupportTier.UNIVERSAL: "universal support (information, signposting, self-help)",
    SupportTier.TARGETED: "targeted support (the incident's victim service)",
    SupportTier.SPECIALIST: "specialist support (the NHS trauma service, CAMHS)",
}


@dataclass(frozen=True)
class TierRouting:
    tier: str  # the person's plan's tier when referred ("" without a plan)
    note: str  # why the referral goes where it goes, kept on the referral
    refusal: str  # why it may not go to this service ("" when it may)
    outside_tier: bool = False  # it goes to a service not giving the plan's tier, for the reason given


def route_by_tier(service: str, gives: frozenset[str], plan_tier: str | None, *, reason: str = "",
                  alternatives: Sequence[str] = ()) -> TierRouting:
    """Whether a referral to `service`, which gives the tiers `gives`, fits the tier of the person's
    support plan. A service giving another tier is refused, naming those giving the plan's, unless
    the referrer gives the reason for stepping outside it (a person decides: a clinician stepping care
    up after a positive screen). Without a plan, or with the service's tiers not recorded, the tier
    routes nothing and the note says so."""
    if not plan_tier:
        return TierRouting("", "No support plan yet: routed by area, not by tier.", "")
    wanted = TIER_GIVES[SupportTier(plan_tier)]
    if not gives:
        return TierRouting(plan_tier, f"The plan's tier is {plan_tier}; the tiers {service} gives are not recorded "
                                      "(an administrator records them on Pathway settings).", "")
    if plan_tier in gives:
        return TierRouting(plan_tier, f"The plan's tier is {plan_tier}: {service} gives {wanted}.", "")
    given = " and ".join(TIER_GIVES[SupportTier(t)] for t in SupportTier if t in gives)
    if reason:
        return TierRouting(plan_tier, f"Outside the plan's tier ({plan_tier}): {service} gives {given}. "
                                      f"Reason: {reason}", "", outside_tier=True)
    instead = (f"Refer to a service giving it: {', '.join(alternatives)}" if alternatives
               else "No service is recorded as giving it")
    return TierRouting(plan_tier, "", f"This person's support plan is at the {plan_tier} tier, which needs {wanted}; "
                                      f"{service} gives {given}. {instead}, or give the reason for referring outside "
                                      "the plan's tier.")
