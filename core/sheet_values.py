"""What a spreadsheet cell of any imported list means when it holds a mobile number or a date.
Each check_ reads a cell, returning its value in the stored form, or None with the reason added to
`reasons` when it cannot be read; parse_date raises instead.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from core.phone import normalise_mobile
from core.sheet_rows import cell_text

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
# Excel shows long numbers as "7.4E+09" and saves them that way to CSV: the digits are gone.
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")


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


def parse_date(cell: object, *, not_after: date | None = None) -> date:
    """A date in a list: a spreadsheet date cell, ISO "2026-03-01", UK day-first "01/03/2026"
    (also "-" or "." between), or "1 Mar 2026". A two-digit year means 20YY, since roster dates
    such as DBS expiry and training are never last century; with `not_after` (a date of birth: today)
    it means the latest such year that does not pass that day. ValueError otherwise."""
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
    elif (match := _NAMED_MONTH_DATE.fullmatch(text)) and match.group(2).casefold() in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).casefold()], int(match.group(3))
    else:
        raise ValueError(f"{text!r} is not a date (write 2026-03-01 or 01/03/2026)")
    two_digit_year = len(match.group(3)) == 2 and match.re is not _ISO_DATE
    try:
        if not two_digit_year:
            return date(year, month, day)
        found = date(2000 + year, month, day)
        if not_after is not None and found > not_after:
            found = date(1900 + year, month, day)
        return found
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
