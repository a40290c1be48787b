"""Rosters tables: partner agencies' staff, their availability, the shifts a hub needs, and
who is assigned to them.

Agencies themselves live in core (core.agencies.model.Agency); hubs in incident.model.Hub.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import now
from core.db import Base
from rosters.contact_preferences import DEFAULT_CONTACT_BY


class StaffMember(Base):
    """One person on a partner agency's roster. Upserted by (agency_id, staff_ref)."""

    __tablename__ = "staff_member"
    __table_args__ = (
        UniqueConstraint("agency_id", "staff_ref"),
        CheckConstraint("max_hours_per_week IS NULL OR (max_hours_per_week > 0 AND max_hours_per_week <= 168)",
                        name="hours_in_a_week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    staff_ref: Mapped[str] = mapped_column(String(60))
    first_name: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120))
    mobile: Mapped[str] = mapped_column(String(20), index=True)  # E.164 (core.phone.normalise_mobile)
    email: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(80))  # rosters.skills.normalise_role form
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)  # canonical names, rosters.skills.SKILLS
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # rosters.skills.normalise_language form
    dbs_level: Mapped[str | None] = mapped_column(String(10))  # basic, standard, enhanced
    dbs_expiry: Mapped[date | None]
    pfa_trained_on: Mapped[date | None]
    home_postcode: Mapped[str | None] = mapped_column(String(10))
    max_hours_per_week: Mapped[float | None]
    active: Mapped[bool] = mapped_column(default=True)
    # Set by notifications when the person texts STOP (and cleared on START): never text them.
    sms_opted_out: Mapped[bool] = mapped_column(default=False)
    # How a call-out reaches them (rosters.contact_preferences.ContactBy). Checked where it is typed,
    # not by a CHECK: SQLite adds one by copying the table, and dropping the old copy would cascade.
    contact_by: Mapped[str] = mapped_column(String(20), default=DEFAULT_CONTACT_BY.value)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    # Read with the person (one query for all loaded together): every hard-rule check needs them.
    trainings: Mapped[list[StaffTraining]] = relationship(lazy="selectin", passive_deletes=True,
                                                          order_by="StaffTraining.completed_on")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class StaffTraining(Base):
    """A course a person completed (rosters.training): recorded on the staff page. Kept when a
    refresher is recorded, so the history shows; the latest counts."""

    __tablename__ = "staff_training"
    __table_args__ = (UniqueConstraint("staff_id", "course", "completed_on"),
                      CheckConstraint("expires_on IS NULL OR expires_on > completed_on", name="expires_after_done"))

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"), index=True)
    course: Mapped[str] = mapped_column(String(80))
    completed_on: Mapped[date]
    expires_on: Mapped[date | None]
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by: Mapped[str] = mapped_column(String(80), default="")


class RoleTraining(Base):
    """A course everyone working in a role must hold current (rosters.role_training_service), checked
    like the course a shift requires: a hub's support workers need psychological first aid."""

    __tablename__ = "role_training"

    role: Mapped[str] = mapped_column(String(80), primary_key=True)  # rosters.skills.normalise_role form
    course: Mapped[str] = mapped_column(String(80), primary_key=True)  # rosters.training.COURSES
    set_at: Mapped[datetime] = mapped_column(default=now)
    set_by: Mapped[str] = mapped_column(String(80), default="")


class Availability(Base):
    """A window a person said they are available (available=True) or not (False)."""

    __tablename__ = "staff_availability"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    available: Mapped[bool]
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by: Mapped[str] = mapped_column(String(80), default="")

    staff: Mapped[StaffMember] = relationship()


class ShiftRequirement(Base):
    """`headcount` people of `role` at a hub from starts_at to ends_at. People on it work from
    the briefing (before the start) to the debrief (after the end) when those are set."""

    __tablename__ = "shift_requirement"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("headcount > 0", name="headcount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    role: Mapped[str] = mapped_column(String(80))  # rosters.skills.normalise_role form
    headcount: Mapped[int]
    needs_enhanced_dbs: Mapped[bool] = mapped_column(default=False)
    # A course of rosters.training.COURSES everyone on the shift must hold, current to its last day.
    needs_training: Mapped[str | None] = mapped_column(String(80))
    briefing_at: Mapped[datetime | None]
    debrief_at: Mapped[datetime | None]
    # Requirements made together by one repeating pattern share this, so they can be found together.
    pattern: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by: Mapped[str] = mapped_column(String(80), default="")

    needs: Mapped[list[RequirementSkill]] = relationship(
        back_populates="requirement", cascade="all, delete-orphan", order_by="RequirementSkill.id"
    )


class NeedKind(StrEnum):
    SKILL = "skill"
    LANGUAGE = "language"


class RequirementSkill(Base):
    """Of the requirement's headcount, at least `count` must hold this skill (or speak this language)."""

    __tablename__ = "requirement_skill"
    __table_args__ = (
        UniqueConstraint("requirement_id", "kind", "name"),
        CheckConstraint("kind IN ('skill','language')", name="kind_known"),
        CheckConstraint("count > 0", name="count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("shift_requirement.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # NeedKind
    name: Mapped[str] = mapped_column(String(80))  # canonical skill, or normalised language
    count: Mapped[int]

    requirement: Mapped[ShiftRequirement] = relationship(back_populates="needs")


class AgencyContribution(Base):
    """What a partner agency agreed to give an incident (rosters.contribution): people a day, in
    which roles, from when until when. One per agency and incident; a new agreement replaces it
    (the audit trail keeps each)."""

    __tablename__ = "agency_contribution"
    __table_args__ = (
        UniqueConstraint("incident_id", "agency_id"),
        CheckConstraint("staff_per_day > 0", name="people_a_day_positive"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    staff_per_day: Mapped[int]
    roles: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by: Mapped[str] = mapped_column(String(80), default="")


class AssignmentSource(StrEnum):
    MANUAL = "manual"
    AUTOFILL = "autofill"
    CALLOUT = "callout"


class Assignment(Base):
    """A person on a requirement. Withdrawn rows are kept (withdrawn_at set); assigning the same
    person again revives the row, so one person is never on one requirement twice."""

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("requirement_id", "staff_id"),
        CheckConstraint("source IN ('manual','autofill','callout')", name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("shift_requirement.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    source: Mapped[str] = mapped_column(String(10), default=AssignmentSource.MANUAL.value)
    assigned_at: Mapped[datetime] = mapped_column(default=now)
    assigned_by: Mapped[str] = mapped_column(String(80), default="")
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str] = mapped_column(String(300), default="")

    requirement: Mapped[ShiftRequirement] = relationship()
    staff: Mapped[StaffMember] = relationship()
