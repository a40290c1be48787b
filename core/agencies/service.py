"""Partner agencies: data an administrator maintains."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.agencies.model import Agency, AgencyKind
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.errors import InputError


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
    agency = Agency(name=name, kind=kind, **contacts)
    session.add(agency)
    session.flush()
    record(session, actor, "create", "agency", agency.id)
    return agency
