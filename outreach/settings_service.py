"""An incident's outreach to the public, set by Gold or the hub manager: the service name and contact
number the public sees (never the incident's own name), the months of the rounds of checks, how
long a personal link lasts, when an unanswered invitation is reminded once, and which adult trauma
screen the check uses. Without a row the defaults hold; invitations wait for a service name and
a contact number."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.phone import normalise_phone, show_phone
from core.typed_text import one_line
from incident.queries import incident_facts
from outreach.lookups import incident_or_refuse
from outreach.model import DEFAULT_ROUND_MONTHS, OutreachSettings
from outreach.vocabulary import INCIDENT_CLOSED
from pathways.schedule import parse_months

TRAUMA_INSTRUMENTS = ("PCL-5", "TSQ")  # the adult trauma screens an incident chooses between
NAME_LENGTH = 120
LINK_DAYS = range(1, 91)
PUBLIC_WELSH = "cy"
PUBLIC_SETTINGS_SEEN_FOR_S = 10.0  # how stale a public page's header may be when another process changed it


@dataclass(frozen=True)
class IncidentOutreach:
    incident_id: int
    service_name: str
    service_name_cy: str
    contact_number: str  # E.164; "" until set
    round_months: tuple[int, ...]
    link_days: int
    reminder_days: int
    trauma_instrument: str
    is_exercise: bool

    @property
    def ready_to_invite(self) -> bool:
        return bool(self.service_name and self.contact_number)

    @property
    def contact_number_shown(self) -> str:
        return show_phone(self.contact_number) if self.contact_number else ""


@dataclass(frozen=True)
class PublicSettings:
    """What every public page of the incident shows: its service, a number to call, and which
    trauma screen an adult's check uses."""

    incident_id: int
    service_name: str
    service_name_cy: str  # the English name when no Welsh one was given
    contact_number: str  # as people dial it
    trauma_instrument: str
    is_exercise: bool

    def name_in(self, language: str) -> str:
        return self.service_name_cy if language == PUBLIC_WELSH else self.service_name


@dataclass(frozen=True)
class SettingsChanges:
    service_name: str
    contact_number: str
    service_name_cy: str = ""
    round_months: str = DEFAULT_ROUND_MONTHS
    link_days: int = 28
    reminder_days: int = 7
    trauma_instrument: str = "PCL-5"


def settings_for(session: Session, incident_id: int) -> IncidentOutreach:
    """The incident's settings, the defaults where none were saved (a step of the use cases)."""
    row = session.get(OutreachSettings, incident_id) or OutreachSettings(
        incident_id=incident_id, service_name="", service_name_cy="", contact_number="",
        round_months=DEFAULT_ROUND_MONTHS, link_days=28, reminder_days=7, trauma_instrument="PCL-5")
    facts = incident_facts(session, incident_id)
    return IncidentOutreach(incident_id, row.service_name, row.service_name_cy, row.contact_number,
                    parse_months(row.round_months), row.link_days, row.reminder_days, row.trauma_instrument,
                    bool(facts and facts.is_exercise))


def settings_to_write_with(session: Session, incident_id: int, why: str) -> IncidentOutreach:
    """The incident's settings for a message to the public, refused until its public service name and
    contact number are set; `why` says what the message needs them for."""
    outreach = settings_for(session, incident_id)
    if not outreach.ready_to_invite:
        raise InputError("Set the service's public name and contact number first (Outreach settings, by Gold or "
                         f"the hub manager): {why}.")
    return outreach


def outreach_settings(session: Session, actor: Actor, incident_id: int | None) -> IncidentOutreach:
    if not actor.can(Permission.OUTREACH_SETTINGS):
        require(actor, Permission.OUTREACH_RUN)
    return settings_for(session, incident_or_refuse(session, actor, incident_id).id)


