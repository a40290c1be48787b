"""What the situation map shows, read with aggregate SQL for one incident: the scene, each site's
staffing now, staff on shift by hub (counts by agency and role, no names), affected people
counted by home postcode district and folded into postcode areas, and out-of-area referrals by
force area. Places come from the postcode-area centres the rosters' travel table already holds;
a force area is drawn at the middle of its postcode areas."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from incident.access import require_incident_access
from incident.model import Hub, Incident
from pathways.geography import AREAS
from pathways.model import Person, Referral
from rosters.model import Assignment, ShiftRequirement, StaffMember
from rosters.travel import AREA_CENTRES
from standup.sitrep.figures import latest_methane
from standup.situation_map import AreaCount, ForceReferrals, MapPicture, Scene, Site


def _force_centres() -> dict[str, tuple[float, float]]:
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for area, (_, force) in AREAS.items():
        if area in AREA_CENTRES:
            points[force].append(AREA_CENTRES[area])
    return {force: (sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps)) for force, ps in points.items()}


FORCE_CENTRES = _force_centres()


def _outward(postcode):
    """The outward code ("M4" of "M4 5AB"): all but the three-character inward part."""
    return case((func.length(postcode) > 3, func.trim(func.substr(postcode, 1, func.length(postcode) - 3))),
                else_="")


def area_of(outward: str) -> str:
    return "".join(ch for ch in outward[:2] if ch.isalpha())


def _scene(session: Session, incident_id: int) -> Scene | None:
    report = latest_methane(session, incident_id)
    if report is None or report.latitude is None or report.longitude is None:
        return None
    return Scene(report.exact_location, report.latitude, report.longitude, report.cordon_radius_m, report.version)


def _sites(session: Session, incident_id: int) -> list[Site]:
    at = now()
    under_way = (ShiftRequirement.incident_id == incident_id, ShiftRequirement.starts_at <= at,
                 ShiftRequirement.ends_at > at)
    needed = dict(session.execute(select(ShiftRequirement.hub_id, func.sum(ShiftRequirement.headcount))
                                  .where(*under_way).group_by(ShiftRequirement.hub_id)).all())
    on_shift: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for hub_id, agency, role, n in session.execute(
        select(ShiftRequirement.hub_id, Agency.name, StaffMember.role, func.count(Assignment.id))
        .join(ShiftRequirement, ShiftRequirement.id == Assignment.requirement_id)
        .join(StaffMember, StaffMember.id == Assignment.staff_id)
        .join(Agency, Agency.id == StaffMember.agency_id)
        .where(*under_way, Assignment.withdrawn_at.is_(None))
        .group_by(ShiftRequirement.hub_id, Agency.name, StaffMember.role)
        .order_by(ShiftRequirement.hub_id, Agency.name, StaffMember.role)
    ):
        on_shift[hub_id].append((agency, role, int(n)))
    hubs = session.scalars(select(Hub).where(Hub.incident_id == incident_id).order_by(Hub.name)).all()
    return [Site(h.name, h.kind, h.address, h.latitude, h.longitude, int(needed.get(h.id) or 0),
                 sum(n for _, _, n in on_shift[h.id]), tuple(on_shift[h.id])) for h in hubs]


def _areas(session: Session, incident_id: int) -> tuple[list[AreaCount], int]:
    outward = _outward(Person.postcode).label("outward")
    rows = session.execute(select(outward, func.count(Person.id))
                           .where(Person.incident_id == incident_id, Person.merged_into_id.is_(None))
                           .group_by(outward)).all()
    districts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    unplaced = 0
    for code, n in rows:
        area = area_of(code or "")
        if area in AREA_CENTRES:
            districts[area].append((code, int(n)))
        else:
            unplaced += int(n)
    areas = [AreaCount(area, *AREA_CENTRES[area], sum(n for _, n in ds),
                       tuple(sorted(ds, key=lambda d: (-d[1], d[0])))) for area, ds in sorted(districts.items())]
    return areas, unplaced


def _referrals(session: Session, incident_id: int) -> list[ForceReferrals]:
    rows = session.execute(select(Person.force_area, func.count(Referral.id))
                           .join(Person, Person.id == Referral.person_id)
                           .where(Referral.incident_id == incident_id, Referral.out_of_area.is_(True))
                           .group_by(Person.force_area).order_by(Person.force_area)).all()
    return [ForceReferrals(force, *FORCE_CENTRES[force], int(n)) for force, n in rows if force in FORCE_CENTRES]


def situation_picture(session: Session, actor: Actor, incident_id: int) -> MapPicture:
    """Everything the situation map draws, as plain values (counts only: no person is named)."""
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise InputError(f"No incident {incident_id}.")
    sites = _sites(session, incident_id)
    areas, unplaced = _areas(session, incident_id)
    notes = tuple(f"{s.name} has no location and is not on the map." for s in sites if s.latitude is None)
    return MapPicture(incident.name, _scene(session, incident_id), tuple(sites), tuple(areas),
                      tuple(_referrals(session, incident_id)), unplaced, notes)
