"""Victim-support services: the catalogue (data an administrator extends) and their activation
for an incident, each with a lead agency, moving requested → standing up → operational → stood down."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now, show
from core.errors import InputError
from core.typed_text import free_text, one_line
from incident.access import require_incident_access
from incident.activation_authority import NamedEntry, check_authority, needs_authority
from incident.decision_service import struck_through
from incident.lifecycle import check_activation_move, is_closed, label, next_stages
from incident.lifecycle_service import actor_name, lock_incident, open_incident_or_refuse
from incident.model import (
    ActivationAuthority,
    ActivationService,
    ActivationStage,
    ActivationStageChange,
    DecisionLogEntry,
    ServiceActivation,
)

# The services a force usually stands up (JESIP, Manchester Arena and London Bridge reviews).
# Written into the catalogue the first time it is read, so an administrator can extend and retire
# entries without a code change; kept here only as that first content.
STARTER_CATALOGUE: tuple[tuple[str, str], ...] = (
    ("Victim and Witness Hub surge", "Extra staff and hours at the police Victim and Witness Hub."),
    ("Dedicated helpline", "A phone line for people affected, staffed by partner agencies."),
    ("Humanitarian Assistance Centre", "A one-stop site for bereaved families, survivors and witnesses."),
    ("Family liaison coordination", "Coordinating family liaison officers with bereaved and injured families."),
    ("Screen-and-treat mental health", "NHS trust outreach: screening about a month after, then treatment."),
    ("Bereavement support", "Specialist bereavement support (e.g. Cruse) for families and friends."),
    ("Practical support", "Housing, finance and employers: the practical help people need first."),
    ("Children and young people's support", "Support for under-18s and their families, with CAMHS."),
    ("Victims of Terrorism Unit liaison", "Liaison with the Home Office Victims of Terrorism Unit."),
)


# Two first readers on PostgreSQL queue on this lock instead of both writing the starter rows.
_CATALOGUE_LOCK = 726_003


def _ensure_catalogue(session: Session) -> None:
    def empty() -> bool:
        return session.scalar(select(func.count()).select_from(ActivationService)) == 0

    if not empty():
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CATALOGUE_LOCK})
    if empty():
        session.add_all(ActivationService(name=n, description=d) for n, d in STARTER_CATALOGUE)
        session.flush()


def catalogue(session: Session, actor: Actor, *, include_retired: bool = False) -> list[ActivationService]:
    require(actor, Permission.INCIDENT_VIEW)
    _ensure_catalogue(session)
    query = select(ActivationService).order_by(ActivationService.id)
    if not include_retired:
        query = query.where(ActivationService.active.is_(True))
    return list(session.scalars(query))


def add_catalogue_service(session: Session, actor: Actor, name: str, description: str) -> ActivationService:
    require(actor, Permission.CATALOGUE_MANAGE)
    _ensure_catalogue(session)
    name = one_line(" ".join(name.split()), "The service's name", 160)
    if not name:
        raise InputError("A service needs a name.")
    description = free_text(description, "What it is")
    if session.scalar(select(ActivationService.id).where(func.lower(ActivationService.name) == name.lower())):
        raise InputError(f"The catalogue already has a service named {name!r}.")
    service = ActivationService(name=name, description=description)
    session.add(service)
    session.flush()
    record(session, actor, "create", "activation_service", service.id)
    return service


def set_catalogue_service_active(session: Session, actor: Actor, service_id: int, active: bool) -> ActivationService:
    """Retire a service (no new activations) or bring it back. Past activations keep pointing at it."""
    require(actor, Permission.CATALOGUE_MANAGE)
    service = session.get(ActivationService, service_id)
    if service is None:
        raise InputError(f"No catalogue service {service_id}.")
    service.active = active
    record(session, actor, "update", "activation_service", service.id, detail=f"active={active}")
    return service


@dataclass(frozen=True)
class Authority:
    """What a step names as its authority: a decision-log entry (its id), or the reason none is named yet."""

    decision_id: int | None = None
    late_reason: str = ""


def _checked_authority(session: Session, authority: Authority, incident_id: int, stage: str) -> Authority:
    late_reason = free_text(authority.late_reason, "The reason the decision is not in the log yet", 1000)
    named = None
    if authority.decision_id is not None:
        entry = session.get(DecisionLogEntry, authority.decision_id)
        if entry is None:
            raise InputError(f"There is no decision-log entry {authority.decision_id}.")
        named = NamedEntry(entry.incident_id, entry.sequence, struck_through(session, entry.incident_id).get(entry.id))
    check_authority(stage, incident_id, named, late_reason)
    return Authority(authority.decision_id, late_reason)


def _log_stage(session: Session, actor: Actor, activation: ServiceActivation, note: str,
               authority: Authority) -> str:
    """The step, with its authority when it names one; returns the audit trail's words for the authority."""
    change = ActivationStageChange(activation_id=activation.id, stage=activation.stage, at=now(),
                                   by_user_id=actor.user_id, by_name=actor_name(actor), note=note)
    session.add(change)
    session.flush()
    if authority.decision_id is None and not authority.late_reason:
        return ""
    session.add(ActivationAuthority(stage_change_id=change.id, decision_id=authority.decision_id,
                                    late_reason=authority.late_reason))
    session.flush()
    if authority.decision_id is None:
        return ", authorising decision not in the log yet"
    return f", authorised by entry {session.get(DecisionLogEntry, authority.decision_id).sequence}"


