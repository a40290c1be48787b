"""A row of an imported list (a roster, a cohort) that cannot go in, and the report of them whoever
sent the list fixes and sends back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.csv_safe import write_csv


@dataclass(frozen=True)
class RejectedRow:
    """A row that cannot go in. `values` is the row as written, keyed by the file's own
    header text (what the sender will recognise in a report); `reasons` lists every problem."""

    line: int
    values: Mapping[str, str] = field(hash=False)
    reasons: tuple[str, ...]


def rejected_rows_csv(rejected: Iterable[RejectedRow]) -> str:
    """The rejected rows, each with its reasons, as CSV the sender can fix and send back."""
    rejected = list(rejected)
    columns: list[str] = []
    for row in rejected:
        columns.extend(label for label in row.values if label not in columns)
    header = ["line", "reasons", *columns]
    return write_csv(
        ([row.line, "; ".join(row.reasons), *(row.values.get(c, "") for c in columns)] for row in rejected), header
    )