def save_outreach_settings(session: Session, actor: Actor, incident_id: int | None,
                           changes: SettingsChanges) -> IncidentOutreach:
    require(actor, Permission.OUTREACH_SETTINGS)
    incident = incident_or_refuse(session, actor, incident_id)
    values = _checked(changes)
    row = session.get(OutreachSettings, incident.id)
    if row is None:
        row = OutreachSettings(incident_id=incident.id)
        session.add(row)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at, row.updated_by_id = now(), actor.user_id
    session.flush()
    record(session, actor, "update", "outreach_settings", incident.id, incident_id=incident.id,
           detail="fields: " + (", ".join(changed) or "none changed"))
    # Forgotten once the change is committed: a page read meanwhile would keep the old ones again.
    event.listen(session, "after_commit", lambda _session: _forget_public_settings(incident.id), once=True)
    return settings_for(session, incident.id)


def _checked(changes: SettingsChanges) -> dict[str, object]:
    name = one_line(" ".join(changes.service_name.split()), "The service name", NAME_LENGTH)
    if not name:
        raise InputError("Give the service's public name (e.g. 'Manchester Resilience Hub'): people are told "
                         "who is writing to them, never the incident's internal name.")
    try:
        number = normalise_phone(changes.contact_number)
    except ValueError as problem:
        raise InputError(f"Contact number: {problem}.") from None
    try:
        months = parse_months(changes.round_months)
    except ValueError as problem:
        raise InputError(f"Round months: {problem}.") from None
    if changes.link_days not in LINK_DAYS:
        raise InputError(f"A link lasts from {LINK_DAYS.start} to {LINK_DAYS.stop - 1} days.")
    if not 1 <= changes.reminder_days < changes.link_days:
        raise InputError("The reminder goes after at least a day, and before the link expires "
                         f"({changes.link_days} days).")
    if changes.trauma_instrument not in TRAUMA_INSTRUMENTS:
        raise InputError(f"The trauma screen is one of {', '.join(TRAUMA_INSTRUMENTS)}.")
    return {"service_name": name,
            "service_name_cy": one_line(" ".join(changes.service_name_cy.split()), "The Welsh service name",
                                        NAME_LENGTH),
            "contact_number": number, "round_months": ",".join(str(m) for m in months),
            "link_days": changes.link_days, "reminder_days": changes.reminder_days,
            "trauma_instrument": changes.trauma_instrument}


def public_settings(session: Session, incident_id: int) -> PublicSettings | None:
    """What the public pages of the incident show; None when there is no such incident."""
    if incident_facts(session, incident_id) is None:
        return None
    s = settings_for(session, incident_id)
    return PublicSettings(s.incident_id, s.service_name, s.service_name_cy or s.service_name,
                          s.contact_number_shown, s.trauma_instrument, s.is_exercise)


_recent_public: WeakKeyDictionary[Engine, dict[int, tuple[float, PublicSettings | None]]] = WeakKeyDictionary()
_recent_lock = threading.Lock()


def recent_public_settings(session: Session, incident_id: int) -> PublicSettings | None:
    """public_settings as this process read them at most PUBLIC_SETTINGS_SEEN_FOR_S ago: every public
    page shows them, and reading them is two of the few queries a page needs. A change saved in
    this process (the dashboard's server serves the public pages) shows at once; one saved by
    another process, within PUBLIC_SETTINGS_SEEN_FOR_S."""
    engine, clock = session.get_bind(), time.monotonic()
    with _recent_lock:
        seen = _recent_public.setdefault(engine, {})  # per database: tests and benches switch them
        hit = seen.get(incident_id)
    if hit is not None and clock - hit[0] < PUBLIC_SETTINGS_SEEN_FOR_S:
        return hit[1]
    settings = public_settings(session, incident_id)
    with _recent_lock:
        seen[incident_id] = (clock, settings)
    return settings


def _forget_public_settings(incident_id: int) -> None:
    with _recent_lock:
        for seen in _recent_public.values():
            seen.pop(incident_id, None)


def services_taking_referrals(session: Session) -> list[PublicSettings]:
    """The services the public self-referral page offers: every incident not stood down or
    cancelled whose outreach has a public name and a number to call, live ones first."""
    offered = []
    for incident_id in session.scalars(select(OutreachSettings.incident_id).where(
            OutreachSettings.service_name != "", OutreachSettings.contact_number != "")
            .order_by(OutreachSettings.incident_id)):
        facts = incident_facts(session, incident_id)
        if facts is not None and facts.status not in INCIDENT_CLOSED:
            offered.append(public_settings(session, incident_id))
    return sorted(offered, key=lambda s: s.is_exercise)
