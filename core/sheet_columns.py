"""Which column of a list file holds which field: finding the header row (it may sit below a title
or notes block), matching its spellings to fields, and refusing a file whose header lacks a
required column, saying which and how they might be spelt. What the fields are, how each may be
spelt and which are required is the importing domain's `Columns` (rosters.roster_columns,
outreach.cohort_columns).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from core.sheet_rows import Record, SheetRefused, cell_text, is_blank

# How far down a title or notes block may push the header row.
HEADER_SEARCH_ROWS = 10


def header_key(cell: object) -> str:
    """A header cell as matched: lower case, letters and digits only ("E-mail" -> "email")."""
    return "".join(ch for ch in cell_text(cell).casefold() if ch.isascii() and ch.isalnum())


@dataclass
class Header:
    line: int
    labels: list[str]  # each column's header as written (made unique)
    columns: dict[str, int]  # field -> column index
    warnings: list[str]
    full_name_column: bool

    def cell(self, cells: Sequence[object], name: str) -> object:
        """The row's cell for field `name`; None when the file has no such column or the row stops short."""
        index = self.columns.get(name)
        return None if index is None or index >= len(cells) else cells[index]

    def as_written(self, cells: Sequence[object]) -> dict[str, str]:
        """The row keyed by the file's own header text, as its sender will recognise it."""
        values = {}
        for index, cell in enumerate(cells):
            label = self.labels[index] if index < len(self.labels) else f"column {index + 1}"
            text = cell_text(cell)
            if text or index < len(self.labels):
                values[label] = text
        return values


@dataclass(frozen=True)
class Columns:
    """One kind of list's header. `aliases` gives each field's spellings in header_key() form, best
    first: when a file has two columns for one field ("Mobile" and "Phone"), the better-named one is
    read and the other ignored with a warning. A header must hold every `required` field and, when
    `one_of` is given, at least one of those; `examples` spell them for the refusal."""

    kind: str  # "roster", "cohort": named in warnings and refusals
    aliases: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()
    examples: Mapping[str, str] = field(default_factory=dict)
    # Headers of one column holding whole names, where the list needs them split (a hint, not a field).
    full_name_headers: frozenset[str] = frozenset()
    _by_header: dict[str, tuple[str, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_header = {key: (name, rank) for name, keys in self.aliases.items() for rank, key in enumerate(keys)}
        object.__setattr__(self, "_by_header", by_header)

    def find_header(self, records: Iterator[Record]) -> Header:
        """The first row, within HEADER_SEARCH_ROWS non-blank rows, holding the required columns;
        `records` is left at the row after it. SheetRefused, saying what the best candidate lacked,
        when there is none."""
        best: Header | None = None
        for candidate in self._candidate_headers(records):
            if not self._missing(candidate.columns):
                return candidate
            if best is None or len(candidate.columns) > len(best.columns):
                best = candidate
        raise SheetRefused(self._no_header_reason(best))

    def header_score(self, records: Iterable[Record]) -> int:
        """How many fields the best-matching header row names; -1 for rows that cannot be read."""
        try:
            return max((len(h.columns) for h in self._candidate_headers(records)), default=0)
        except SheetRefused:
            return -1

    def _missing(self, columns: Mapping[str, int]) -> list[str]:
        missing = [name for name in self.required if name not in columns]
        if self.one_of and not any(name in columns for name in self.one_of):
            missing.append(" or ".join(self.one_of))
        return missing

    def _match_header(self, line: int, cells: Sequence[object]) -> Header:
        columns: dict[str, int] = {}
        ranks: dict[str, int] = {}
        warnings: list[str] = []
        labels: list[str] = []
        used_labels: set[str] = set()
        full_name = False
        for index, cell in enumerate(cells):
            label = cell_text(cell) or f"column {index + 1}"
            if label in used_labels:
                label = f"{label} (column {index + 1})"
            used_labels.add(label)
            labels.append(label)
            key = header_key(cell)
            if not key:
                continue
            full_name = full_name or key in self.full_name_headers
            match = self._by_header.get(key)
            if match is None:
                warnings.append(f"column {label!r} is not a {self.kind} column and was ignored")
                continue
            name, rank = match
            if name in columns:
                kept, dropped = (index, columns[name]) if rank < ranks[name] else (columns[name], index)
                warnings.append(
                    f"columns {labels[kept]!r} and {labels[dropped]!r} both look like {name}; "
                    f"{labels[kept]!r} was used"
                )
                if kept != index:
                    continue
            columns[name] = index
            ranks[name] = rank
        return Header(line, labels, columns, warnings, full_name)

    def _candidate_headers(self, records: Iterable[Record]) -> Iterator[Header]:
        seen = 0
        for line, cells in records:
            if is_blank(cells):
                continue
            yield self._match_header(line, cells)
            seen += 1
            if seen >= HEADER_SEARCH_ROWS:
                return

    def _no_header_reason(self, best: Header | None) -> str:
        if best is None:
            return "the file has no rows"
        missing = self._missing(best.columns)
        if not best.columns:
            reason = (f"no {self.kind} header found (looked in the first {HEADER_SEARCH_ROWS} rows): it needs "
                      "columns " + ", ".join(missing))
        else:
            reason = f"the header on line {best.line} is missing required columns: " + ", ".join(missing)
        spelt = [" or ".join(repr(self.examples[n]) for n in group.split(" or ") if n in self.examples)
                 for group in missing]
        if any(spelt):
            reason += " (e.g. " + ", ".join(s for s in spelt if s) + ")"
        if best.full_name_column and ("first_name" in missing or "last_name" in missing):
            reason += "; a single name column must be split into first name and surname"
        return reason
