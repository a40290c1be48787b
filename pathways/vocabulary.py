"""The words the pathways domain records, as closed lists, and the age rule they lean on."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class PersonRole(StrEnum):
    INJURED = "injured"
    SURVIVOR = "survivor"  # uninjured survivor or evacuee
    WITNESS = "witness"
    BEREAVED = "bereaved"  # bereaved family member (a close relative)
    FAMILY_ENQUIRER = "family_enquirer"
    MISSING = "missing"
    RESPONDER = "responder"
    COMMUNITY = "community"


class Source(StrEnum):
    HOSPITAL = "hospital"
    RECEPTION_CENTRE = "reception_centre"
    CASUALTY_BUREAU = "casualty_bureau"
    WITNESS_LIST = "witness_list"
    SELF_REFERRAL = "self_referral"
    PARTNER = "partner"
    ONLINE_SELF_SCREENING = "online_self_screening"  # answered a wellbeing check sent to a cohort (outreach)


class Purpose(StrEnum):
    REFERRAL = "referral"
    SHARING = "sharing"  # with a named agency
    SMS = "sms"
    EMAIL = "email"  # messages from the support team by email, as SMS is by text
    ADVOCATE = "advocate"  # sharing their records with the incident's Independent Public Advocate


class ContactBy(StrEnum):
    """How a person asked the support team's messages to reach them (a reminder, an update, news of their
    key worker). Each goes only with that channel's consent; "phone" means no automated messages at all:
    their caseworker rings them. Not chosen ("") is the default: a text when they agreed to texts,
    otherwise an email when they agreed to emails."""

    SMS = "sms"
    EMAIL = "email"
    PHONE = "phone"


class LawfulBasis(StrEnum):
    EXPLICIT_CONSENT = "explicit_consent"
    CONSENT = "consent"
    PUBLIC_TASK = "public_task"
    SUBSTANTIAL_PUBLIC_INTEREST = "substantial_public_interest"  # e.g. counselling, safeguarding
    VITAL_INTERESTS = "vital_interests"


class NeedArea(StrEnum):
    PRACTICAL = "practical"
    EMOTIONAL = "emotional"
    HEALTH = "health"
    SAFETY = "safety"
    INFORMATION = "information"
    FINANCIAL = "financial"
    HOUSING = "housing"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class SupportTier(StrEnum):
    """How much support a plan gives, which routes its referrals: everyone's, targeted, specialist."""

    UNIVERSAL = "universal"
    TARGETED = "targeted"
    SPECIALIST = "specialist"


class StatementChoice(StrEnum):
    """A victim's choice about a Victim Personal Statement."""

    MADE = "made"
    DECLINED = "declined"
    LATER = "later"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Relationship(StrEnum):
    PARENT = "parent"
    CHILD = "child"
    PARTNER = "partner"
    SIBLING = "sibling"
    OTHER_FAMILY = "other_family"
    FRIEND = "friend"


class DischargeOutcome(StrEnum):
    RECOVERED = "recovered"
    COMPLETED_TREATMENT = "completed_treatment"
    TRANSFERRED = "transferred_to_other_service"
    DECLINED_FURTHER_SUPPORT = "declined_further_support"
    NO_CONTACT = "no_contact"
    MOVED_AWAY = "moved_away"


class ReviewDecision(StrEnum):
    """What a clinician decides about a positive screen; the tool never decides it."""

    ASSESS = "clinical_assessment"
    TRAUMA_TREATMENT = "trauma_focused_treatment"
    TALKING_THERAPIES = "talking_therapies"
    CAMHS = "camhs"
    WATCHFUL_WAITING = "watchful_waiting"
    NO_ACTION = "no_further_action"


class MilestoneKind(StrEnum):
    """A step of the investigation or prosecution that victims must be told of."""

    ARREST = "arrest"
    RELEASE = "release"  # released on bail or under investigation
    CHARGE = "charge"
    NO_FURTHER_ACTION = "no_further_action"
    FIRST_HEARING = "first_hearing"
    TRIAL_DATE = "trial_date"
    VERDICT = "verdict"
    SENTENCE = "sentence"
    APPEAL = "appeal"
    OFFENDER_RELEASE = "offender_release"


class MilestoneAudience(StrEnum):
    """Whom a milestone concerns: all of the incident's people, those with chosen roles, or chosen people."""

    ALL = "all"
    ROLES = "roles"
    PEOPLE = "people"


class InformMethod(StrEnum):
    """How a person was told of a milestone."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO_CALL = "video_call"
    LETTER = "letter"
    EMAIL = "email"
    TEXT_MESSAGE = "text_message"
    THROUGH_REPRESENTATIVE = "through_representative"  # a relative, solicitor or advocate they named


class SpecialMeasure(StrEnum):
    """Special measures for vulnerable or intimidated witnesses (Youth Justice and Criminal Evidence Act
    1999, ss. 23-30)."""

    SCREENS = "screens"
    LIVE_LINK = "live_link"
    EVIDENCE_IN_PRIVATE = "evidence_in_private"
    WIGS_AND_GOWNS_REMOVED = "wigs_and_gowns_removed"
    VIDEO_RECORDED_EVIDENCE = "video_recorded_evidence"
    PRE_RECORDED_CROSS_EXAMINATION = "pre_recorded_cross_examination"
    INTERMEDIARY = "intermediary"
    COMMUNICATION_AIDS = "communication_aids"


# Words that keep their own capitals when shown.
_AS_WRITTEN = {"sms": "SMS", "camhs": "CAMHS", "nhs": "NHS", "gp": "GP", "ptsd": "PTSD", "emdr": "EMDR",
               "cbt": "CBT", "dbs": "DBS", "uk": "UK"}


def label(value: str) -> str:
    """How a stored word is shown: "family_enquirer" -> "Family enquirer", "sms" -> "SMS"."""
    words = value.replace("_", " ").split(" ")
    shown = [_AS_WRITTEN.get(w.lower(), w.lower()) for w in words]
    if shown and shown[0] == words[0].lower():
        shown[0] = shown[0].capitalize()
    return " ".join(shown)


CONTACT_BY_LABELS = {"": "Not chosen (a text if they agreed to texts, else an email)",
                     ContactBy.SMS: "Text message (SMS)", ContactBy.EMAIL: "Email",
                     ContactBy.PHONE: "A phone call from their caseworker (no automated messages)"}


def contact_by_label(value: str) -> str:
    """How a person's choice of channel is shown."""
    return CONTACT_BY_LABELS.get(value, label(value))


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years of age on `day`."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def is_under_18(date_of_birth: date | None, day: date) -> bool:
    return date_of_birth is not None and age_on(date_of_birth, day) < 18
