"""Phone numbers: what we can text (mobiles) or call, stored as E.164 ("+447400123456").

Only numbers `phonenumbers` calls valid are accepted. Ofcom's drama range
(07700 900000-900999) is therefore refused as invalid: synthetic staff need real-looking
numbers such as 07400 123456.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

# What people put round the digits: spaces (incl. non-breaking), dashes, dots, brackets,
# a slash. Anything else (letters, "ext", "#") is refused rather than guessed at, because
# phonenumbers would read "0740-FLOWERS" as digits and an extension cannot get an SMS.
_NUMBER_CHARACTERS = re.compile(r"[\d\s+\-.()/]+")

_TEXTABLE = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_CALLABLE = _TEXTABLE | {PhoneNumberType.FIXED_LINE, PhoneNumberType.VOIP, PhoneNumberType.UAN,
                         PhoneNumberType.TOLL_FREE}

_WHAT_IT_IS = {
    PhoneNumberType.FIXED_LINE: "a landline",
    PhoneNumberType.TOLL_FREE: "a freephone number",
    PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    PhoneNumberType.SHARED_COST: "a shared-cost number",
    PhoneNumberType.VOIP: "an internet (VoIP) number",
    PhoneNumberType.PERSONAL_NUMBER: "a personal (070) number",
    PhoneNumberType.PAGER: "a pager number",
    PhoneNumberType.UAN: "a non-geographic number",
    PhoneNumberType.VOICEMAIL: "a voicemail number",
}


def _parsed(cleaned: str, region: str) -> phonenumbers.PhoneNumber:
    if not cleaned:
        raise ValueError("no number given")
    if not _NUMBER_CHARACTERS.fullmatch(cleaned) or not any(c.isdigit() for c in cleaned):
        raise ValueError(f"{cleaned!r} is not a phone number (only digits, spaces, + - . ( ) allowed)")
    try:
        number = phonenumbers.parse(cleaned, region)
    except NumberParseException as exc:
        raise ValueError(f"{cleaned!r} is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{cleaned!r} is not a valid phone number (wrong length or unused range)")
    return number


def normalise_mobile(text: str, region: str = "GB") -> str:
    """The mobile number in `text` as E.164, or ValueError saying why it cannot be texted.

    Accepts national ("07400 123456"), international ("+44 7400 123456", "0044 7400 ...",
    "+33 6 12 34 56 78"), brackets, dashes and dots. `region` is where numbers written
    without a country code belong.
    """
    cleaned = (text or "").strip()
    number = _parsed(cleaned, region)
    kind = phonenumbers.number_type(number)
    if kind not in _TEXTABLE:
        what = _WHAT_IT_IS.get(kind, "not a mobile number")
        raise ValueError(f"{cleaned!r} is {what}, SMS needs a mobile")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalise_phone(text: str, region: str = "GB") -> str:
    """The number in `text` as E.164 when it can be phoned: a mobile or a landline (read as
    normalise_mobile reads them); ValueError saying why not. Premium-rate, shared-cost, pager and
    personal (070) numbers are refused: a call to one costs the force, or reaches nobody."""
    cleaned = (text or "").strip()
    number = _parsed(cleaned, region)
    kind = phonenumbers.number_type(number)
    if kind not in _CALLABLE:
        raise ValueError(f"{cleaned!r} is {_WHAT_IT_IS.get(kind, 'not a number that can be called')}; "
                         "Stand Up does not call those")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def mask_mobile(e164: str) -> str:
    """An E.164 number with all but the first and last three national digits hidden:
    "+447400123456" -> "+44 7*** ***456". For screens and logs that must not show it whole."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException as exc:
        raise ValueError(f"{e164!r} is not an E.164 number") from exc
    national = phonenumbers.national_significant_number(number)
    if len(national) < 5:
        raise ValueError(f"{e164!r} is too short to mask")
    masked = national[0] + "*" * (len(national) - 4) + national[-3:]
    return f"+{number.country_code} {masked[:4]} {masked[4:]}"


def show_phone(e164: str) -> str:
    """An E.164 number as people dial it: national for a UK number ("0161 496 0000"), international
    otherwise ("+33 6 12 34 56 78"). For pages and messages to the public."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException as exc:
        raise ValueError(f"{e164!r} is not an E.164 number") from exc
    shown = PhoneNumberFormat.NATIONAL if number.country_code == 44 else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, shown)
