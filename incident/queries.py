"""What the other domains may read of an incident, its hubs and its team, or lock: plain facts and
selects of ids, never the incident's rows. rosters, notifications and pathways import this module,
not incident.model (an import-linter contract in pyproject.toml). A new need is a new function
here, named for what it answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from incident.model import Hub, Incident, IncidentTeamMember


@dataclass(frozen=True)
class IncidentFacts:
    id: int
    name: str
    is_exercise: bool
    status: str
    opened_on: date
    started_at: datetime  # declared, else opened: what follow-up schedules count from
    closed_at: datetime | None


def incident_facts(session: Session, incident_id: int | None) -> IncidentFacts | None:
    incident = session.get(Incident, incident_id) if incident_id is not None else None
    if incident is None:
        return None
    return IncidentFacts(incident.id, incident.name, incident.is_exercise, incident.status, incident.opened_on,
                         incident.declared_at or incident.created_at, incident.closed_at)


def is_exercise(session: Session, incident_id: int | None) -> bool:
    """Whether the incident is an exercise (False when there is none): its texts say EXERCISE."""
    incident = session.get(Incident, incident_id) if incident_id is not None else None  # loaded once a unit of work
    return bool(incident and incident.is_exercise)


def incident_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return dict(session.execute(select(Incident.id, Incident.name).where(Incident.id.in_(wanted))).all())


def exercise_incident_ids() -> Select:
    """The exercise incidents' ids, to use inside a query (`X.incident_id.in_(...)`)."""
    return select(Incident.id).where(Incident.is_exercise.is_(True))


def incident_ids_closed_before(cutoff: datetime) -> Select:
    """Ids of incidents stood down (or cancelled) before `cutoff`, to use inside a query."""
    return select(Incident.id).where(Incident.closed_at < cutoff)


# ---------------------------------------------------------------------------------------
# Hubs


@dataclass(frozen=True)
class HubFacts:
    id: int
    incident_id: int
    name: str
    postcode: str


def _hub_facts(hub: Hub) -> HubFacts:
    return HubFacts(hub.id, hub.incident_id, hub.name, hub.postcode)


def hubs_of(session: Session, incident_id: int) -> list[HubFacts]:
    """The incident's hubs and sites, by name."""
    return [_hub_facts(h) for h in session.scalars(
        select(Hub).where(Hub.incident_id == incident_id).order_by(Hub.name))]


def hub_facts(session: Session, hub_id: int | None) -> HubFacts | None:
    hub = session.get(Hub, hub_id) if hub_id is not None else None
    return _hub_facts(hub) if hub is not None else None


def hub_names(session: Session, incident_id: int) -> dict[int, str]:
    return dict(session.execute(select(Hub.id, Hub.name).where(Hub.incident_id == incident_id)).all())


def hub_postcodes(session: Session, incident_id: int) -> dict[int, str]:
    """Each hub's postcode, in the order the hubs were added."""
    return dict(session.execute(select(Hub.id, Hub.postcode).where(Hub.incident_id == incident_id)
                                .order_by(Hub.id)).all())


def lock_hub(session: Session, hub_id: int) -> None:
    """Lock the hub's row until the unit of work ends, so two clicks at once queue instead of both
    acting (a surge planned twice). NO KEY UPDATE: rows pointing at the hub may be added meanwhile."""
    session.scalar(select(Hub.id).where(Hub.id == hub_id).with_for_update(key_share=True))


# ---------------------------------------------------------------------------------------
# The incident team: the one definition of "on the team now"


def team_member_ids(incident_id: int) -> Select:
    """Ids of the users on the incident's team now, to use inside a query (`User.id.in_(...)`)."""
    return (select(IncidentTeamMember.user_id).where(IncidentTeamMember.removed_at.is_(None),
                                                     IncidentTeamMember.incident_id == incident_id))


def team_incident_ids(user_id: int | None) -> Select:
    """Ids of the incidents whose team this user is on now."""
    return (select(IncidentTeamMember.incident_id).where(IncidentTeamMember.removed_at.is_(None),
                                                         IncidentTeamMember.user_id == user_id))


def is_on_team(session: Session, incident_id: int, user_id: int | None) -> bool:
    return session.scalar(team_member_ids(incident_id).where(IncidentTeamMember.user_id == user_id)
                          .limit(1)) is not None
