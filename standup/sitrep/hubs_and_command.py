"""The hubs and who commands the incident, for the situation report: each hub with its contact and
how it is staffed (from the shifts the report already counted), the commanders holding command now,
and the handovers recorded since the last report. Read from the incident's tables directly: the
situation report is the composition layer's read model."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from core.agencies.model import Agency
from incident.command_service import LEVEL_TITLES
from incident.hub_service import HUB_KINDS
from incident.model import Commander, CommandHandover, Hub
from rosters.coverage_queries import ShiftCoverage
from standup.sitrep.report import CommandLine, Handover, HubLine


def hub_lines(session: Session, incident_id: int, shifts: Iterable[ShiftCoverage], at: datetime) -> tuple[HubLine, ...]:
    """Every hub by name; `shifts` are the shifts under way or starting in the next 24 hours."""
    on_now, needed_now, short, places_open = {}, {}, {}, {}
    for c in shifts:
        if c.starts_at <= at:
            on_now[c.hub_id] = on_now.get(c.hub_id, 0) + c.filled
            needed_now[c.hub_id] = needed_now.get(c.hub_id, 0) + c.needed
        short[c.hub_id] = short.get(c.hub_id, 0) + c.is_gap
        places_open[c.hub_id] = places_open.get(c.hub_id, 0) + c.places_short
    return tuple(
        HubLine(h.name, HUB_KINDS.get(h.kind, h.kind), " ".join(p for p in (h.address, h.postcode) if p),
                h.opening_hours, h.capacity, h.contact, on_now.get(h.id, 0), needed_now.get(h.id, 0),
                short.get(h.id, 0), places_open.get(h.id, 0))
        for h in session.scalars(select(Hub).where(Hub.incident_id == incident_id).order_by(Hub.name)))


def _level_order(level: str) -> int:
    return list(LEVEL_TITLES).index(level) if level in LEVEL_TITLES else len(LEVEL_TITLES)


def command_now(session: Session, incident_id: int) -> tuple[CommandLine, ...]:
    """Who holds command now: strategic first, then tactical and operational, by agency."""
    rows = session.execute(select(Commander, Agency.name).join(Agency, Agency.id == Commander.agency_id)
                           .where(Commander.incident_id == incident_id, Commander.ended_at.is_(None))).all()
    rows = sorted(rows, key=lambda r: (_level_order(r[0].level), r[1], r[0].started_at))
    return tuple(CommandLine(LEVEL_TITLES.get(c.level, c.level), agency, c.name, c.contact, c.started_at)
                 for c, agency in rows)


def handovers_since(session: Session, incident_id: int, since: datetime | None) -> tuple[Handover, ...]:
    """Handovers recorded after `since` (all of them when None), by when command passed. Picked by
    when they were recorded, as decisions are: one recorded late still reaches the next report."""
    outgoing, incoming = aliased(Commander), aliased(Commander)
    q = (select(CommandHandover, outgoing, incoming.name, Agency.name)
         .join(outgoing, outgoing.id == CommandHandover.outgoing_id)
         .join(incoming, incoming.id == CommandHandover.incoming_id)
         .join(Agency, Agency.id == outgoing.agency_id)
         .where(CommandHandover.incident_id == incident_id))
    if since is not None:
        q = q.where(CommandHandover.recorded_at > since)
    return tuple(Handover(h.handed_over_at, LEVEL_TITLES.get(out.level, out.level), agency, out.name, incoming_name,
                          h.briefing)
                 for h, out, incoming_name, agency in session.execute(q.order_by(CommandHandover.handed_over_at)))
