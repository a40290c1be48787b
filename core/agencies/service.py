"""Partner agencies: data an administrator maintains."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.agencies.model import Agency, AgencyKind
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.errors import InputError
from core.phone import normalise_mobile
from core.typed_text import one_line


def list_agencies(session: Session, actor: Actor) -> list[Agency]:
    require(actor, Permission.INCIDENT_VIEW)
    return list(session.scalars(select(Agency).order_by(Agency.name)))


def agency_named(session: Session, name: str) -> Agency | None:
    return session.scalar(select(Agency).where(func.lower(Agency.name) == name.strip().lower()))


def add_agency(session: Session, actor: Actor, name: str, kind: str, *, contact_name: str = "",
               contact_email: str = "", contact_phone: str = "", coordinator_mobile: str = "") -> Agency:
    require(actor, Permission.AGENCIES_MANAGE)
    name = one_line(name, "The agency's name", 120)
    if not name:
        raise InputError("An agency needs a name.")
    if kind not in {k.value for k in AgencyKind}:
        raise InputError(f"Unknown agency kind {kind!r}; allowed: {', '.join(k.value for k in AgencyKind)}")
    contacts = _checked_contacts(contact_name, contact_email, contact_phone, coordinator_mobile)
    if agency_named(session, name) is not None:
        raise InputError(f"An agency named {name!r} already exists.")
    agency = Agency(name=name, kind=kind, **contacts)
    session.add(agency)
    session.flush()
    record(session, actor, "create", "agency", agency.id)
    return agency


def _checked_contacts(contact_name: str, contact_email: str, contact_phone: str, coordinator_mobile: str) -> dict:
    """The contact columns, each as typed and within its column; the mobile as E.164 or None."""
    mobile = (coordinator_mobile or "").strip()
    return {
        "contact_name": one_line(" ".join(contact_name.split()), "Contact name", 120),
        "contact_email": one_line(contact_email, "Contact email", 200),
        "contact_phone": one_line(contact_phone, "Contact phone", 20),
        "coordinator_mobile": _checked_mobile(mobile) if mobile else None,
    }


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
    for column, value in _checked_contacts(contact_name, contact_email, contact_phone, coordinator_mobile).items():
        setattr(agency, column, value)
    record(session, actor, "update", "agency", agency.id, detail="contacts")
    return agency
