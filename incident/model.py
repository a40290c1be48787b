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


class Incident(Base):
    __tablename__ = "incident"
    __table_args__ = (UniqueConstraint("name", "opened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    # Exercise data never mixes with live data: every live view filters on this.
    is_exercise: Mapped[bool] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default=IncidentStatus.STANDBY.value)
    summary: Mapped[str] = mapped_column(Text, default="")
    opened_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    declared_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


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
