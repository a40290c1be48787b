"""What Gold's page reads in one go: the header, the board, the latest M/ETHANE, the log, the timeline."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.auth.roles import Actor, Permission, require
from core.clock import now
from incident.activation_service import BoardCard, activations_board
from incident.command_service import command_structure, handovers
from incident.decision_service import LogLine, decision_log
from incident.hub_service import hubs
from incident.lifecycle import label
from incident.lifecycle_service import get_incident, status_history
from incident.methane_service import latest_methane, methane_versions
from incident.model import Incident, MethaneReport
from incident.timeline import TimelineItem, elapsed, merged


@dataclass(frozen=True)
class GoldBoard:
    incident: Incident
    since_declared: str  # "" before declaration
    board: list[BoardCard]
    latest_methane: MethaneReport | None
    log: list[LogLine]
    timeline: list[TimelineItem]


def timeline(session: Session, actor: Actor, incident_id: int) -> list[TimelineItem]:
    """Everything that happened in the incident, newest first."""
    require(actor, Permission.INCIDENT_VIEW)
    T = TimelineItem
    status = [T(c.at, "status", f"Status {label(c.to_status)}" + (f" (from {label(c.from_status)})"
                                                                   if c.from_status else "") + f": {c.reason}",
                c.by_name) for c in status_history(session, actor, incident_id)]
    methane = [T(m.created_at, "methane", f"M/ETHANE version {m.version}: {m.exact_location}", m.created_by_name)
               for m in methane_versions(session, actor, incident_id)]
    decisions = [T(line.entry.recorded_at, "decision",
                   (f"Entry {line.entry.sequence} corrects entry {line.corrects}: " if line.corrects else
                    f"Entry {line.entry.sequence}: ") + line.entry.decision, line.entry.recorded_by_name)
                 for line in decision_log(session, actor, incident_id)]
    activations = [T(step.at, "activation", f"{card.service} ({card.lead_agency}): {label(step.stage)}", step.by)
                   for card in activations_board(session, actor, incident_id) for step in card.steps]
    sites = [T(h.created_at, "hub", f"Site opened on the system: {h.name}", "")
             for h in hubs(session, actor, incident_id)]
    command = [T(c.commander.started_at, "command", f"{c.commander.name} takes {c.level_title} command, {c.agency}",
                 c.commander.assigned_by_name)
               for c in command_structure(session, actor, incident_id, current_only=False)]
    command += [T(h.handover.handed_over_at, "command", f"Handover: {h.outgoing} to {h.incoming} ({h.level}, "
                  f"{h.agency})", h.handover.recorded_by_name) for h in handovers(session, actor, incident_id)]
    return merged(status, methane, decisions, activations, sites, command)


def gold_board(session: Session, actor: Actor, incident_id: int) -> GoldBoard:
    """Gold's page: for those who command the incident."""
    require(actor, Permission.INCIDENT_COMMAND)
    incident = get_incident(session, actor, incident_id)
    return GoldBoard(
        incident=incident,
        since_declared=elapsed(incident.declared_at, now()) if incident.declared_at else "",
        board=activations_board(session, actor, incident_id),
        latest_methane=latest_methane(session, actor, incident_id),
        log=decision_log(session, actor, incident_id),
        timeline=timeline(session, actor, incident_id),
    )
