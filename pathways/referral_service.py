"""Referrals to partner services within the Victims' Code deadline, with the consent each needs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.typed_text import free_text, one_line
from incident.queries import hub_postcodes
from pathways import pathway_service
from pathways.consent_rules import referral_refusal
from pathways.consent_service import consent_state
from pathways.geography import FORCE_AREAS, place_of
from pathways.lookups import incident_or_refuse, person_or_refuse, row_or_refuse
from pathways.model import IncidentServiceArea, Person, Referral, SupportPlan
from pathways.referral_coverage import coverage_by_agency, covering, giving, tiers_by_agency
from pathways.referral_rules import (
    NOT_RECORDED,
    ReferralStatus,
    Routing,
    TierRouting,
    route,
    route_by_tier,
    status_move_refusal,
)
from pathways.vocabulary import Purpose


def incident_force_area(session: Session, actor: Actor, incident_id: int) -> str:
    require(actor, Permission.INCIDENT_VIEW)
    return _incident_force_area(session, incident_or_refuse(session, actor, incident_id).id)


def _incident_force_area(session: Session, incident_id: int) -> str:
    """The force area the incident's services cover: set by an administrator, else where most of its hubs are."""
    chosen = session.get(IncidentServiceArea, incident_id)
    if chosen is not None:
        return chosen.force_area
    forces = Counter()
    for postcode in hub_postcodes(session, incident_id).values():
        try:
            forces[place_of(postcode).force_area] += 1
        except ValueError:
            continue
    return forces.most_common(1)[0][0] if forces else ""


def set_incident_force_area(session: Session, actor: Actor, incident_id: int | None,
                            force_area: str) -> IncidentServiceArea:
    require(actor, Permission.PATHWAYS_MANAGE)
    incident = incident_or_refuse(session, actor, incident_id)
    if force_area not in FORCE_AREAS:
        raise InputError(f"Unknown police force area {force_area!r}; choose one from the list.")
    row = session.get(IncidentServiceArea, incident.id)
    if row is None:
        row = IncidentServiceArea(incident_id=incident.id, force_area=force_area)
        session.add(row)
    row.force_area = force_area
    session.flush()
    record(session, actor, "update", "incident_service_area", incident.id, incident_id=incident.id,
           detail="fields: force_area")
    return row


@dataclass(frozen=True)
class ReferralChoice:
    agency_id: int
    name: str
    routing: Routing  # routing.refusal says why this agency cannot take this person's referral
    tier_routing: TierRouting  # whether it gives the tier of the person's plan (a refusal a reason lifts)


def _active_agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).where(Agency.active).order_by(Agency.name)))


def _routings(session: Session, person: Person, agencies: list[Agency]) -> dict[int, Routing]:
    """How a referral of this person to each of `agencies` would be routed (refusals name the active
    agencies that do cover the person's area)."""
    coverage = coverage_by_agency(session)
    home, incident_area = person.force_area, _incident_force_area(session, person.incident_id)
    area = home or incident_area
    alternatives = covering(_active_agencies(session), coverage, area) if area else []
    return {a.id: route(a.name, coverage.get(a.id, NOT_RECORDED), home_force_area=home,
                        incident_force_area=incident_area, alternatives=alternatives) for a in agencies}


def _tier_routings(session: Session, person: Person, agencies: list[Agency], reason: str = "") -> dict[int, TierRouting]:
    """How the tier of the person's support plan routes a referral to each of `agencies` (refusals name
    the active agencies giving that tier)."""
    tier = session.scalar(select(SupportPlan.tier).where(SupportPlan.person_id == person.id))
    tiers = tiers_by_agency(session)
    alternatives = giving(_active_agencies(session), tiers, tier) if tier else []
    return {a.id: route_by_tier(a.name, tiers.get(a.id, frozenset()), tier, reason=reason, alternatives=alternatives)
            for a in agencies}


