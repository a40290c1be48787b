"""Partner agencies: data an administrator maintains."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.agencies.model import Agency, AgencyKind
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.errors import InputError
from core.phone import normalise_mobile


def list_agencies(session: Session, actor: Actor) -> list[Agency]:
    require(actor, Permission.INCIDENT_VIEW)
    return list(session.scalars(select(Agency).order_by(Agency.name)))


def agency_named(session: Session, name: str) -> Agency | None:
    return session.scalar(select(Agency).where(func.lower(Agency.name) == name.strip().lower()))


def add_agency(session: Session, actor: Actor, name: str, kind: str, **contacts: str) -> Agency:
    require(actor, Permission.AGENCIES_MANAGE)
    name = name.strip()
    if not name:
        raise InputError("An agency needs a name.")
    if kind not in {k.value for k in AgencyKind}:
        raise InputError(f"Unknown agency kind {kind!r}; allowed: {', '.join(k.value for k in AgencyKind)}")
    if agency_named(session, name) is not None:
        raise InputError(f"An agency named {name!r} already exists.")
    if "coordinator_mobile" in contacts:
        mobile = (contacts["coordinator_mobile"] or "").strip()
        contacts["coordinator_mobile"] = _checked_mobile(mobile) if mobile else None
    agency = Agency(name=name, kind=kind, **contacts)
    session.add(agency)
    session.flush()
    record(session, actor, "create", "agency", agency.id)
    return agency


def _checked_mobile(text: str) -> str:
    try:
        return normalise_mobile(text)
    except ValueError as exc:
        raise InputError(f"Coordinator's mobile: {exc}.") from None


def update_agency_contacts(
    session: Session, actor: Actor, agency_id: int, *, contact_name: str, contact_email: str, contact_phone: str,
    coordinator_mobile: str,
) -> Agency:
    """The people to reach at an agency; the coordinator's mobile (blank for none) must be one SMS can reach."""
    require(actor, Permission.AGENCIES_MANAGE)
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise InputError(f"There is no agency {agency_id}.")
    agency.contact_name = " ".join(contact_name.split())[:120]
    agency.contact_email = contact_email.strip()[:200]
    agency.contact_phone = contact_phone.strip()[:20]
    agency.coordinator_mobile = _checked_mobile(coordinator_mobile) if coordinator_mobile.strip() else None
    record(session, actor, "update", "agency", agency.id, detail="contacts")
    return agency