def request_activation(session: Session, actor: Actor, incident_id: int, service_id: int, lead_agency_id: int,
                       note: str = "", authority: Authority = Authority()) -> ServiceActivation:
    """Gold asks for a service to be stood up, naming the lead agency and the decision-log entry
    that authorised it (or why that decision is not in the log yet)."""
    require(actor, Permission.INCIDENT_COMMAND)
    note = free_text(note, "The note", 1000)
    open_incident_or_refuse(session, incident_id, "activating a service")
    service = session.get(ActivationService, service_id)
    if service is None or not service.active:
        raise InputError("Choose a service from the catalogue (retired services cannot be activated).")
    agency = session.get(Agency, lead_agency_id)
    if agency is None or not agency.active:
        raise InputError("Choose an active partner agency to lead this service.")
    running = session.scalar(select(ServiceActivation.id).where(
        ServiceActivation.incident_id == incident_id, ServiceActivation.service_id == service_id,
        ServiceActivation.stage != ActivationStage.STOOD_DOWN.value))
    if running is not None:
        raise InputError(f"{service.name} is already activated for this incident; move it on the board instead.")
    authority = _checked_authority(session, authority, incident_id, ActivationStage.REQUESTED.value)
    activation = ServiceActivation(incident_id=incident_id, service_id=service_id, lead_agency_id=lead_agency_id,
                                   stage=ActivationStage.REQUESTED.value, notes=note)
    session.add(activation)
    session.flush()
    authorised = _log_stage(session, actor, activation, note, authority)
    record(session, actor, "create", "service_activation", activation.id, incident_id=incident_id,
           detail=f"service {service_id}, lead agency {lead_agency_id}{authorised}")
    return activation


def move_activation(session: Session, actor: Actor, activation_id: int, target: str, note: str = "",
                    authority: Authority = Authority()) -> ServiceActivation:
    """One step along requested → standing up → operational → stood down (stood down from any stage).
    A stand-down names the decision-log entry that authorised it (or why it is not in the log yet)."""
    require(actor, Permission.INCIDENT_COMMAND)
    note = free_text(note, "The note", 1000)
    activation = session.get(ServiceActivation, activation_id)
    if activation is None:
        raise InputError(f"No activation {activation_id}.")
    incident = lock_incident(session, activation.incident_id)
    session.refresh(activation)  # the stage as it is now, not as the page last saw it (double clicks)
    check_activation_move(activation.stage, target)
    # An ended incident brings no service up; one still running is closed off in the record.
    if target not in next_stages(activation.stage, incident_closed=is_closed(incident.status)):
        raise InputError(f"This incident is {label(incident.status)}; a service can only be stood down now, "
                         f"not moved to {label(target)}.")
    authority = _checked_authority(session, authority, activation.incident_id, target)
    previous, activation.stage = activation.stage, target
    authorised = _log_stage(session, actor, activation, note, authority)
    record(session, actor, "stage", "service_activation", activation.id, incident_id=activation.incident_id,
           detail=f"{previous} -> {target}{authorised}")
    return activation


