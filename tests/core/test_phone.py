from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import PhoneNumberType

from core.phone import mask_mobile, normalise_mobile, normalise_phone

# Checked against phonenumbers itself below: Ofcom's drama range would be refused.
UK_MOBILE = "+447400123456"


def test_the_numbers_these_tests_use_are_valid_mobiles_to_phonenumbers():
    for text in ("07400 123456", "07911 123456", "+33 6 12 34 56 78"):
        number = phonenumbers.parse(text, "GB")
        assert phonenumbers.is_valid_number(number), text
        assert phonenumbers.number_type(number) == PhoneNumberType.MOBILE, text


@pytest.mark.parametrize(
    "text",
    [
        "07400123456",
        "07400 123456",
        "07400-123-456",
        "07400.123.456",
        "(07400) 123456",
        "+44 7400 123456",
        "+44 (0) 7400 123456",
        "+447400123456",
        "0044 7400 123456",
        "00447400123456",
        "  07400 123456  ",
        "07400\u00a0123456",  # a non-breaking space pasted from a document
        "7400123456",  # a spreadsheet dropped the leading 0
    ],
)
def test_uk_mobile_in_any_usual_form_becomes_e164(text):
    assert normalise_mobile(text) == UK_MOBILE


def test_example_mobile_from_phonenumbers_is_accepted():
    example = phonenumbers.example_number_for_type("GB", PhoneNumberType.MOBILE)
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    assert normalise_mobile(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)) == e164


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("+49 151 23456789", "+4915123456789"),
        ("+353 85 123 4567", "+353851234567"),
        ("+1 201 555 0123", "+12015550123"),  # US numbers are fixed-line-or-mobile: textable
    ],
)
def test_international_mobiles_keep_their_country(text, expected):
    assert normalise_mobile(text) == expected


def test_a_number_abroad_can_be_read_for_another_region():
    assert normalise_mobile("06 12 34 56 78", region="FR") == "+33612345678"


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_is_refused(text):
    with pytest.raises(ValueError, match="no number"):
        normalise_mobile(text)


@pytest.mark.parametrize("text", ["n/a", "call office", "0740-FLOWERS", "07400 123456 ext 2", "+", "()", "-"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError, match="not a phone number"):
        normalise_mobile(text)


@pytest.mark.parametrize("text", ["07400 12345", "07400 1234567", "07700 900123", "07700900999"])
def test_wrong_length_and_the_drama_range_are_invalid(text):
    with pytest.raises(ValueError, match="not a valid phone number"):
        normalise_mobile(text)


@pytest.mark.parametrize("text", ["020 7946 0000", "0161 496 0000", "+44 20 7946 0000", "+33 1 23 45 67 89"])
def test_landlines_are_refused_because_sms_needs_a_mobile(text):
    with pytest.raises(ValueError, match="is a landline, SMS needs a mobile"):
        normalise_mobile(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("0800 123 4567", "freephone"),
        ("07011 234567", "personal"),
        ("0300 123 4567", "non-geographic"),
        ("0909 876 5432", "premium-rate"),
    ],
)
def test_other_non_mobiles_are_refused_naming_what_they_are(text, kind):
    with pytest.raises(ValueError, match=f"{kind}.*SMS needs a mobile"):
        normalise_mobile(text)


@given(st.text(max_size=40))
def test_any_text_gives_e164_or_value_error(text):
    try:
        result = normalise_mobile(text)
    except ValueError:
        return
    assert result.startswith("+") and result[1:].isdigit()
    assert phonenumbers.is_valid_number(phonenumbers.parse(result))


def test_mask_hides_all_but_the_country_first_and_last_three_digits():
    assert mask_mobile("+447400123456") == "+44 7*** ***456"
    assert mask_mobile("+33612345678") == "+33 6*** **678"


def test_mask_never_shows_the_middle_digits():
    masked = mask_mobile(normalise_mobile("07911 123456"))
    assert "1123" not in masked.replace(" ", "")
    assert masked.endswith("456")


@pytest.mark.parametrize("text", ["07400123456", "not a number", ""])
def test_mask_refuses_what_is_not_e164(text):
    with pytest.raises(ValueError):
        mask_mobile(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("07400 123456", UK_MOBILE),  # a mobile, as normalise_mobile reads it
    ("0161 496 0000", "+441614960000"),  # a landline: it cannot be texted, it can be called
    ("0800 123 4567", "+448001234567"),
    ("+33 6 12 34 56 78", "+33612345678"),
])
def test_a_number_that_can_be_called_becomes_e164(text, expected):
    assert normalise_phone(text) == expected


@pytest.mark.parametrize(("text", "problem"), [
    ("09065 123456", "a premium-rate number; Stand Up does not call those"),
    ("070 1234 5678", "a personal (070) number; Stand Up does not call those"),
    ("07700 900123", "not a valid phone number"),  # Ofcom's drama range
    ("0740-FLOWERS", "not a phone number"),
    ("", "no number given"),
])
def test_a_number_that_cannot_be_called_is_refused_saying_why(text, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        normalise_phone(text)
