"""What one roster cell means: a UK mobile, a date, a postcode, a DBS level, a PFA training
date or yes/no, a number of weekly hours, how the person is reached on a call-out. Each check_ reads a cell, returning its value in the
stored form, or None with the reason added to `reasons` when it cannot be read.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from core.phone import normalise_mobile
from rosters.contact_preferences import ContactBy
from rosters.sheet_rows import cell_text

DBS_LEVELS = ("basic", "standard", "enhanced")

# Royal Mail's format rules (outward code letters by position; inward code excludes
# C I K M O V), plus the Girobank oddity.
_POSTCODE = re.compile(
    r"(GIR 0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2})"
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_UK_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_NAMED_MONTH_DATE = re.compile(r"(\d{1,2})[\s\-]+([A-Za-z]{3,9})\.?[\s\-,]+(\d{4}|\d{2})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}
_HOURS = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)?", re.IGNORECASE)
# Excel shows long numbers as "7.4E+09" and saves them that way to CSV: the digits are gone.
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
_NO_DBS = frozenset({"none", "no", "n/a", "na", "nil", "-", "pending", "applied", "applied for"})
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def check_mobile(cell: object, reasons: list[str]) -> str | None:
    # A number cell loses the leading 0 (07400 123456 becomes 7400123456); phonenumbers
    # reads ten digits starting 7 as the UK mobile they were, and 447400123456 as +44.
    text = cell_text(cell)
    if not text:
        reasons.append("mobile is missing")
        return None
    if _SCIENTIFIC.fullmatch(text):
        reasons.append(
            f"mobile {text!r} was turned into a number by the spreadsheet and lost its digits; "
            "format the column as text"
        )
        return None
    try:
        return normalise_mobile(text)
    except ValueError as exc:
        reasons.append(f"mobile: {exc}")
        return None


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


def parse_date(cell: object) -> date:
    """A roster date: a spreadsheet date cell, ISO "2026-03-01", UK day-first "01/03/2026"
    (also "-" or "." between, and a two-digit year meaning 20YY, since roster dates such as
    DBS expiry and training are never last century), or "1 Mar 2026". ValueError otherwise."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        raise ValueError(f"{cell_text(cell)!r} is a number, not a date (format the cell as a date)")
    text = cell_text(cell)
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK_DATE.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
    elif (match := _NAMED_MONTH_DATE.fullmatch(text)) and match.group(2).casefold() in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).casefold()], int(match.group(3))
        if len(match.group(3)) == 2:
            year += 2000
    else:
        raise ValueError(f"{text!r} is not a date (write 2026-03-01 or 01/03/2026)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date (day/month/year)") from None


def check_date(cell: object, label: str, reasons: list[str]) -> date | None:
    if cell_text(cell) == "":
        return None
    try:
        return parse_date(cell)
    except ValueError as exc:
        reasons.append(f"{label}: {exc}")
        return None


def check_pfa(cell: object, reasons: list[str]) -> tuple[date | None, bool]:
    """(training date, trained?). A "PFA trained" column may hold a date or a yes/no."""
    text = cell_text(cell).casefold()
    if not text or text in _NO:
        return None, False
    if text in _YES:
        return None, True
    trained_on = check_date(cell, "PFA trained on", reasons)
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
