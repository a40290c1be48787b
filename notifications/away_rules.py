"""Staff telling us by SMS when they are away: "AWAY 3/12-10/12", then "BACK" (responders have no
login, so a text is how they can record it themselves). Plain values in and out; no database.

Decisions (each has a test):
- The message must start with AWAY (any case, punctuation around it) and then hold only the
  dates; BACK must be the whole message. Anything else is not an availability message, so
  ordinary replies ("back soon", "away at the moment, sorry") are left to the other readers.
- Whole days, UK order (day/month): "3/12", "3.12", "3/12/26", "3/12/2026", "3 Dec", "3rd
  December 2026", "today", "tomorrow". A range is "A-B", "A to B", "A until B"; "3-10 Dec"
  takes the month from the end; "until 10/12" starts today; one date is that day alone.
- A date without a year, at the end of a range (or alone), is the first such day from six
  months ago: the nearest one, as people mean it ("1/12" sent on 3 December has passed, it is
  not next year's). The start is then the latest such day not after the end, so "AWAY
  1/12-10/12" sent on 3 December means this week (already begun), and "28/12-3/1" crosses
  the new year.
- Away for at most 90 days (the rosters' longest window), starting within 90 days and ending
  today or later. A past start is fine: the time away simply runs from now.
- AWAY with dates we cannot read is answered with how to write them, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MAX_DAYS = 90

_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for name in names}
_AWAY = re.compile(r"^[\s\W_]*away\b(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_BACK = re.compile(r"^[\s\W_]*back[\s\W_]*$", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_SEPARATOR = re.compile(r"\s*(?:-|\bto\b|\buntil\b|\btill\b|\btil\b)\s*")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?")
_NAMED = re.compile(r"(\d{1,2})\s*([a-z]+)(?:\s+(\d{4}))?")
_DAY_ONLY = re.compile(r"\d{1,2}")
_NEAREST = timedelta(days=182)  # a date without a year is the first such day from this long ago

HOW_TO = ("To tell us you are away, text AWAY and the dates, e.g. AWAY 3/12-10/12 (day/month). "
          "Text BACK when you return.")


@dataclass(frozen=True)
class Away:
    first_day: date  # London dates, both included
    last_day: date


@dataclass(frozen=True)
class Back:
    pass


@dataclass(frozen=True)
class Unreadable:
    why: str  # for the person, before HOW_TO


@dataclass(frozen=True)
class _Written:
    """One date as written: any part may be missing."""

    day: int | None
    month: int | None
    year: int | None
    relative: str | None = None  # "today" or "tomorrow"


class _Bad(ValueError):
    pass


def read_away(body: str, today: date) -> Away | Back | Unreadable | None:
    """What an AWAY or BACK text asks for; None when the text is neither."""
    if _BACK.match(body or ""):
        return Back()
    matched = _AWAY.match(body or "")
    if matched is None:
        return None
    rest = _ORDINAL.sub(r"\1", matched["rest"].lower().replace("–", "-").replace("—", "-"))
    rest = re.sub(r"^[\s:,;.!]*(?:from\s+)?", "", rest)
    rest = re.sub(r"[\s.!,;]*$", "", rest)
    try:
        first_day, last_day = _range(rest, today)
    except _Bad as bad:
        return Unreadable(str(bad))
    if last_day < today:
        return Unreadable("Those dates have passed.")
    if first_day > last_day:
        return Unreadable("The last day is before the first.")
    if (last_day - first_day).days + 1 > MAX_DAYS:
        return Unreadable(f"We can record up to {MAX_DAYS} days at a time.")
    if first_day > today + timedelta(days=MAX_DAYS):
        return Unreadable(f"We can record time away starting within the next {MAX_DAYS} days.")
    return Away(first_day, last_day)


def _range(text: str, today: date) -> tuple[date, date]:
    if not text:
        raise _Bad("Which dates?")
    if re.match(r"(?:until|till|til|to)\b", text):
        text = "today-" + re.sub(r"^(?:until|till|til|to)\s*", "", text)
    parts = _SEPARATOR.split(text)
    if len(parts) == 1:
        day = _resolve(_written(parts[0]), today, not_before=today - _NEAREST)
        return day, day
    if len(parts) != 2 or not all(parts):
        raise _Bad("We could not read those dates.")
    first, last = parts
    end_written = _written(last)
    start_written = _written(first, allow_day_only=True)
    if start_written.month is None and start_written.relative is None:  # "3-10 Dec"
        if end_written.month is None:
            raise _Bad("Which month?")
        start_written = _Written(start_written.day, end_written.month, end_written.year)
    end = _resolve(end_written, today, not_before=today - _NEAREST)
    return _resolve(start_written, today, not_after=end), end


def _written(text: str, *, allow_day_only: bool = False) -> _Written:
    text = text.strip()
    if text in ("today", "tomorrow"):
        return _Written(None, None, None, relative=text)  # resolved against today below
    if found := _NUMERIC.fullmatch(text):
        return _Written(int(found[1]), int(found[2]), _year(found[3]))
    if (found := _NAMED.fullmatch(text)) and found[2] in _MONTHS:
        return _Written(int(found[1]), _MONTHS[found[2]], _year(found[3]))
    if allow_day_only and _DAY_ONLY.fullmatch(text):
        return _Written(int(text), None, None)
    raise _Bad(f"We could not read {text[:20]!r} as a date.")


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _resolve(written: _Written, today: date, *, not_before: date | None = None,
             not_after: date | None = None) -> date:
    """The date meant: with no year, the first such day from `not_before`, or the last one up to
    `not_after`."""
    if written.relative is not None:
        return today if written.relative == "today" else today + timedelta(days=1)
    day, month = written.day, written.month
    if written.year is not None:
        return _date(written.year, month, day)
    anchor = not_before or not_after
    for year in ((anchor.year, anchor.year + 1) if not_before else (anchor.year, anchor.year - 1)):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February in a year without one: try the other year
        if (not_before and candidate >= not_before) or (not_after and candidate <= not_after):
            return candidate
    return _date(anchor.year, month, day)  # names the impossible date (31/2) for the person


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Bad(f"{day}/{month} is not a date.") from None


def away_text(away: Away, shifts: int) -> str:
    """The confirmation: the dates only (no names, no places). GSM-7."""
    text = (f"Noted: away {_day(away.first_day)} to {_day(away.last_day)}, so we will not ask you for "
            "shifts then. Text BACK if that changes.")
    if shifts:
        text += (f" You are on {shifts} shift{'s' if shifts > 1 else ''} in that time: the hub manager "
                 "will be in touch.")
    return text


def back_text(ended: int) -> str:
    if ended:
        return "Welcome back: you can be asked for shifts again from now. Thank you for telling us."
    return "Thank you. We had no time away recorded from your texts, so nothing has changed."


def unreadable_text(problem: Unreadable) -> str:
    return f"{problem.why} {HOW_TO}"


def _day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b}"
