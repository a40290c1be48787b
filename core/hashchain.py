"""Hash chains for append-only records (audit events, decision logs).

Each row stores the hash of the previous row and its own hash over its content, so a row
changed or removed directly in the database breaks the chain at that row. A chain alone cannot
show that its newest rows were removed (what is left still links up), so every append also moves
the chain's head — how many rows, and the newest one's hash — kept apart from the rows; checking
compares the two.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.clock import as_utc

GENESIS = "0" * 64


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    return value


def link(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of one row: its predecessor's hash and its own canonical content."""
    payload = json.dumps({k: _canonical(v) for k, v in fields.items()}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()


def broken_links(rows: Iterable[tuple[Any, Mapping[str, Any], str, str]]) -> list[Any]:
    """Ids of rows whose stored hashes do not follow from the chain, in chain order.

    Each row is (id, fields, prev_hash, hash). A row edited in place fails its own hash; a row
    deleted makes its successor's prev_hash point at nothing.
    """
    return list(walk(rows).broken)


@dataclass(frozen=True)
class Walk:
    broken: tuple  # ids of rows whose hashes do not follow
    count: int
    last: str  # the newest row's hash (GENESIS for an empty chain)
    # Position in the chain (1 = oldest) -> (row id, stored hash), for the positions asked for:
    # what a signed checkpoint of that length is compared with.
    kept: Mapping[int, tuple[Any, str]] = field(default_factory=dict, compare=False)


def walk(rows: Iterable[tuple[Any, Mapping[str, Any], str, str]], keep_at: frozenset[int] = frozenset()) -> Walk:
    """Follow every link once, in chain order, keeping the rows at the positions `keep_at` names."""
    broken, kept = [], {}
    expected_prev, count = GENESIS, 0
    for row_id, fields, prev_hash, stored in rows:
        if prev_hash != expected_prev or link(prev_hash, fields) != stored:
            broken.append(row_id)
        expected_prev = stored
        count += 1
        if count in keep_at:
            kept[count] = (row_id, stored)
    return Walk(tuple(broken), count, expected_prev, kept)


@dataclass(frozen=True)
class Head:
    """What the chain's owner last recorded: how many rows, and the newest row's hash."""

    length: int
    hash: str


@dataclass(frozen=True)
class ChainCheck:
    """What checking a chain found. Rows are named as the chain numbers them (audit: event id;
    decision log: entry number)."""

    broken: tuple = ()  # rows whose hashes no longer follow: edited, or the row before them removed
    missing: tuple = ()  # rows known to have been written that are no longer there
    missing_unnamed: int = 0  # further rows the head counts that are not there
    tail_differs: bool = False  # the newest row is not the one Stand Up recorded last
    rewritten: tuple = ()  # rows whose hash is not the one recorded elsewhere when they were written
    pending: int = 0  # rows written but not yet linked into the chain (the audit trail's, for a moment): not damage
    walked: Walk = field(default=Walk((), 0, GENESIS), compare=False)  # for the signed checkpoints' comparison

    @property
    def intact(self) -> bool:
        return not (self.broken or self.missing or self.missing_unnamed or self.tail_differs or self.rewritten)

    def findings(self, one: str, many: str) -> list[str]:
        """One sentence per kind of damage, for a person."""
        def rows(ids: tuple) -> str:
            shown = ", ".join(map(str, ids[:20])) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
            return f"{one if len(ids) == 1 else many} {shown}"

        said = []
        if self.missing:
            said.append(f"{rows(self.missing)} {'is' if len(self.missing) == 1 else 'are'} missing: removed "
                        "outside Stand Up.")
        if self.missing_unnamed:
            said.append(f"{self.missing_unnamed} {one if self.missing_unnamed == 1 else many} "
                        f"{'is' if self.missing_unnamed == 1 else 'are'} missing: the chain's head counts more "
                        "than are there.")
        if self.broken:
            said.append(f"The chain is broken at {rows(self.broken)}: changed, or the one before removed.")
        if self.rewritten:
            said.append(f"{rows(self.rewritten)} no longer match the hashes recorded when they were written: "
                        "rewritten with fresh hashes.")
        if self.tail_differs and not (self.missing or self.missing_unnamed):
            said.append(f"The newest {one} is not the one Stand Up wrote last: rows were added or replaced "
                        "outside Stand Up.")
        return [sentence[0].upper() + sentence[1:] for sentence in said]


def check_chain(rows: Iterable[tuple[Any, Mapping[str, Any], str, str]], head: Head | None) -> ChainCheck:
    """Check every link, then the chain against its head."""
    return against_head(walk(rows), head)


def against_head(walked: Walk, head: Head | None) -> ChainCheck:
    """A walked chain against its head (None: no head recorded, so any row is one Stand Up did not count)."""
    head = head or Head(0, GENESIS)
    return ChainCheck(broken=walked.broken, missing_unnamed=max(head.length - walked.count, 0),
                      tail_differs=walked.last != head.hash, walked=walked)
