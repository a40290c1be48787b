"""CSV that a spreadsheet shows rather than runs: every export goes through here.

A cell starting with = + - @ (or a tab or carriage return, possibly after spaces) is a formula
to Excel and LibreOffice; a leading apostrophe makes it text (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> str:
    """A value as CSV cell text: None is "", dates are ISO, formula starts get an apostrophe."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date | datetime | time) else str(value)
    if text.lstrip(" ").startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(rows: Iterable[Mapping[str, object] | Sequence[object]], header: Sequence[str]) -> str:
    """CSV text (RFC 4180, CRLF) with `header` first and every cell neutralised. A mapping row
    is read by header name (missing is blank, extra keys are not exported); a sequence row
    must have one value per header column. Encode as "utf-8-sig" for Excel to read accents."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise_cell(name) for name in header])
    for number, row in enumerate(rows, start=1):
        if isinstance(row, Mapping):
            cells = [row.get(name) for name in header]
        elif isinstance(row, str | bytes):
            raise TypeError(f"row {number} is a string; give a mapping or a sequence of cells")
        else:
            cells = list(row)
            if len(cells) != len(header):
                raise ValueError(f"row {number} has {len(cells)} cells; the header has {len(header)}")
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return out.getvalue()
