"""M/ETHANE use cases: every update is a new version; the old ones are kept."""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from incident.access import require_incident_access
from incident.lifecycle_service import actor_name, open_incident_or_refuse
from incident.methane import Methane, cleaned, diff
from incident.model import MethaneReport

METHANE_FIELDS = tuple(f.name for f in fields(Methane))


def as_methane(report: MethaneReport) -> Methane:
    return Methane(**{name: getattr(report, name) for name in METHANE_FIELDS})


def submit_methane(session: Session, actor: Actor, incident_id: int, message: Methane) -> MethaneReport:
    """Save the next version of the incident's M/ETHANE message."""
    require(actor, Permission.INCIDENT_COMMAND)
    message = cleaned(message)
    open_incident_or_refuse(session, incident_id, "a new M/ETHANE")
    latest = latest_methane(session, actor, incident_id)
    if latest is not None and not diff(as_methane(latest), message):
        raise InputError(f"Nothing changed since version {latest.version}; no new version saved.")
    version = latest.version + 1 if latest else 1
    report = MethaneReport(incident_id=incident_id, version=version, created_at=now(), created_by_id=actor.user_id,
                           created_by_name=actor_name(actor), **{n: getattr(message, n) for n in METHANE_FIELDS})
    session.add(report)
    session.flush()
    changed = [c.part for c in diff(as_methane(latest) if latest else None, message)]
    record(session, actor, "create", "methane_report", report.id, incident_id=incident_id,
           detail=f"version {version}: {', '.join(changed)}")
    return report


def methane_versions(session: Session, actor: Actor, incident_id: int) -> list[MethaneReport]:
    """Every version, oldest first."""
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    return list(session.scalars(select(MethaneReport).where(MethaneReport.incident_id == incident_id)
                                .order_by(MethaneReport.version)))


def latest_methane(session: Session, actor: Actor, incident_id: int) -> MethaneReport | None:
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    return session.scalar(select(MethaneReport).where(MethaneReport.incident_id == incident_id)
                          .order_by(MethaneReport.version.desc()).limit(1))
