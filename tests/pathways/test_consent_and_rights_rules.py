"""Consent a referral needs, SMS permission, enhanced rights and referral status moves (pure rules)."""

import pytest

from pathways import enhanced_rights
from pathways.consent_rules import NOTHING_RECORDED, ConsentState, channel_for, referral_refusal, usable
from pathways.referral_rules import referred_late, status_move_refusal

GIVEN = ConsentState(recorded=True, given=True)
EXPLICIT = ConsentState(recorded=True, given=True, explicit=True)
REFUSED = ConsentState(recorded=True, given=False)


@pytest.mark.parametrize(
    ("bereaved", "abuse", "state", "refused_with"),
    [
        (False, False, NOTHING_RECORDED, ""),  # Victims' Code: refer unless they opt out
        (False, False, GIVEN, ""),
        (False, False, REFUSED, "opted out"),
        (True, False, NOTHING_RECORDED, "bereaved relative needs explicit consent"),
        (True, False, GIVEN, "bereaved relative needs explicit consent"),
        (True, False, EXPLICIT, ""),
        (False, True, NOTHING_RECORDED, "sexual or domestic-abuse offence needs explicit consent"),
        (False, True, EXPLICIT, ""),
        (True, True, REFUSED, "opted out"),
    ],
)
def test_referral_consent_rules(bereaved, abuse, state, refused_with):
    refusal = referral_refusal(bereaved=bereaved, sexual_or_domestic_abuse=abuse, referral=state)
    if refused_with:
        assert refused_with in refusal and "referral" in refusal
    else:
        assert refusal == ""


def test_a_channel_carries_messages_only_with_consent_an_address_and_no_opt_out():
    assert usable(GIVEN, "+447400123456", opted_out=False)
    assert not usable(GIVEN, None, opted_out=False)
    assert not usable(GIVEN, "", opted_out=False)
    assert not usable(GIVEN, "+447400123456", opted_out=True)
    assert not usable(NOTHING_RECORDED, "+447400123456", opted_out=False)
    assert not usable(REFUSED, "+447400123456", opted_out=False)


@pytest.mark.parametrize(
    ("contact_by", "by_sms", "by_email", "channel"),
    [
        # A chosen channel is kept to, never swapped for one they did not choose.
        ("sms", True, True, "sms"), ("sms", False, True, None),
        ("email", True, True, "email"), ("email", True, False, None),
        # Asked to be phoned by their caseworker: no automated message whatever they consented to.
        ("phone", True, True, None),
        # Not chosen: a text, else an email.
        ("", True, True, "sms"), ("", False, True, "email"), ("", False, False, None),
    ],
)
def test_a_message_goes_by_the_chosen_channel_when_usable(contact_by, by_sms, by_email, channel):
    assert channel_for(contact_by, by_sms=by_sms, by_email=by_email) == channel


@pytest.mark.parametrize(
    ("under_18", "bereaved", "terrorism", "reason"),
    [(True, False, False, enhanced_rights.UNDER_18), (False, True, False, enhanced_rights.BEREAVED),
     (False, False, True, enhanced_rights.TERRORISM)],
)
def test_enhanced_rights_are_automatic_for_children_bereaved_and_terrorism(under_18, bereaved, terrorism, reason):
    rights = enhanced_rights.assess(under_18=under_18, bereaved=bereaved, victim_of_terrorism=terrorism)
    assert rights.entitled and rights.reasons == (reason,)


def test_enhanced_rights_otherwise_rest_on_a_judged_reason():
    assert not enhanced_rights.assess(under_18=False, bereaved=False, victim_of_terrorism=False).entitled
    judged = enhanced_rights.assess(under_18=False, bereaved=False, victim_of_terrorism=False,
                                    judged=("intimidated",))
    assert judged.entitled and judged.reasons == ("intimidated",)
    with pytest.raises(ValueError, match="unknown reason 'rich'"):
        enhanced_rights.assess(under_18=False, bereaved=False, victim_of_terrorism=False, judged=("rich",))


def test_referral_status_moves():
    assert status_move_refusal("sent", "accepted") == ""
    assert status_move_refusal("accepted", "completed") == ""
    assert "cannot become completed" in status_move_refusal("sent", "completed")
    assert "refer again" in status_move_refusal("declined", "accepted")


def test_a_referral_is_late_only_when_sent_after_the_deadline():
    from datetime import UTC, datetime, timedelta

    due = datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=UTC)
    assert not referred_late(due - timedelta(hours=3), due)
    assert not referred_late(due, due)  # the deadline is the end of the last working day: still on time
    assert referred_late(due + timedelta(microseconds=1), due)