@dataclass(frozen=True)
class StepAuthority:
    """The decision-log entry a step named (entry number, decision-maker, when decided), or the
    reason it named none."""

    sequence: int | None
    decision_maker: str
    decided_at: datetime | None
    late_reason: str


@dataclass(frozen=True)
class StageStep:
    stage: str
    at: datetime
    by: str
    note: str
    authority: StepAuthority | None = None  # None: the step named none (one that needs none, or an older one)


def authority_words(step: StageStep, typed: Callable[[str], str] = str) -> str:
    """What authorised a request or stand-down, in words: the decision-log entry (number, decision-maker,
    when decided), or why none is named; "" for a step that needs no authority. `typed` guards what a
    person typed (a page's markdown escape; reports escape the whole line themselves)."""
    if not needs_authority(step.stage):
        return ""
    a = step.authority
    if a is None:
        return "no authorising decision recorded"
    if a.sequence is None:
        return f"authorising decision not in the log yet: {typed(a.late_reason)}"
    return f"authorised by entry {a.sequence} ({typed(a.decision_maker)}, decided {show(a.decided_at)})"


@dataclass(frozen=True)
class BoardCard:
    activation_id: int
    service: str
    lead_agency: str
    stage: str
    since: datetime
    steps: tuple[StageStep, ...]

    @property
    def stage_label(self) -> str:
        return label(self.stage)

    @property
    def authorised_steps(self) -> tuple[StageStep, ...]:
        """Its request and its stand-down: the steps that name what authorised them."""
        return tuple(step for step in self.steps if needs_authority(step.stage))


def activations_board(session: Session, actor: Actor, incident_id: int) -> list[BoardCard]:
    """Every activation of the incident, in catalogue order, with its stage history."""
    require(actor, Permission.INCIDENT_VIEW)
    require_incident_access(session, actor, incident_id)
    return activation_cards(session, incident_id)


def _authorities(session: Session, change_ids: list[int]) -> dict[int, StepAuthority]:
    rows = session.execute(
        select(ActivationAuthority, DecisionLogEntry)
        .join(DecisionLogEntry, DecisionLogEntry.id == ActivationAuthority.decision_id, isouter=True)
        .where(ActivationAuthority.stage_change_id.in_(change_ids)))
    return {a.stage_change_id: StepAuthority(e.sequence if e else None, e.decision_maker if e else "",
                                             e.decided_at if e else None, a.late_reason) for a, e in rows}


def activation_cards(session: Session, incident_id: int) -> list[BoardCard]:
    """The board's cards, for the services that decide who may read them (the board, governance)."""
    rows = session.execute(
        select(ServiceActivation, ActivationService.name, Agency.name)
        .join(ActivationService, ActivationService.id == ServiceActivation.service_id)
        .join(Agency, Agency.id == ServiceActivation.lead_agency_id)
        .where(ServiceActivation.incident_id == incident_id)
        .order_by(ActivationService.id, ServiceActivation.id)
    ).all()
    steps: dict[int, list[StageStep]] = {}
    if rows:
        changes = list(session.scalars(select(ActivationStageChange).where(
            ActivationStageChange.activation_id.in_([a.id for a, _, _ in rows])).order_by(ActivationStageChange.id)))
        authorities = _authorities(session, [c.id for c in changes])
        for change in changes:
            steps.setdefault(change.activation_id, []).append(StageStep(change.stage, change.at, change.by_name,
                                                                        change.note, authorities.get(change.id)))
    return [BoardCard(a.id, service, agency, a.stage, steps[a.id][-1].at, tuple(steps[a.id]))
            for a, service, agency in rows]
