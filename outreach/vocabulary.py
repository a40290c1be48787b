"""The words the outreach domain records, as closed lists."""

from __future__ import annotations

from enum import StrEnum

# Why Stand Up may hold and use a list of people it did not collect itself (DOMAIN.md): the
# code is stored with the cohort, the words shown wherever the cohort is.
LAWFUL_BASES: dict[str, str] = {
    "public_task": "Public task (UK GDPR art. 6(1)(e)); health data under art. 9(2)(h), DPA 2018 Sch. 1 para 2",
    "substantial_public_interest": "Public task (UK GDPR art. 6(1)(e)); health data under art. 9(2)(g), "
                                   "DPA 2018 Sch. 1 paras 6 and 17 (counselling, safeguarding)",
    "consent": "Consent (UK GDPR art. 6(1)(a)); health data under explicit consent, art. 9(2)(a)",
}
DEFAULT_LAWFUL_BASIS = "public_task"


class About(StrEnum):
    """Whom a self-referral is about."""

    SELF = "self"
    SOMEONE_ELSE = "someone_else"


class ReferralStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"  # registered as a new person
    MERGED = "merged"  # linked to a person already registered
    DECLINED = "declined"


class MessageKind(StrEnum):
    INVITATION = "invitation"
    REMINDER = "reminder"


# The channels an invitation may go by, and what `--channel both` means.
INVITATION_CHANNELS = ("sms", "email")
CHANNEL_CHOICES: dict[str, tuple[str, ...]] = {"sms": ("sms",), "email": ("email",), "both": INVITATION_CHANNELS}


# An incident stood down or cancelled takes no self-referral: the public page offers its services only.
INCIDENT_CLOSED = ("stood_down", "cancelled")
