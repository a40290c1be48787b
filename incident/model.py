"""The incident domain's tables. History tables (status changes, M/ETHANE versions, the decision
log, activation stage changes, handovers) are append-only: the migration adds triggers that
refuse UPDATE and DELETE, because the public inquiry reads them as evidence."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now
from core.db import Base


class IncidentStatus(StrEnum):
    STANDBY = "standby"
    DECLARED = "declared"
    RESPONSE = "response"
    RECOVERY = "recovery"
    STOOD_DOWN = "stood_down"
    CANCELLED = "cancelled"


class ActivationStage(StrEnum):
    REQUESTED = "requested"
    STANDING_UP = "standing_up"
    OPERATIONAL = "operational"
    STOOD_DOWN = "stood_down"


class CommandLevel(StrEnum):
    STRATEGIC = "strategic"  # Gold
    TACTICAL = "tactical"  # Silver
    OPERATIONAL = "operational"  # Bronze


class Incident(Base):
    __tablename__ = "incident"
    __table_args__ = (UniqueConstraint("name", "opened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    # Exercise data never mixes with live data: every live view filters on this.
    is_exercise: Mapped[bool] = mapped_column(index=True)
    # The current status; its history (who, when, why) is IncidentStatusChange.
    status: Mapped[str] = mapped_column(String(20), default=IncidentStatus.STANDBY.value)
    summary: Mapped[str] = mapped_column(Text, default="")
    opened_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    declared_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class IncidentStatusChange(Base):
    """One move of an incident's status. Append-only."""

    __tablename__ = "incident_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))  # "" when the incident was opened
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    by_name: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)


class MethaneReport(Base):
    """One version of the M/ETHANE message. Every update is a new row. Append-only."""

    __tablename__ = "methane_report"
    __table_args__ = (UniqueConstraint("incident_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    version: Mapped[int]
    major_incident: Mapped[str] = mapped_column(String(20))
    exact_location: Mapped[str] = mapped_column(Text)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    cordon_radius_m: Mapped[float | None]
    incident_type: Mapped[str] = mapped_column(Text)
    hazards: Mapped[str] = mapped_column(Text)
    access: Mapped[str] = mapped_column(Text)
    casualties: Mapped[str] = mapped_column(Text)
    emergency_services: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_by_name: Mapped[str] = mapped_column(String(120))


class DecisionLogEntry(Base):
    """One entry of Gold's decision log. Append-only and hash-chained per incident; a correction
    is a new entry pointing at the one it strikes through."""

    __tablename__ = "decision_log_entry"
    __table_args__ = (UniqueConstraint("incident_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    sequence: Mapped[int]  # 1, 2, 3… within the incident: the entry number people quote
    decided_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    decision_maker: Mapped[str] = mapped_column(String(160))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(120))
    decision: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    options_considered: Mapped[str] = mapped_column(Text, default="")
    late_reason: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("decision_log_entry.id"))
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ActivationService(Base):
    """The catalogue of services Gold can stand up: data an administrator extends."""

    __tablename__ = "activation_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)


class ServiceActivation(Base):
    """One catalogue service switched on for an incident, with its lead agency."""

    __tablename__ = "service_activation"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("activation_service.id"))
    lead_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    # The current stage; its history (who, when) is ActivationStageChange.
    stage: Mapped[str] = mapped_column(String(20), default=ActivationStage.REQUESTED.value)
    notes: Mapped[str] = mapped_column(Text, default="")


class ActivationStageChange(Base):
    """One step of an activation's lifecycle. Append-only."""

    __tablename__ = "activation_stage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    activation_id: Mapped[int] = mapped_column(ForeignKey("service_activation.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    by_name: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")


class ActivationAuthority(Base):
    """What authorised one step of an activation (its request, its stand-down): the decision-log
    entry, or, while that decision is not in the log yet, the reason it is missing. Append-only."""

    __tablename__ = "activation_authority"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_change_id: Mapped[int] = mapped_column(ForeignKey("activation_stage_change.id"), unique=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision_log_entry.id"), index=True)
    late_reason: Mapped[str] = mapped_column(Text, default="")  # why no entry authorises it yet


class Delegation(Base):
    """The police and crime commissioner's delegation of standing up victim support to the force:
    what, to whom, from when (until when, if it says), on which document. One per force, not per
    incident: it is a standing scheme, and an incident is covered by the one in force on the day it
    was declared. Append-only: a new delegation from a later (or the same) day takes over."""

    __tablename__ = "delegation"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegated_by: Mapped[str] = mapped_column(String(160))  # the commissioner
    delegated_to: Mapped[str] = mapped_column(String(160))  # e.g. the Chief Constable
    scope: Mapped[str] = mapped_column(Text)  # what is delegated
    effective_from: Mapped[date]
    effective_until: Mapped[date | None]
    document_reference: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(120))


class Hub(Base):
    """A Victim and Witness Hub or another site (reception centre, Humanitarian Assistance Centre)."""

    __tablename__ = "hub"
    __table_args__ = (UniqueConstraint("incident_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(40), default="victim_and_witness_hub")
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    opening_hours: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int | None]
    contact: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)


class Commander(Base):
    """A named strategic, tactical or operational commander of one agency. `ended_at` is set
    when they hand over; the handover itself is a CommandHandover row."""

    __tablename__ = "commander"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    level: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(160))
    contact: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    assigned_by_name: Mapped[str] = mapped_column(String(120))


class CommandHandover(Base):
    """Command passed from one commander to the next, with the briefing given. Append-only."""

    __tablename__ = "command_handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    outgoing_id: Mapped[int] = mapped_column(ForeignKey("commander.id"))
    incoming_id: Mapped[int] = mapped_column(ForeignKey("commander.id"))
    handed_over_at: Mapped[datetime]
    briefing: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by_name: Mapped[str] = mapped_column(String(120))


class IncidentTeamMember(Base):
    """A caseworker on an incident's team, from assignment until removal. Caseworkers see only the
    incidents they are on now; a removal closes the row (never deletes it), so the history of who
    could see the incident, and who decided it, stays. A return is a new row."""

    __tablename__ = "incident_team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    assigned_at: Mapped[datetime]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    assigned_by_name: Mapped[str] = mapped_column(String(120))
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    removed_by_name: Mapped[str] = mapped_column(String(120), default="")
    removal_reason: Mapped[str] = mapped_column(Text, default="")


# Tables whose rows are evidence: the migration refuses UPDATE and DELETE on them.
APPEND_ONLY_TABLES = (
    "incident_status_change", "methane_report", "decision_log_entry", "activation_stage_change", "command_handover",
    "activation_authority", "delegation",
)
