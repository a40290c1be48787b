"""Which consent a referral needs (Victims' Code; UK GDPR art. 9), and which channel, if any, a message
to a person may take.

Police refer victims to support services unless they opt out. Bereaved relatives and victims
of sexual or domestic-abuse offences are different: their details are passed on only with
their explicit consent.
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.vocabulary import ContactBy


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


def usable(consent: ConsentState, address: str | None, *, opted_out: bool) -> bool:
    """A channel may carry the support team's messages: consent to it given now, an address, and the
    address has not opted out of the channel (a STOP texted, an email's unsubscribe)."""
    return bool(address) and consent.recorded and consent.given and not opted_out


def channel_for(contact_by: str, *, by_sms: bool, by_email: bool) -> str | None:
    """The channel a message to a person goes by, or None: their caseworker tells them another way.
    `by_sms`, `by_email`: whether that channel is usable. A channel the person chose is kept to (never
    another they did not choose); "phone" takes no automated message. Not chosen: a text, else an email."""
    if contact_by == ContactBy.PHONE:
        return None
    if contact_by == ContactBy.SMS:
        return "sms" if by_sms else None
    if contact_by == ContactBy.EMAIL:
        return "email" if by_email else None
    return "sms" if by_sms else "email" if by_email else None
