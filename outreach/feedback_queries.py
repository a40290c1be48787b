"""The feedback survey's figures for the governance page: one incident's, by month, as they may
be shown (outreach.feedback_figures). Reading them is audited, as every governance reading is."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.audit.service import record_opening
from core.auth.roles import Actor, Permission, require
from core.errors import InputError
from incident.queries import incident_facts
from outreach.feedback_figures import MonthShown, month_shown
from outreach.queries import feedback_by_month


def feedback_for_governance(session: Session, actor: Actor, incident_id: int) -> list[MonthShown]:
    require(actor, Permission.GOVERNANCE_VIEW)
    if incident_facts(session, incident_id) is None:
        raise InputError(f"No incident {incident_id}.")
    record_opening(session, actor, "feedback_offer", incident_id, incident_id=incident_id, reason="",
                   detail="governance: feedback survey figures by month (small numbers hidden)")
    return [month_shown(m) for m in feedback_by_month(session, [incident_id])]
