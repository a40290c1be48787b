"""Hubs and sites of an incident: name, address, map position, opening hours, capacity, contact."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.errors import InputError
from core.typed_text import one_line
from incident.access import require_incident_access
from incident.lifecycle_service import open_incident_or_refuse
from incident.model import Hub
from incident.uk_area import check_uk_point

HUB_KINDS = {
    "victim_and_witness_hub": "Victim and Witness Hub",
    "humanitarian_assistance_centre": "Humanitarian Assistance Centre",
    "survivor_reception_centre": "Survivor reception centre",
    "family_assistance_centre": "Family assistance centre",
    "helpline_centre": "Helpline centre",
    "other": "Other site",
}


@dataclass(frozen=True)
class HubDetails:
    name: str
    kind: str = "victim_and_witness_hub"
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    opening_hours: str = ""
    capacity: int | None = None
    contact: str = ""


# (field, as the form names it, the most its column holds; an address has no column limit, 500 is plenty)
_TEXT_FIELDS = (("name", "Name", 160), ("address", "Address", 500), ("postcode", "Postcode", 10),
                ("opening_hours", "Opening hours", 200), ("contact", "Contact", 200))


def _checked(d: HubDetails) -> dict:
    values = {f.name: getattr(d, f.name) for f in fields(d)}
    for name, what, limit in _TEXT_FIELDS:
        values[name] = one_line(" ".join((values[name] or "").split()), what, limit)
    values["postcode"] = values["postcode"].upper()
    if not values["name"]:
        raise InputError("A hub needs a name.")
    if values["kind"] not in HUB_KINDS:
        raise InputError(f"Unknown kind of site {values['kind']!r}; allowed: {', '.join(HUB_KINDS.values())}.")
    if values["capacity"] is not None and values["capacity"] <= 0:
        raise InputError("Capacity must be a number of people above 0, or left empty when not known.")
    check_uk_point(values["latitude"], values["longitude"], what="hub position")
    return values


def save_hub(session: Session, actor: Actor, incident_id: int, details: HubDetails, hub_id: int | None = None) -> Hub:
    """Add a hub to the incident, or update one (hub_id given)."""
    require(actor, Permission.HUBS_MANAGE)
    values = _checked(details)
    open_incident_or_refuse(session, incident_id, "changing hubs")
    clash = session.scalar(select(Hub.id).where(Hub.incident_id == incident_id, Hub.name == values["name"]))
    if clash is not None and clash != hub_id:
        raise InputError(f"This incident already has a site named {values['name']!r}.")
    if hub_id is None:
        hub = Hub(incident_id=incident_id, **values)
        session.add(hub)
        session.flush()
        record(session, actor, "create", "hub", hub.id, incident_id=incident_id)
        return hub
    hub = session.get(Hub, hub_id)
    if hub is None or hub.incident_id != incident_id:
        raise InputError(f"No hub {hub_id} in this incident.")
    changed = [name for name, value in values.items() if getattr(hub, name) != value]
    for name in changed:
        setattr(hub, name, values[name])
    record(session, actor, "update", "hub", hub.id, incident_id=incident_id, detail=", ".join(changed))
    return hub


def hubs(session: Session, actor: Actor, incident_id: int) -> list[Hub]:
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    return list(session.scalars(select(Hub).where(Hub.incident_id == incident_id).order_by(Hub.name)))
