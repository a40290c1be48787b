"""What the top of every pathways page says about urgent safety alerts, in one read: who the
duty clinician is (or, loudly, that nobody is), every open alert for a designated clinician, and
for other caseworkers only how many wait (no names, no health detail)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.auth.roles import Actor, Permission, require
from pathways.clinicians import Duty, duty_for, is_clinician, waiting_alert_count
from pathways.lookups import incident_or_refuse
from pathways.screening_service import AlertItem, open_alerts


@dataclass(frozen=True)
class AlertBanner:
    duty: Duty
    is_clinician: bool
    alerts: list[AlertItem]  # filled for designated clinicians only
    waiting: int  # open alerts of the incident

    @property
    def no_duty_clinician(self) -> bool:
        return not self.duty.named


def alert_banner(session: Session, actor: Actor, incident_id: int | None) -> AlertBanner:
    require(actor, Permission.PEOPLE_VIEW)
    incident = incident_or_refuse(session, actor, incident_id)
    clinician = is_clinician(session, actor)
    alerts = open_alerts(session, actor, incident.id) if clinician else []
    waiting = len(alerts) if clinician else waiting_alert_count(session, actor, incident.id)
    return AlertBanner(duty_for(session, incident.id), clinician, alerts, waiting)
