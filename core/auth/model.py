from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now
from core.db import Base


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(
            "role IN ('gold','hub_manager','agency_coordinator','caseworker','admin','auditor','advocate')",
            name="role_known",
        ),
        CheckConstraint("role != 'agency_coordinator' OR agency_id IS NOT NULL", name="coordinator_has_agency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(30))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    # None for users who sign in through the force's identity provider only.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_login_at: Mapped[datetime | None]
    # Set by an administrator's password reset: the next sign-in must choose a new password first.
    must_change_password: Mapped[bool] = mapped_column(default=False)
