"""Needs assessments (Victims' Code right 4): the needs, the risk level and the notes, encrypted. Each
starts or re-paces the person's support plan (support_plan_service.pace_plan)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.typed_text import free_text
from pathways.lookups import person_or_refuse
from pathways.model import NeedsAssessment
from pathways.support_plan_service import pace_plan
from pathways.vocabulary import NeedArea, RiskLevel


def assess_needs(session: Session, actor: Actor, person_id: int, needs: list[str], risk_level: str,
                 notes: str = "") -> NeedsAssessment:
    """A needs assessment (Victims' Code right 4); each reassessment is kept."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    if bad := [n for n in needs if n not in set(NeedArea)]:
        raise InputError(f"Unknown need {bad[0]!r}; allowed: {', '.join(NeedArea)}")
    if risk_level not in set(RiskLevel):
        raise InputError(f"Choose a risk level: {', '.join(RiskLevel)}")
    at = now()
    row = NeedsAssessment(person_id=person.id, needs=",".join(dict.fromkeys(needs)), risk_level=risk_level,
                          notes=free_text(notes, "The notes"), assessed_at=at, assessed_by_id=actor.user_id)
    session.add(row)
    session.flush()
    plan = pace_plan(session, actor, person, risk_level, at)
    record(session, actor, "assess_needs", "person", person.id, incident_id=person.incident_id,
           detail=f"fields: needs, risk_level, notes; support plan reviewed every {plan.review_every_days} days")
    return row
