"""How a member of staff asked to be reached when a call-out asks them: the few choices a
coordinator picks from (on the staff page, or in a roster file's contact_by column), and what each
allows a call-out to do.

Decisions:
- Three choices, each about the one question that matters at 3 a.m.: may we phone you, and when.
  SMS then a call (the default: a call-out that allows calls phones them if the text goes
  unanswered), SMS only (never phoned: they get the reminder text instead), and call first (a
  call-out that allows calls phones them as it asks them, the text going alongside as the record
  of the shift and its code). Email is no choice here: a call-out needs an answer in minutes.
- Whether a call-out phones anyone at all stays the hub manager's choice ("call if unanswered"):
  a preference only narrows it (SMS only) or brings the call forward (call first).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ContactBy(StrEnum):
    SMS_THEN_CALL = "sms_then_call"
    SMS_ONLY = "sms_only"
    CALL_FIRST = "call_first"


DEFAULT_CONTACT_BY = ContactBy.SMS_THEN_CALL

# The words a roster file may use too (rosters.roster_values reads them).
LABELS = {
    ContactBy.SMS_THEN_CALL: "SMS then call",
    ContactBy.SMS_ONLY: "SMS only (no calls)",
    ContactBy.CALL_FIRST: "Call first",
}
# What each choice means, for the staff page's help.
MEANINGS = {
    ContactBy.SMS_THEN_CALL: "texted; phoned if they have not answered by the reminder time (when the call-out "
                             "allows calls)",
    ContactBy.SMS_ONLY: "texted, and texted a reminder: never phoned",
    ContactBy.CALL_FIRST: "phoned as soon as they are asked, with the text alongside (when the call-out allows "
                          "calls); texted a reminder",
}


@dataclass(frozen=True)
class ContactPreference:
    """A preference as a call-out and a page need it, whatever rosters stores."""

    label: str  # how pages name it
    may_phone: bool  # False: never phone them, text instead
    phone_first: bool  # phone them as they are asked, when the call-out allows calls


def preference(contact_by: str) -> ContactPreference:
    """The preference stored as `contact_by`; ValueError when it is none of ContactBy."""
    choice = ContactBy(contact_by)
    return ContactPreference(LABELS[choice], may_phone=choice != ContactBy.SMS_ONLY,
                             phone_first=choice == ContactBy.CALL_FIRST)
