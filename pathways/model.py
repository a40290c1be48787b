"""Tables of the pathways domain: affected people and everything done with and for them.

Health and needs content (screening answers and results, assessment notes, clinical notes,
safety alert text, accessibility needs, complaint text) is stored with `EncryptedText`.
What stays in clear is what the queues must filter and sort on: dates, statuses, the
"positive" flag of a screening and a needs risk level. Every row hangs from an incident, so
exercise data never mixes with live data.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now
from core.crypto import EncryptedText
from core.db import Base


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (
        # Search by name within an incident, and the caseload and Victims' Code queues of "my day".
        Index("ix_person_incident_family", "incident_id", "family_key", "given_key"),
        Index("ix_person_incident_dob", "incident_id", "date_of_birth"),
        Index("ix_person_incident_mobile", "incident_id", "mobile"),
        Index("ix_person_incident_worker", "incident_id", "key_worker_id", "status"),
        Index("ix_person_incident_referral_due", "incident_id", "first_referred_at", "referral_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    given_name: Mapped[str] = mapped_column(String(80))
    family_name: Mapped[str] = mapped_column(String(80))
    # Lower-case copies for search and duplicate blocking.
    given_key: Mapped[str] = mapped_column(String(80))
    family_key: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date | None]
    mobile: Mapped[str | None] = mapped_column(String(20))  # E.164
    email: Mapped[str] = mapped_column(String(200), default="")
    contact_by: Mapped[str] = mapped_column(String(10), default="")  # ContactBy; "" not chosen
    postcode: Mapped[str] = mapped_column(String(10), default="")
    nation: Mapped[str] = mapped_column(String(20), default="england")
    force_area: Mapped[str] = mapped_column(String(60), default="")
    roles: Mapped[str] = mapped_column(String(200))  # comma-separated PersonRole values
    source: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(60), default="English")
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    easy_read: Mapped[bool] = mapped_column(default=False)
    accessibility_needs: Mapped[str] = mapped_column(EncryptedText, default="")
    # Right 1: the day an interpreter or easy-read material was first given (None: not yet, or no need).
    communication_met_on: Mapped[date | None]
    # Equality monitoring (pathways.equality_monitoring), optional; None is "not recorded". Special
    # category data (UK GDPR art. 9), so encrypted like health data.
    sex: Mapped[str | None] = mapped_column(EncryptedText)
    ethnic_group: Mapped[str | None] = mapped_column(EncryptedText)
    disability: Mapped[str | None] = mapped_column(EncryptedText)
    victim_of_terrorism: Mapped[bool] = mapped_column(default=False)
    # Victims of sexual or domestic-abuse offences must give explicit consent before referral.
    sexual_or_domestic_abuse: Mapped[bool] = mapped_column(default=False)
    enhanced_rights: Mapped[bool] = mapped_column(default=False)
    key_worker_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, discharged
    discharge_outcome: Mapped[str] = mapped_column(String(40), default="")
    discharged_at: Mapped[datetime | None]
    registered_at: Mapped[datetime] = mapped_column(default=now)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    referral_due_at: Mapped[datetime]
    first_referred_at: Mapped[datetime | None]
    # A merged duplicate points at the record that carries on; nothing is deleted.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)


class FamilyLink(Base):
    __tablename__ = "family_link"
    __table_args__ = (UniqueConstraint("person_id", "relative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    relative_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=now)


class Consent(Base):
    """One decision about one purpose; a withdrawal closes it. The newest row per purpose is current."""

    __tablename__ = "consent"
    __table_args__ = (Index("ix_consent_person_purpose", "person_id", "purpose", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    purpose: Mapped[str] = mapped_column(String(20))  # vocabulary.Purpose
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))  # sharing with a named agency
    given: Mapped[bool] = mapped_column(Boolean)  # False records a refusal (an opt-out)
    explicit: Mapped[bool] = mapped_column(default=False)
    lawful_basis: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class EnhancedRightsAssessment(Base):
    __tablename__ = "enhanced_rights_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    entitled: Mapped[bool]
    reasons: Mapped[str] = mapped_column(Text)  # "; "-separated, from the rule module
    assessed_at: Mapped[datetime] = mapped_column(default=now)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class NeedsAssessment(Base):
    """Each reassessment is a new row: the history is the list."""

    __tablename__ = "needs_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    needs: Mapped[str] = mapped_column(EncryptedText)  # comma-separated need areas
    risk_level: Mapped[str] = mapped_column(String(10))  # low, medium, high
    notes: Mapped[str] = mapped_column(EncryptedText, default="")
    assessed_at: Mapped[datetime] = mapped_column(default=now)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Pathway(Base):
    __tablename__ = "pathway"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # Months after the anchor (incident or registration, whichever is later) when a screen is due.
    screening_months: Mapped[str] = mapped_column(String(60))  # e.g. "1,3,6,9,12"
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)


class PathwayStage(Base):
    __tablename__ = "pathway_stage"
    __table_args__ = (UniqueConstraint("pathway_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    intervention: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)  # 0 is where everyone starts


class PathwayMove(Base):
    __tablename__ = "pathway_move"
    __table_args__ = (UniqueConstraint("from_stage_id", "to_stage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id"), index=True)
    from_stage_id: Mapped[int] = mapped_column(ForeignKey("pathway_stage.id"))
    to_stage_id: Mapped[int] = mapped_column(ForeignKey("pathway_stage.id"))


class Enrolment(Base):
    __tablename__ = "enrolment"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("pathway_stage.id"))
    started_at: Mapped[datetime] = mapped_column(default=now)
    ended_at: Mapped[datetime | None]


class StageEvent(Base):
    """Every move: who, when, why."""

    __tablename__ = "stage_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_stage.id"))
    to_stage_id: Mapped[int] = mapped_column(ForeignKey("pathway_stage.id"))
    at: Mapped[datetime] = mapped_column(default=now)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(EncryptedText)  # what a person typed: may name a health matter


class FollowUp(Base):
    """A screening due on the schedule: planned, then open when due, overdue when late, done or cancelled."""

    __tablename__ = "follow_up"
    __table_args__ = (
        Index("ix_follow_up_status_due", "status", "due_at"),
        Index("ix_follow_up_incident_status_due", "incident_id", "status", "due_at"),
        Index("ix_follow_up_person", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    month: Mapped[int]  # months after the anchor
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="planned")
    opened_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    screening_id: Mapped[int | None] = mapped_column(ForeignKey("screening.id"))


class Screening(Base):
    __tablename__ = "screening"
    __table_args__ = (Index("ix_screening_incident_review", "incident_id", "review_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    instrument: Mapped[str] = mapped_column(String(10))
    answers: Mapped[str] = mapped_column(EncryptedText)  # JSON list of points
    result: Mapped[str] = mapped_column(EncryptedText)  # "total; band"
    notes: Mapped[str] = mapped_column(EncryptedText, default="")
    positive: Mapped[bool]
    taken_at: Mapped[datetime] = mapped_column(default=now)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # The tool flags; a clinician decides (UK GDPR art. 22). not_needed, pending, decided.
    review_status: Mapped[str] = mapped_column(String(12))
    decision: Mapped[str] = mapped_column(String(40), default="")
    decision_note: Mapped[str] = mapped_column(EncryptedText, default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class SafetyAlert(Base):
    __tablename__ = "safety_alert"
    __table_args__ = (Index("ix_safety_alert_incident_open", "incident_id", "acknowledged_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    screening_id: Mapped[int | None] = mapped_column(ForeignKey("screening.id"))
    text: Mapped[str] = mapped_column(EncryptedText)
    raised_at: Mapped[datetime] = mapped_column(default=now)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action_taken: Mapped[str] = mapped_column(EncryptedText, default="")
    # The duty clinician it is for (None while the incident has none); texted at notified_at;
    # escalated_at once it waited longer than the incident's escalation time.
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    notified_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]


class Clinician(Base):
    """A caseworker account an administrator named as a clinician: only clinicians review positive
    screens and acknowledge urgent alerts, and each incident's duty clinician is one of them.
    Removal closes the row (it is kept, so past decisions still show who could make them)."""

    __tablename__ = "clinician"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    mobile: Mapped[str] = mapped_column(String(20))  # E.164, for urgent-alert texts
    active: Mapped[bool] = mapped_column(default=True)
    named_at: Mapped[datetime] = mapped_column(default=now)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class ClinicalDuty(Base):
    """Who is the incident's duty clinician now (urgent alerts go to them), and how long an alert
    may wait unacknowledged before it is escalated."""

    __tablename__ = "clinical_duty"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), primary_key=True)
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    since: Mapped[datetime | None]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    escalate_after_minutes: Mapped[int] = mapped_column(default=60)


class Referral(Base):
    __tablename__ = "referral"
    __table_args__ = (
        Index("ix_referral_person", "person_id", "status"),
        # The situation report's out-of-area referrals: a few of the incident's, found directly.
        Index("ix_referral_incident_out_of_area", "incident_id", "out_of_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    service: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(12), default="sent")  # sent, accepted, declined, completed
    # Victims' Code deadline for this person (referral_due from registration, their nation).
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime] = mapped_column(default=now)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    status_changed_at: Mapped[datetime] = mapped_column(default=now)
    out_of_area: Mapped[bool] = mapped_column(default=False)
    # The police force area whose service this referral is for: the person's home area (the
    # incident's when their home is not known); area_note says so in words on the referral.
    for_force_area: Mapped[str] = mapped_column(String(60), default="")
    area_note: Mapped[str] = mapped_column(String(400), default="")
    # The person's support-plan tier when referred ("" without a plan) and why the referral went to a
    # service of that tier or outside it (pathways.referral_rules.route_by_tier): the reason a referrer
    # gives for stepping outside may name a health matter, so it is kept encrypted.
    tier: Mapped[str] = mapped_column(String(12), default="")
    tier_note: Mapped[str | None] = mapped_column(EncryptedText)  # None: referred before tiers routed
    notes: Mapped[str] = mapped_column(EncryptedText, default="")


class Complaint(Base):
    """Victims' Code right 12: recorded and tracked to an answer."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    summary: Mapped[str] = mapped_column(EncryptedText)
    received_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, answered
    answer: Mapped[str] = mapped_column(EncryptedText, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class DuplicateDecision(Base):
    """A person's answer to a suggested match: merged, or not the same person (not suggested again)."""

    __tablename__ = "duplicate_decision"
    __table_args__ = (UniqueConstraint("person_id", "other_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    other_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    same_person: Mapped[bool]
    decided_at: Mapped[datetime] = mapped_column(default=now)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class InstrumentItemText(Base):
    """Licensed item wording (TSQ, CRIES-8) an administrator loads; we ship item numbers only."""

    __tablename__ = "instrument_item_text"
    __table_args__ = (UniqueConstraint("instrument", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument: Mapped[str] = mapped_column(String(10))
    item: Mapped[int]
    text: Mapped[str] = mapped_column(Text)


class InstrumentTranslation(Base):
    """A questionnaire's validated translation an administrator loads (pathways.instrument_translation):
    its lines, the instructions, answers and items in the form's order."""

    __tablename__ = "instrument_translation"
    __table_args__ = (UniqueConstraint("instrument", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(2))
    lines: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(default=now)
    loaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class IncidentServiceArea(Base):
    """The police force area the incident's support services cover; people living elsewhere are
    referred to their home area's service."""

    __tablename__ = "incident_service_area"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), primary_key=True)
    force_area: Mapped[str] = mapped_column(String(60))


class ReferralCoverage(Base):
    """Which police force areas a partner agency's services take referrals from (an administrator
    keeps it): the whole UK, or the areas listed in referral_coverage_area."""

    __tablename__ = "referral_coverage"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    nationwide: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class ReferralServiceTier(Base):
    """A tier of support (SupportTier) a partner agency's services give, kept by an administrator: a
    plan's tier routes referrals to the services giving it (pathways.referral_rules.route_by_tier)."""

    __tablename__ = "referral_service_tier"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    tier: Mapped[str] = mapped_column(String(12), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class ReferralCoverageArea(Base):
    __tablename__ = "referral_coverage_area"

    agency_id: Mapped[int] = mapped_column(ForeignKey("referral_coverage.agency_id"), primary_key=True)
    force_area: Mapped[str] = mapped_column(String(60), primary_key=True)


class PersonReply(Base):
    """A text message an affected person sent us (e.g. answering a screening reminder), or what they
    wrote or asked in a feedback survey: their words are for their support team only, encrypted, and
    shown until someone marks them read."""

    __tablename__ = "person_reply"
    __table_args__ = (
        UniqueConstraint("provider_sid", "person_id"),  # Twilio may deliver one message twice
        Index("ix_person_reply_incident_unread", "incident_id", "read_at"),
        Index("ix_person_reply_person", "person_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    body: Mapped[str] = mapped_column(EncryptedText)
    # text: an SMS they sent; feedback: what they wrote in a feedback survey; contact: they asked there
    # to be contacted (pathways.person_replies.KIND_TITLES)
    kind: Mapped[str] = mapped_column(String(12), default="text")
    received_at: Mapped[datetime]
    provider_sid: Mapped[str] = mapped_column(String(64))  # the SMS provider's id, or "feedback-<offer id>"
    read_at: Mapped[datetime | None]
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class JusticeMilestone(Base):
    """A step of the investigation or prosecution that victims must be told of (an arrest, a charge, a
    hearing, a verdict…), as a police user entered it. Each creates an inform task for every person
    it concerns (audience: all, roles, people)."""

    __tablename__ = "justice_milestone"
    __table_args__ = (Index("ix_justice_milestone_incident", "incident_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    kind: Mapped[str] = mapped_column(String(30))  # MilestoneKind
    occurred_on: Mapped[date]  # the decision's day, or the day set ahead (a hearing)
    details: Mapped[str] = mapped_column(EncryptedText, default="")  # court, time, charge: a criminal case's detail
    audience: Mapped[str] = mapped_column(String(10))  # MilestoneAudience
    audience_roles: Mapped[str] = mapped_column(String(200), default="")  # comma-separated PersonRole values
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class InformTask(Base):
    """One person to be told of one milestone within the Victims' Code time; done when someone says
    when, how and by whom they were told."""

    __tablename__ = "inform_task"
    __table_args__ = (
        UniqueConstraint("milestone_id", "person_id"),
        # "My day" and the situation report: the incident's tasks not yet done, by deadline.
        Index("ix_inform_task_incident_open_due", "incident_id", "closed_at", "due_at"),
        Index("ix_inform_task_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    milestone_id: Mapped[int] = mapped_column(ForeignKey("justice_milestone.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    # End of the last working day in time (victims_code.inform_due, the person's nation); `enhanced`
    # says the shorter time for enhanced rights applied.
    due_at: Mapped[datetime]
    enhanced: Mapped[bool] = mapped_column(default=False)
    told_on: Mapped[date | None]
    told_late: Mapped[bool] = mapped_column(default=False)  # told_on after due_at's London date
    method: Mapped[str] = mapped_column(String(30), default="")  # InformMethod
    told_by: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(EncryptedText, default="")
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class WitnessCare(Base):
    """What the Witness Care Unit gave for a witness (their witness care officer), and the special
    measures the witness needs and those asked of the court. One row per person, kept current."""

    __tablename__ = "witness_care"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    officer: Mapped[str] = mapped_column(String(120), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    # Comma-separated SpecialMeasure values; encrypted, as a measure can say why a witness is vulnerable.
    measures_needed: Mapped[str] = mapped_column(EncryptedText, default="")
    measures_requested: Mapped[str] = mapped_column(EncryptedText, default="")
    requested_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(EncryptedText, default="")
    updated_at: Mapped[datetime] = mapped_column(default=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class SupportPlan(Base):
    """A person's support plan, started by their first needs assessment: the tier of support and when
    it is next reviewed, which the latest assessment's risk level paces (plan_reviews)."""

    __tablename__ = "support_plan"
    __table_args__ = (Index("ix_support_plan_incident_review", "incident_id", "next_review_on"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    tier: Mapped[str] = mapped_column(String(12))  # SupportTier
    risk_level: Mapped[str] = mapped_column(String(10))  # the latest needs assessment's
    review_every_days: Mapped[int] = mapped_column(Integer)
    next_review_on: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(default=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class SupportAction(Base):
    """One thing the plan says will be done, by whom (a caseworker or a partner agency) and by when."""

    __tablename__ = "support_action"
    __table_args__ = (Index("ix_support_action_person", "person_id", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    what: Mapped[str] = mapped_column(EncryptedText)  # can name a health or money need
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    owner_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default="open")  # ActionStatus
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class PlanReview(Base):
    """The plan's history: each review, and each (re)scheduling a needs assessment made."""

    __tablename__ = "plan_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(default=now)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(12))  # "assessment" (scheduled by one) or "review"
    risk_level: Mapped[str] = mapped_column(String(10))
    tier: Mapped[str] = mapped_column(String(12))
    next_review_on: Mapped[date]
    note: Mapped[str] = mapped_column(EncryptedText, default="")


class AdvocateAppointment(Base):
    """The Secretary of State's declaration of the incident as a major incident and the Independent
    Public Advocate appointed for it (Victims and Prisoners Act 2024, Part 2), as Gold recorded them."""

    __tablename__ = "advocate_appointment"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), primary_key=True)
    declared_on: Mapped[date]
    declaration: Mapped[str] = mapped_column(String(200))  # its reference or title
    advocate_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    appointed_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class AdvocateRequest(Base):
    """A request the advocate made to a public authority for victims (a document, an answer)."""

    __tablename__ = "advocate_request"
    __table_args__ = (Index("ix_advocate_request_incident", "incident_id", "asked_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    authority: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(EncryptedText)
    asked_on: Mapped[date]
    due_on: Mapped[date | None]
    answered_on: Mapped[date | None]
    answer: Mapped[str] = mapped_column(EncryptedText, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class AdvocateRequestPerson(Base):
    """The victims a request concerns."""

    __tablename__ = "advocate_request_person"

    request_id: Mapped[int] = mapped_column(ForeignKey("advocate_request.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)


class VictimRights(Base):
    """Per person, what they were told of and chose under the Victims' Code rights beyond being kept
    informed: the Victim Personal Statement (right 7), restorative justice (referred only with their
    consent after the provider's risk assessment), compensation (right 5: the application against its
    time limit); and the officer in the case where the police named one. One row, kept current."""

    __tablename__ = "victim_rights"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    officer_in_case: Mapped[str] = mapped_column(String(120), default="")
    vps_told_on: Mapped[date | None]
    vps_choice: Mapped[str] = mapped_column(String(12), default="")  # StatementChoice, "" undecided
    vps_made_on: Mapped[date | None]
    rj_told_on: Mapped[date | None]
    rj_consent: Mapped[bool | None]  # None: not asked or undecided
    rj_risk_assessed_on: Mapped[date | None]  # by the restorative justice provider
    rj_referred_on: Mapped[date | None]
    compensation_told_on: Mapped[date | None]
    compensation_applied_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class GroupUpdate(Base):
    """An update sent to a group of an incident's people (everyone, or those with chosen roles). Its
    text is kept in clear: an update never holds anything health-related (update_rules)."""

    __tablename__ = "group_update"
    __table_args__ = (Index("ix_group_update_incident", "incident_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    body: Mapped[str] = mapped_column(Text)
    roles: Mapped[str] = mapped_column(String(200), default="")  # comma-separated PersonRole values; "" everyone
    # Whom it went to, as the sender chose them: roles, "everyone", or an outreach cohort's registered members.
    group_name: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[datetime] = mapped_column(default=now)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reached: Mapped[int] = mapped_column(Integer)
    not_reached: Mapped[int] = mapped_column(Integer)  # asked to be phoned, no consent to their channel, no address, opted out


class GroupUpdateRecipient(Base):
    """Who an update was sent to, and by which channel: each person once."""

    __tablename__ = "group_update_recipient"

    update_id: Mapped[int] = mapped_column(ForeignKey("group_update.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    channel: Mapped[str] = mapped_column(String(20))


class PersonMessage(Base):
    """A message Stand Up sent a person (a reminder, an update, news of their key worker): the outbox
    message (notifications' id: another domain's table, so no foreign key), its channel, and for an
    email the sha256 of its unsubscribe link's token (the token itself is only in the email)."""

    __tablename__ = "person_message"

    message_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(30))
    unsubscribe_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(default=now)
