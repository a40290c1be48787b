"""When two rows of a cohort (or a row and a contact the cohort already holds) are one person
(INTERFACES.md, "Cohort file"): they share a usable email or mobile and their names do not
conflict. Names are compared without case or accents (and without the spaces and punctuation
people type differently: "O'Neil" is "ONeil"); a blank name conflicts with nothing. The earlier
of the two carries on: the later is merged into it, filling only what it lacks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

KEY_LENGTH = 80  # the stored key's column


def name_key(name: str) -> str:
    """"Zoë  O'Brien" -> "zoeobrien": case, accents, spaces and punctuation gone."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))[:KEY_LENGTH]


def names_conflict(given_a: str, family_a: str, given_b: str, family_b: str) -> bool:
    """Whether two people's name keys say they are different people (a blank says nothing)."""
    return any(a and b and a != b for a, b in ((given_a, given_b), (family_a, family_b)))


@dataclass(eq=False)  # two people with the same details are still two entries
class Someone:
    """A person as the matcher knows them: a stored contact (`contact_id`) or a row of the file
    being imported (`line`); `order` says which came first."""

    order: int
    given_name: str = ""
    family_name: str = ""
    email: str | None = None
    mobile: str | None = None
    postcode: str = ""
    nation: str = ""
    force_area: str = ""
    date_of_birth: date | None = None
    contact_ref: str = ""
    contact_id: int | None = None
    person_id: int | None = None  # the registered person they are, once known
    line: int | None = None
    rows_merged: int = 0
    filled: set[str] = field(default_factory=set)  # what changed since it was stored
    # Other addresses rows merged into them gave: stored ones, and those new in this import.
    other_addresses: set[tuple[str, str]] = field(default_factory=set)
    new_addresses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def given_key(self) -> str:
        return name_key(self.given_name)

    @property
    def family_key(self) -> str:
        return name_key(self.family_name)

    def conflicts_with(self, other: Someone) -> bool:
        return names_conflict(self.given_key, self.family_key, other.given_key, other.family_key)


class SamePeople:
    """Everyone met so far, found by email and by mobile. A row merged into someone also makes them
    findable by the row's own email and mobile (kept as their other addresses), so a third row
    sharing only those is the same person too, in this import and any later one."""

    def __init__(self) -> None:
        self._index: dict[tuple[str, str], list[Someone]] = {}

    def add(self, someone: Someone) -> None:
        for address in (*_addresses(someone), *someone.other_addresses):
            self._found_by(someone, address)

    def earlier_self(self, row: Someone) -> Someone | None:
        """The earliest person met who shares the row's email or mobile without a conflicting name."""
        candidates = [c for address in _addresses(row) for c in self._index.get(address, ())]
        return min((c for c in candidates if not c.conflicts_with(row)), key=lambda c: c.order, default=None)

    def merge(self, earlier: Someone, later: Someone) -> None:
        """`later` is `earlier`, who takes from it only what they lack: a name, an email, a mobile,
        a date of birth, the list's reference, a postcode (with its nation and force area)."""
        for name in ("given_name", "family_name", "email", "mobile", "date_of_birth", "contact_ref"):
            self._fill(earlier, name, getattr(later, name))
        if not earlier.postcode and later.postcode:
            for name in ("postcode", "nation", "force_area"):
                self._fill(earlier, name, getattr(later, name))
        earlier.rows_merged += 1
        earlier.filled.add("rows_merged")
        own = set(_addresses(earlier))
        for address in _addresses(later):
            if address not in own and address not in earlier.other_addresses:
                earlier.other_addresses.add(address)
                earlier.new_addresses.append(address)
            self._found_by(earlier, address)

    @staticmethod
    def _fill(someone: Someone, name: str, value: object) -> None:
        if value and not getattr(someone, name):
            setattr(someone, name, value)
            someone.filled.add(name)

    def _found_by(self, someone: Someone, address: tuple[str, str]) -> None:
        known = self._index.setdefault(address, [])
        if not any(k is someone for k in known):
            known.append(someone)


def _addresses(someone: Someone) -> list[tuple[str, str]]:
    return [(kind, value) for kind, value in (("email", someone.email), ("mobile", someone.mobile)) if value]


def sort_out(stored: list[Someone], rows: list[Someone]) -> tuple[list[Someone], int]:
    """Each row, in order, merged into whom it is (a stored contact or an earlier row) or new:
    (the new people, how many rows were merged). The stored ones record what merges gave them."""
    people = SamePeople()
    for someone in stored:
        people.add(someone)
    new: list[Someone] = []
    merged = 0
    for row in rows:
        earlier = people.earlier_self(row)
        if earlier is None:
            people.add(row)
            new.append(row)
        else:
            people.merge(earlier, row)
            merged += 1
    return new, merged
