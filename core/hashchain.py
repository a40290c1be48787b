"""Hash chains for append-only records (audit events, decision logs).

Each row stores the hash of the previous row and its own hash over its content, so a row
changed or removed directly in the database breaks the chain at that row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
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
    broken = []
    expected_prev = GENESIS
    for row_id, fields, prev_hash, stored in rows:
        if prev_hash != expected_prev or link(prev_hash, fields) != stored:
            broken.append(row_id)
        expected_prev = stored
    return broken
