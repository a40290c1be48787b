"""Which consent a referral needs (Victims' Code; UK GDPR art. 9), and whether we may text someone.

Police refer victims to support services unless they opt out. Bereaved relatives and victims
of sexual or domestic-abuse offences are different: their details are passed on only with
their explicit consent.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentState:
    """The current decision for one purpose: nothing recorded, given (explicitly or not), or refused/withdrawn."""

    recorded: bool = False
    given: bool = False
    explicit: bool = False


NOTHING_RECORDED = ConsentState()


def needs_explicit_referral_consent(*, bereaved: bool, sexual_or_domestic_abuse: bool) -> str:
    """Why this person needs explicit consent before referral, or "" when the opt-out rule applies."""
    if bereaved:
        return "a bereaved relative"
    if sexual_or_domestic_abuse:
        return "a victim of a sexual or domestic-abuse offence"
    return ""


def referral_refusal(*, bereaved: bool, sexual_or_domestic_abuse: bool, referral: ConsentState) -> str:
    """Why a referral may not be made now, naming the consent it needs; "" when it may."""
    who = needs_explicit_referral_consent(bereaved=bereaved, sexual_or_domestic_abuse=sexual_or_domestic_abuse)
    if referral.recorded and not referral.given:
        return (
            "This person has opted out of referral (referral consent refused or withdrawn). "
            "Record new referral consent before referring."
        )
    if who and not (referral.given and referral.explicit):
        return (
            f"Referring {who} needs explicit consent for the purpose 'referral'. "
            "Record it on the Consent tab (lawful basis: explicit consent) before referring."
        )
    return ""


def may_text(sms: ConsentState, mobile: str | None) -> bool:
    """Reminders go by SMS only with current SMS consent and a mobile number."""
    return bool(mobile) and sms.recorded and sms.given