def referral_choices(session: Session, actor: Actor, person_id: int) -> list[ReferralChoice]:
    """Every active partner agency for this person: those covering their home force area and giving the
    tier of support their plan says first, then those outside the tier, then those outside the area."""
    require(actor, Permission.PEOPLE_VIEW)
    person = person_or_refuse(session, actor, person_id)
    agencies = _active_agencies(session)
    routings, tier_routings = _routings(session, person, agencies), _tier_routings(session, person, agencies)
    choices = [ReferralChoice(a.id, a.name, routings[a.id], tier_routings[a.id]) for a in agencies]
    # stable: names stay in order within each group
    return sorted(choices, key=lambda c: (bool(c.routing.refusal), bool(c.tier_routing.refusal)))


def refer(session: Session, actor: Actor, person_id: int, agency_id: int, service: str, notes: str = "",
          *, tier_reason: str = "") -> Referral:
    """Sends a referral. Refused without the consent it needs (the refusal names it); a person living
    in another force area is referred to a service covering their home area (refused otherwise,
    naming those that do), and the referral says which area it is for. A person with a support plan
    is referred to a service giving their plan's tier of support, or elsewhere with `tier_reason`
    (refused otherwise, naming those that give it); the referral keeps the tier and why."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    agency = session.get(Agency, agency_id)
    if agency is None or not agency.active:
        raise InputError("Choose an active partner agency to refer to.")
    service = one_line(service, "The service", 120)
    if not service.strip():
        raise InputError("Name the service referred to (e.g. 'Needs assessment', 'Bereavement support').")
    open_one = session.scalar(select(Referral).where(
        Referral.person_id == person.id, Referral.agency_id == agency.id, Referral.service == service.strip(),
        Referral.status.in_((ReferralStatus.SENT, ReferralStatus.ACCEPTED))).limit(1))
    if open_one is not None:
        raise InputError(f"{person.given_name} {person.family_name} already has a {open_one.status} referral to "
                         f"{agency.name} for {open_one.service!r}; update that one instead.")
    refusal = referral_refusal(bereaved=pathway_service.is_bereaved(person),
                               sexual_or_domestic_abuse=person.sexual_or_domestic_abuse,
                               referral=consent_state(session, person.id, Purpose.REFERRAL))
    if refusal:
        raise InputError(refusal)
    routing = _routings(session, person, [agency])[agency.id]
    if routing.refusal:
        raise InputError(routing.refusal)
    reason = free_text(tier_reason, "The reason for referring outside the plan's tier", 300).strip()
    by_tier = _tier_routings(session, person, [agency], reason)[agency.id]
    if by_tier.refusal:
        raise InputError(by_tier.refusal)
    at = now()
    referral = Referral(incident_id=person.incident_id, person_id=person.id, agency_id=agency.id,
                        service=service.strip(), due_at=person.referral_due_at, sent_at=at, sent_by_id=actor.user_id,
                        status_changed_at=at, out_of_area=routing.out_of_area, for_force_area=routing.for_force_area,
                        area_note=routing.note, tier=by_tier.tier, tier_note=by_tier.note,
                        notes=free_text(notes, "The notes"))
    session.add(referral)
    if person.first_referred_at is None:
        person.first_referred_at = at
    session.flush()
    record(session, actor, "refer", "person", person.id, incident_id=person.incident_id, recipient=agency.name,
           detail="fields: referral" + (" (out of area)" if routing.out_of_area else "")
           + (f", tier {by_tier.tier}" if by_tier.tier else "") + (" (outside the plan's tier)" if by_tier.outside_tier else ""))
    return referral


def set_referral_status(session: Session, actor: Actor, referral_id: int, status: str) -> Referral:
    require(actor, Permission.PEOPLE_EDIT)
    referral = row_or_refuse(session, actor, Referral, referral_id, "referral")
    if status not in set(ReferralStatus):
        raise InputError(f"Unknown status {status!r}; allowed: {', '.join(ReferralStatus)}")
    if refusal := status_move_refusal(referral.status, status):
        raise InputError(refusal)
    referral.status, referral.status_changed_at = status, now()
    record(session, actor, "update", "referral", referral.id, incident_id=referral.incident_id,
           detail=f"fields: status ({status})")
    return referral


def partner_agencies(session: Session, actor: Actor) -> list[Agency]:
    require(actor, Permission.PEOPLE_VIEW)
    return _active_agencies(session)
