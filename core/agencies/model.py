"""Partner agencies. They live in core because activation, rosters, notifications and
pathways all point at them, and sibling domains must not import each other."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now
from core.db import Base


class AgencyKind(StrEnum):
    POLICE = "police"
    NHS_TRUST = "nhs_trust"
    LOCAL_AUTHORITY = "local_authority"
    CHARITY = "charity"
    OTHER = "other"


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=AgencyKind.OTHER.value)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    coordinator_mobile: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
