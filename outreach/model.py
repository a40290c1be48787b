"""Tables of the outreach domain: reaching people affected who have not come forward.

A cohort is a list someone else holds (ticket purchasers, a witness list, casualty bureau
enquiries, a school's list) imported into an incident: contact details, not cases. A contact
becomes a case (a pathways person, `person_id`) when they answer a wellbeing check or a
caseworker decides. Each round of checks gives each contact one invitation with a personal link:
only the sha256 of the link's random token is stored, never the token. A wellbeing check's
answers between pages are kept encrypted in `check_draft` (no session affinity: the state is here).
A self-referral from the public waits in a triage queue until a caseworker accepts, merges or
declines it.

Names, contact details and dates of birth are personal data with retention rules
(outreach.retention); the free text people write us and their draft answers are encrypted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now
from core.crypto import EncryptedText
from core.db import Base

DEFAULT_ROUND_MONTHS = "1,3,6,9,12,24,30,36"


class OutreachSettings(Base):
    """One incident's outreach to the public, set by Gold or the hub manager. The public sees the
    service name and contact number on every page and in every message, never the incident's name."""

    __tablename__ = "outreach_settings"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), primary_key=True)
    service_name: Mapped[str] = mapped_column(String(120), default="")
    service_name_cy: Mapped[str] = mapped_column(String(120), default="")  # Welsh; blank: the English name
    contact_number: Mapped[str] = mapped_column(String(40), default="")
    round_months: Mapped[str] = mapped_column(String(60), default=DEFAULT_ROUND_MONTHS)
    link_days: Mapped[int] = mapped_column(default=28)
    reminder_days: Mapped[int] = mapped_column(default=7)
    trauma_instrument: Mapped[str] = mapped_column(String(10), default="PCL-5")
    updated_at: Mapped[datetime] = mapped_column(default=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Cohort(Base):
    __tablename__ = "cohort"
    __table_args__ = (UniqueConstraint("incident_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    name: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(200))  # where the list came from (its first import)
    lawful_basis: Mapped[str] = mapped_column(String(40))  # a code of outreach.vocabulary.LAWFUL_BASES
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class CohortImport(Base):
    """One file imported into a cohort: where it came from, and what it gave."""

    __tablename__ = "cohort_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(200))
    imported: Mapped[int]
    merged: Mapped[int]
    rejected: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(default=now)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Contact(Base):
    """One person of a cohort. `given_key`/`family_key` are the names without case or accents, what
    merging compares; a blank name conflicts with nothing."""

    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_cohort_email", "cohort_id", "email"),
        Index("ix_contact_cohort_mobile", "cohort_id", "mobile"),
        Index("ix_contact_incident_person", "incident_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"))
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("cohort_import.id"))
    contact_ref: Mapped[str] = mapped_column(String(80), default="")
    given_name: Mapped[str] = mapped_column(String(80), default="")
    family_name: Mapped[str] = mapped_column(String(80), default="")
    given_key: Mapped[str] = mapped_column(String(80), default="")
    family_key: Mapped[str] = mapped_column(String(80), default="")
    email: Mapped[str | None] = mapped_column(String(254))  # lower case (core.email_address)
    mobile: Mapped[str | None] = mapped_column(String(20))  # E.164
    postcode: Mapped[str] = mapped_column(String(10), default="")
    nation: Mapped[str] = mapped_column(String(20), default="")
    force_area: Mapped[str] = mapped_column(String(60), default="")
    date_of_birth: Mapped[date | None]
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    rows_merged: Mapped[int] = mapped_column(default=0)  # later rows of the lists merged into this one
    unsubscribed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)


