"""Governance, as the commissioner's office (scrutiny) and the auditor read it: across incidents,
read-only. The delegation; each incident's decision log, checked against its chain; its activations
with the decisions that authorised them. Every reading is recorded in the audit trail, once per
opening (a page's redraws are the same reading)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.audit.service import record_opening
from core.auth.roles import Actor, Permission, require
from core.clock import london
from core.errors import InputError
from core.hashchain import ChainCheck
from incident.activation_authority import AUTHORISED_STEPS
from incident.activation_service import BoardCard, activation_cards
from incident.decision_service import LogLine, checked_log, log_lines
from incident.delegation_service import DelegationLine, delegation_for, delegation_lines
from incident.model import (
    ActivationAuthority,
    ActivationStageChange,
    DecisionLogEntry,
    Delegation,
    Incident,
    ServiceActivation,
)


@dataclass(frozen=True)
class IncidentSummary:
    id: int
    name: str
    is_exercise: bool
    status: str
    declared_on: date | None
    decisions: int  # decision-log entries
    authorised_steps: int  # activation requests and stand-downs
    steps_naming_a_decision: int  # of those, the ones that name their decision-log entry


@dataclass(frozen=True)
class GovernanceOverview:
    delegations: list[DelegationLine]
    incidents: list[IncidentSummary]


def governance_overview(session: Session, actor: Actor) -> GovernanceOverview:
    """Every delegation, and every incident (newest first) with how many of its requests and
    stand-downs name the decision that authorised them."""
    require(actor, Permission.GOVERNANCE_VIEW)
    decisions = dict(session.execute(select(DecisionLogEntry.incident_id, func.count())
                                     .group_by(DecisionLogEntry.incident_id)).all())
    steps = {incident_id: (total, named) for incident_id, total, named in session.execute(
        select(ServiceActivation.incident_id, func.count(), func.count(ActivationAuthority.decision_id))
        .join(ActivationStageChange, ActivationStageChange.activation_id == ServiceActivation.id)
        .join(ActivationAuthority, ActivationAuthority.stage_change_id == ActivationStageChange.id, isouter=True)
        .where(ActivationStageChange.stage.in_(AUTHORISED_STEPS))
        .group_by(ServiceActivation.incident_id))}
    incidents = [IncidentSummary(i.id, i.name, i.is_exercise, i.status, _declared_on(i), decisions.get(i.id, 0),
                                 *steps.get(i.id, (0, 0)))
                 for i in session.scalars(select(Incident).order_by(Incident.created_at.desc(), Incident.id.desc()))]
    record_opening(session, actor, "delegation", "all", reason="",
                   detail="governance: the delegations and every incident's counts")
    return GovernanceOverview(delegation_lines(session), incidents)


def _declared_on(incident: Incident) -> date | None:
    return london(incident.declared_at).date() if incident.declared_at else None


@dataclass(frozen=True)
class IncidentGovernance:
    incident: Incident
    delegation: Delegation | None  # in force on the day it was declared (opened, if never declared)
    log: list[LogLine]
    log_check: ChainCheck
    activations: list[BoardCard]


def incident_governance(session: Session, actor: Actor, incident_id: int) -> IncidentGovernance:
    """One incident's governance record: its delegation, its decision log and whether the log is
    intact, its activations with what authorised each request and stand-down."""
    require(actor, Permission.GOVERNANCE_VIEW)
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise InputError(f"No incident {incident_id}.")
    record_opening(session, actor, "decision_log", incident_id, incident_id=incident_id, reason="",
                   detail="governance: decision log, activations and their authority, delegation")
    return IncidentGovernance(incident, delegation_for(session, incident),
                              log_lines(session, incident_id), checked_log(session, incident_id),
                              activation_cards(session, incident_id))
