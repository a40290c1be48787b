"""Which police force areas each partner agency's services cover, and which tiers of support they
give, kept by an administrator on Pathway settings, so a person living in another force area is
referred to their home area's service (pathways.referral_rules.route decides) and a support plan's
tier routes its referrals to the services giving it (route_by_tier)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from pathways.geography import FORCE_AREAS
from pathways.lookups import require_any
from pathways.model import ReferralCoverage, ReferralCoverageArea, ReferralServiceTier
from pathways.referral_rules import NOT_RECORDED, Coverage
from pathways.vocabulary import SupportTier


@dataclass(frozen=True)
class ServiceCoverage:
    agency_id: int
    name: str
    coverage: Coverage
    tiers: frozenset[str] = frozenset()  # SupportTier values; empty: not recorded


def coverage_by_agency(session: Session) -> dict[int, Coverage]:
    """Every recorded coverage; an agency missing here has NOT_RECORDED."""
    areas: dict[int, set[str]] = {}
    for agency_id, area in session.execute(select(ReferralCoverageArea.agency_id, ReferralCoverageArea.force_area)):
        areas.setdefault(agency_id, set()).add(area)
    return {row.agency_id: Coverage(row.nationwide, frozenset(areas.get(row.agency_id, ())))
            for row in session.scalars(select(ReferralCoverage))}


def covering(agencies: Iterable[Agency], coverage: dict[int, Coverage], force_area: str) -> list[str]:
    """Names of the agencies recorded as covering this force area."""
    return [a.name for a in agencies if coverage.get(a.id, NOT_RECORDED).covers(force_area)]


def referral_services(session: Session, actor: Actor) -> list[ServiceCoverage]:
    """Each active partner agency with the areas it covers (for the settings page and the referral form)."""
    require_any(actor, Permission.PATHWAYS_MANAGE, Permission.PEOPLE_VIEW)
    coverage, tiers = coverage_by_agency(session), tiers_by_agency(session)
    return [ServiceCoverage(a.id, a.name, coverage.get(a.id, NOT_RECORDED), tiers.get(a.id, frozenset()))
            for a in session.scalars(select(Agency).where(Agency.active).order_by(Agency.name))]


def set_coverage(session: Session, actor: Actor, agency_id: int, *, nationwide: bool,
                 force_areas: Iterable[str]) -> Coverage:
    """Records where an agency takes referrals from: the whole UK, or the force areas given."""
    require(actor, Permission.PATHWAYS_MANAGE)
    agency = session.get(Agency, agency_id)
    if agency is None or not agency.active:
        raise InputError("Choose an active partner agency.")
    areas = sorted(set(force_areas))
    if unknown := [a for a in areas if a not in FORCE_AREAS]:
        raise InputError(f"Unknown police force area {unknown[0]!r}; choose from the list.")
    if nationwide and areas:
        raise InputError("A service covering the whole UK needs no list of areas: clear the list or untick the whole UK.")
    if not nationwide and not areas:
        raise InputError(f"Say where {agency.name} takes referrals from: the whole UK, or at least one force area.")
    row = session.get(ReferralCoverage, agency.id)
    if row is None:
        row = ReferralCoverage(agency_id=agency.id)
        session.add(row)
    row.nationwide, row.updated_at, row.updated_by_id = nationwide, now(), actor.user_id
    session.flush()
    session.execute(delete(ReferralCoverageArea).where(ReferralCoverageArea.agency_id == agency.id))
    session.add_all(ReferralCoverageArea(agency_id=agency.id, force_area=a) for a in areas)
    session.flush()
    record(session, actor, "update", "referral_coverage", agency.id,
           detail="fields: nationwide" if nationwide else f"fields: force areas ({len(areas)})")
    return Coverage(nationwide, frozenset(areas))


def tiers_by_agency(session: Session) -> dict[int, frozenset[str]]:
    """The tiers of support each agency is recorded as giving; an agency missing here: not recorded."""
    found: dict[int, set[str]] = {}
    for agency_id, tier in session.execute(select(ReferralServiceTier.agency_id, ReferralServiceTier.tier)):
        found.setdefault(agency_id, set()).add(tier)
    return {agency_id: frozenset(tiers) for agency_id, tiers in found.items()}


def giving(agencies: Iterable[Agency], tiers: dict[int, frozenset[str]], tier: str) -> list[str]:
    """Names of the agencies recorded as giving this tier of support."""
    return [a.name for a in agencies if tier in tiers.get(a.id, frozenset())]


def set_service_tiers(session: Session, actor: Actor, agency_id: int, tiers: Iterable[str]) -> frozenset[str]:
    """Records the tiers of support an agency's services give (none: not recorded, routing by area only)."""
    require(actor, Permission.PATHWAYS_MANAGE)
    agency = session.get(Agency, agency_id)
    if agency is None or not agency.active:
        raise InputError("Choose an active partner agency.")
    chosen = frozenset(tiers)
    if unknown := sorted(chosen - set(SupportTier)):
        raise InputError(f"Unknown tier {unknown[0]!r}; choose from {', '.join(SupportTier)}.")
    session.execute(delete(ReferralServiceTier).where(ReferralServiceTier.agency_id == agency.id))
    session.add_all(ReferralServiceTier(agency_id=agency.id, tier=t, updated_at=now(), updated_by_id=actor.user_id)
                    for t in sorted(chosen))
    session.flush()
    record(session, actor, "update", "referral_service_tier", agency.id,
           detail=f"tiers: {', '.join(t for t in SupportTier if t in chosen) or 'not recorded'}")
    return chosen
