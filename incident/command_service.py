"""Command structure: named strategic, tactical and operational commanders per agency, and
the handovers between them (outgoing, incoming, time, briefing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.typed_text import free_text, one_line
from incident.access import require_incident_access
from incident.decision_timing import CLOCK_SKEW
from incident.lifecycle_service import actor_name, open_incident_or_refuse
from incident.model import Commander, CommandHandover, CommandLevel

LEVEL_TITLES = {
    CommandLevel.STRATEGIC.value: "Strategic (Gold)",
    CommandLevel.TACTICAL.value: "Tactical (Silver)",
    CommandLevel.OPERATIONAL.value: "Operational (Bronze)",
}


def _current(session: Session, incident_id: int, agency_id: int, level: str) -> Commander | None:
    return session.scalar(select(Commander).where(
        Commander.incident_id == incident_id, Commander.agency_id == agency_id, Commander.level == level,
        Commander.ended_at.is_(None)))


def _name(name: str) -> str:
    name = one_line(" ".join(name.split()), "The commander's rank and name", 160)
    if not name:
        raise InputError("A commander needs a name (rank and name, e.g. 'Ch Supt A. Khan').")
    return name


def assign_commander(session: Session, actor: Actor, incident_id: int, agency_id: int, level: str, name: str,
                     contact: str = "") -> Commander:
    """Name the first commander of an agency at a level; later changes are handovers."""
    require(actor, Permission.INCIDENT_COMMAND)
    if level not in LEVEL_TITLES:
        raise InputError(f"Unknown command level {level!r}; allowed: {', '.join(LEVEL_TITLES)}.")
    name = _name(name)
    contact = one_line(contact, "The contact", 200)
    open_incident_or_refuse(session, incident_id, "changing the command structure")
    if session.get(Agency, agency_id) is None:
        raise InputError("Choose the commander's agency from the list.")
    current = _current(session, incident_id, agency_id, level)
    if current is not None:
        raise InputError(f"{current.name} already holds {LEVEL_TITLES[level]} command for this agency; "
                         "record a handover instead.")
    commander = Commander(incident_id=incident_id, agency_id=agency_id, level=level, name=name,
                          contact=contact, started_at=now(), assigned_by_name=actor_name(actor))
    session.add(commander)
    session.flush()
    record(session, actor, "create", "commander", commander.id, incident_id=incident_id)
    return commander


def hand_over(session: Session, actor: Actor, outgoing_id: int, incoming_name: str, handed_over_at: datetime,
              briefing: str, contact: str = "") -> CommandHandover:
    """The outgoing commander hands over to a named incoming one, with the briefing given."""
    require(actor, Permission.INCIDENT_COMMAND)
    incoming_name = _name(incoming_name)
    contact = one_line(contact, "The incoming commander's contact", 200)
    briefing = free_text(briefing, "The briefing")
    if not briefing:
        raise InputError("Record the briefing given at handover: what was passed on.")
    outgoing = session.get(Commander, outgoing_id)
    if outgoing is None:
        raise InputError(f"No commander {outgoing_id}.")
    open_incident_or_refuse(session, outgoing.incident_id, "changing the command structure")
    session.refresh(outgoing)
    if outgoing.ended_at is not None:
        raise InputError(f"{outgoing.name} has already handed over.")
    recorded_at = now()
    if handed_over_at - recorded_at > CLOCK_SKEW:
        raise InputError("The handover time is in the future; give the time command passed.")
    # Handover times are typed to the minute: one typed in the minute the outgoing commander took
    # command is at that moment, not before it.
    if handed_over_at < outgoing.started_at.replace(second=0, microsecond=0):
        raise InputError(f"The handover time is before {outgoing.name} took command.")
    handed_over_at = max(handed_over_at, outgoing.started_at)
    outgoing.ended_at = handed_over_at
    incoming = Commander(incident_id=outgoing.incident_id, agency_id=outgoing.agency_id, level=outgoing.level,
                         name=incoming_name, contact=contact, started_at=handed_over_at,
                         assigned_by_name=actor_name(actor))
    session.add(incoming)
    session.flush()
    handover = CommandHandover(incident_id=outgoing.incident_id, outgoing_id=outgoing.id, incoming_id=incoming.id,
                               handed_over_at=handed_over_at, briefing=briefing, recorded_at=recorded_at,
                               recorded_by_name=actor_name(actor))
    session.add(handover)
    session.flush()
    record(session, actor, "handover", "commander", outgoing.id, incident_id=outgoing.incident_id,
           detail=f"to commander {incoming.id}")
    return handover


@dataclass(frozen=True)
class CommanderLine:
    commander: Commander
    agency: str

    @property
    def level_title(self) -> str:
        return LEVEL_TITLES[self.commander.level]


def command_structure(session: Session, actor: Actor, incident_id: int, *, current_only: bool = True
                      ) -> list[CommanderLine]:
    """Commanders by agency then level (strategic first)."""
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    query = (select(Commander, Agency.name).join(Agency, Agency.id == Commander.agency_id)
             .where(Commander.incident_id == incident_id))
    if current_only:
        query = query.where(Commander.ended_at.is_(None))
    order = list(LEVEL_TITLES)
    rows = [CommanderLine(c, agency) for c, agency in session.execute(query)]
    return sorted(rows, key=lambda line: (line.agency, order.index(line.commander.level), line.commander.started_at))


@dataclass(frozen=True)
class HandoverLine:
    handover: CommandHandover
    outgoing: str
    incoming: str
    agency: str
    level: str


def handovers(session: Session, actor: Actor, incident_id: int) -> list[HandoverLine]:
    require(actor, Permission.INCIDENT_VIEW)
    lines = {c.commander.id: c for c in command_structure(session, actor, incident_id, current_only=False)}
    rows = session.scalars(select(CommandHandover).where(CommandHandover.incident_id == incident_id)
                           .order_by(CommandHandover.handed_over_at))
    return [HandoverLine(h, lines[h.outgoing_id].commander.name, lines[h.incoming_id].commander.name,
                         lines[h.outgoing_id].agency, lines[h.outgoing_id].level_title) for h in rows]
