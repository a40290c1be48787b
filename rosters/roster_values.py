"""What one roster cell means: a postcode, a DBS level, a training date or yes/no, a number of
weekly hours, how the person is reached on a call-out (a mobile and a date are core.sheet_values'). Each check_ reads a cell, returning its
value in the stored form, or None with the reason added to `reasons` when it cannot be read.
"""

from __future__ import annotations

import re
from datetime import date

from core.sheet_rows import cell_text
from core.sheet_values import check_date
from rosters.contact_preferences import ContactBy

DBS_LEVELS = ("basic", "standard", "enhanced")

# Royal Mail's format rules (outward code letters by position; inward code excludes
# C I K M O V), plus the Girobank oddity.
_POSTCODE = re.compile(
    r"(GIR 0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2})"
)
_HOURS = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)?", re.IGNORECASE)
_NO_DBS = frozenset({"none", "no", "n/a", "na", "nil", "-", "pending", "applied", "applied for"})
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def check_dbs_level(text: str, reasons: list[str]) -> str | None:
    """basic, standard or enhanced; None when blank or when the cell says there is none."""
    if not text or text.casefold() in _NO_DBS:
        return None
    words = [w for w in re.split(r"[^a-z]+", text.casefold()) if w and w not in ("dbs", "check", "level")]
    first = words[0] if words else ""
    # "Enhanced with barred list(s)" and "Enhanced + barred" are still enhanced checks.
    if first.startswith("enh"):
        return "enhanced"
    if first in ("standard", "std"):
        return "standard"
    if first == "basic":
        return "basic"
    reasons.append(f"DBS level {text!r} is not basic, standard or enhanced")
    return None


def check_trained(cell: object, label: str, reasons: list[str]) -> tuple[date | None, bool]:
    """(training date, trained?). A "PFA trained" (or any course's "trained on") column may hold a date
    or a yes/no."""
    text = cell_text(cell).casefold()
    if not text or text in _NO:
        return None, False
    if text in _YES:
        return None, True
    trained_on = check_date(cell, label, reasons)
    return trained_on, trained_on is not None


def normalise_postcode(text: str) -> str:
    """A UK postcode in its standard form ("sw1a1aa" -> "SW1A 1AA"); ValueError if it is not one."""
    compact = "".join(text.split()).upper()
    candidate = f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact
    if not _POSTCODE.fullmatch(candidate):
        raise ValueError(f"{text!r} is not a UK postcode")
    return candidate


def check_postcode(text: str, reasons: list[str]) -> str | None:
    if not text:
        return None
    try:
        return normalise_postcode(text)
    except ValueError as exc:
        reasons.append(f"home postcode: {exc}")
        return None


def check_hours(cell: object, reasons: list[str]) -> float | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        hours = float(cell)
        shown = cell_text(cell)
    else:
        shown = cell_text(cell)
        if not shown:
            return None
        match = _HOURS.fullmatch(shown)
        if not match:
            reasons.append(f"max hours per week {shown!r} is not a number of hours")
            return None
        hours = float(match.group(1))
    if not 0 < hours <= 168:  # also refuses NaN
        reasons.append(f"max hours per week {shown} must be more than 0 and at most 168")
        return None
    return hours


# How a file may write each contact preference, in the form _contact_key() gives (lower case,
# letters only). A bare "phone" or "mobile" is no answer: texts go to the phone too.
_CONTACT_BY = {
    ContactBy.SMS_ONLY: ("smsonly", "sms", "text", "texts", "textonly", "textsonly", "smsonlynocalls", "nocalls",
                         "nocall", "dontcall", "donotcall", "nophonecalls", "neverphone", "nevercall"),
    ContactBy.SMS_THEN_CALL: ("smsthencall", "smsthenacall", "smsthenphone", "textthencall", "textthenphone",
                              "smscall", "smsandcall", "textandcall", "smsorcall", "either", "both", "any"),
    ContactBy.CALL_FIRST: ("callfirst", "call", "calls", "phonecall", "phonefirst", "ringfirst", "voice",
                           "callthensms", "callthentext", "phonethentext"),
}
_CONTACT_BY_KEYS = {key: choice for choice, keys in _CONTACT_BY.items() for key in keys}


def _contact_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isascii() and ch.isalpha())


def check_contact_by(text: str, reasons: list[str]) -> str | None:
    """The contact preference written, as stored (a ContactBy value); None when blank (the stored
    one stays, a new person gets the default) or when it cannot be read, the reason added."""
    if not text:
        return None
    choice = _CONTACT_BY_KEYS.get(_contact_key(text))
    if choice is None:
        reasons.append(f"contact by {text!r} is not a choice: write SMS only (never phoned), SMS then call, "
                       "or call first")
        return None
    return choice.value