class ContactAddress(Base):
    """Another email or mobile a contact's list rows gave (the contact keeps the first): the
    contact is found by it too when a list is merged, so importing it again finds everyone."""

    __tablename__ = "contact_address"
    __table_args__ = (UniqueConstraint("contact_id", "kind", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    kind: Mapped[str] = mapped_column(String(10))  # email, mobile
    address: Mapped[str] = mapped_column(String(254))


class Invitation(Base):
    """One contact's invitation to one round of checks. The link's token is random (192 bits) and
    stored only as its sha256; a reminder carries a second link to the same invitation (the first
    token is not kept to send again). Single use: `used_at` is set once, by the submit."""

    __tablename__ = "invitation"
    __table_args__ = (
        UniqueConstraint("contact_id", "round"),
        Index("ix_invitation_cohort_round", "cohort_id", "round"),
        Index("ix_invitation_reminder_due", "reminder_sent_at", "used_at", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"))
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    round: Mapped[int]  # 1-based: the first entry of the incident's round months is round 1
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    reminder_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    channels: Mapped[str] = mapped_column(String(40))  # comma-separated channel names it went by
    sent_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    reminder_sent_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    progress: Mapped[str] = mapped_column(String(40), default="")  # the page of the check reached
    completed_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    # What the check found, in clear as pathways keeps a screening's flag: what the counts need.
    screened_positive: Mapped[bool | None]
    raised_alert: Mapped[bool] = mapped_column(default=False)


class InvitationMessage(Base):
    """A message the outbox holds for an invitation (or its reminder), by channel: delivery and
    bounces are read from the outbox's status for it (notifications.queries)."""

    __tablename__ = "invitation_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), index=True)
    message_id: Mapped[int] = mapped_column(index=True)  # notifications' outbound message
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))  # invitation, reminder


class CohortUpdate(Base):
    """An update sent to a cohort's contacts, each once: those registered as people by their own chosen
    channel (pathways keeps that part, on their records), the rest by the list's mobile, else its
    email. Its text is kept in clear: an update never holds anything health-related."""

    __tablename__ = "cohort_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(default=now)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reached: Mapped[int]
    not_reached: Mapped[int]


class CohortUpdateMessage(Base):
    """A message of a cohort update to a contact not registered as a person: the outbox message, its
    channel, and for an email the sha256 of its unsubscribe link's token (/support/stop/{token})."""

    __tablename__ = "cohort_update_message"

    message_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # notifications' message
    update_id: Mapped[int] = mapped_column(ForeignKey("cohort_update.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    unsubscribe_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class CheckDraft(Base):
    """A wellbeing check's answers so far, between pages; gone once submitted."""

    __tablename__ = "check_draft"

    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), primary_key=True)
    answers: Mapped[str] = mapped_column(EncryptedText)  # JSON
    page: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(default=now)


class SelfReferral(Base):
    """Someone referring themselves, or someone else with that person's agreement, from the public
    page (or a parent's request to be called about a young child, from a check: `contact_id`)."""

    __tablename__ = "self_referral"
    __table_args__ = (Index("ix_self_referral_incident_status", "incident_id", "status", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=now)
    about: Mapped[str] = mapped_column(String(20))  # self, someone_else
    agreement_confirmed: Mapped[bool] = mapped_column(default=False)
    referrer_name: Mapped[str] = mapped_column(String(120), default="")  # when about someone else
    referrer_contact: Mapped[str] = mapped_column(String(254), default="")
    given_name: Mapped[str] = mapped_column(String(80))
    family_name: Mapped[str] = mapped_column(String(80), default="")
    date_of_birth: Mapped[date | None]
    email: Mapped[str] = mapped_column(String(254), default="")
    mobile: Mapped[str] = mapped_column(String(20), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    message: Mapped[str] = mapped_column(EncryptedText, default="")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    status: Mapped[str] = mapped_column(String(10), default="new")  # new, accepted, merged, declined
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(EncryptedText, default="")


class FeedbackOffer(Base):
    """A short satisfaction survey offered to a registered person on one occasion (at discharge, or
    6 months after registration): once per person per occasion. By a personal link to the public
    survey page (only the link token's sha256 kept, as for invitations) or, where no link can be
    sent, as an SMS asking for a reply from 1 to 5. The answers are figures only; what the person
    writes goes to their record (pathways), never here."""

    __tablename__ = "feedback_offer"
    __table_args__ = (
        UniqueConstraint("person_id", "occasion"),
        Index("ix_feedback_offer_incident_offered", "incident_id", "offered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    occasion: Mapped[str] = mapped_column(String(12))  # outreach.feedback_rules.Occasion
    channel: Mapped[str] = mapped_column(String(12))  # outreach.feedback_rules.FeedbackChannel
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # a link's; None for a reply scale
    offered_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    satisfaction: Mapped[int | None]  # 1 very dissatisfied … 5 very satisfied
    kept_informed: Mapped[bool | None]  # None: not asked (the reply scale asks only the first question)
    treated_with_respect: Mapped[bool | None]
    contact_wanted: Mapped[bool | None]
