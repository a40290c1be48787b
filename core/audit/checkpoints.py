"""Signed checkpoints of the hash chains, and what comparing a chain with them shows.

A checkpoint says: at this time, this chain had this many rows and its newest row had this hash,
signed with the Ed25519 key that is not in the database (core.audit.signing_key). A chain only
ever grows, and a row's hash covers every row before it, so every genuine checkpoint must still
describe the chain's first `length` rows: fewer rows now means rows were removed; another hash at
that length means the chain up to there was rewritten and its hashes rebuilt. A line whose
signature does not hold was not written by Stand Up.

Plain values only (no Session): the worker, `standup audit verify` and an inquiry reading an
exported decision log all use it.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.audit.signing_key import key_id
from core.clock import as_utc, show
from core.hashchain import Head, Walk

# Signed before the fields, so a signature made for anything else never passes for a checkpoint.
PURPOSE = b"standup checkpoint v1\n"


@dataclass(frozen=True)
class Checkpoint:
    chain: str  # "audit", "decision_log:<incident id>"
    length: int
    hash: str  # the newest row's hash when the chain had `length` rows
    at: str  # when it was signed: ISO 8601, UTC, whole seconds
    key: str  # which key signed it (signing_key.key_id)
    signature: str  # Ed25519 over PURPOSE + the other fields as canonical JSON, url-safe base64

    @property
    def signed_at(self) -> datetime:
        return datetime.fromisoformat(self.at)


def _message(chain: str, length: int, hash_: str, at: str, key: str) -> bytes:
    fields = {"chain": chain, "length": length, "hash": hash_, "at": at, "key": key}
    return PURPOSE + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def sign(chain: str, head: Head, at: datetime, private: Ed25519PrivateKey) -> Checkpoint:
    when = as_utc(at).replace(microsecond=0).isoformat()
    key = key_id(private.public_key())
    signature = private.sign(_message(chain, head.length, head.hash, when, key))
    return Checkpoint(chain, head.length, head.hash, when, key, base64.urlsafe_b64encode(signature).decode())


def holds(checkpoint: Checkpoint, public: Ed25519PublicKey) -> bool:
    """The signature is this key's, over exactly these fields."""
    c = checkpoint
    try:
        public.verify(base64.urlsafe_b64decode(c.signature.encode()), _message(c.chain, c.length, c.hash, c.at, c.key))
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def as_line(checkpoint: Checkpoint) -> str:
    """One JSON line, as the checkpoint file, syslog and an inquiry export carry it."""
    return json.dumps(asdict(checkpoint), sort_keys=True, separators=(",", ":"))


def from_record(record: object) -> Checkpoint:
    """A checkpoint from its JSON form; ValueError when it is not one."""
    if not isinstance(record, dict) or set(record) != set(Checkpoint.__dataclass_fields__):
        raise ValueError("not a checkpoint")
    c = Checkpoint(**record)
    if not (all(isinstance(v, str) for v in (c.chain, c.hash, c.at, c.key, c.signature))
            and isinstance(c.length, int) and not isinstance(c.length, bool)):
        raise ValueError("not a checkpoint")
    try:
        c.signed_at  # noqa: B018  a time that cannot be read is no checkpoint
    except ValueError:
        raise ValueError("not a checkpoint") from None
    return c


def from_line(line: str) -> Checkpoint:
    try:
        return from_record(json.loads(line))
    except json.JSONDecodeError:
        raise ValueError("not a checkpoint") from None


def positions_to_keep(checkpoints: Iterable[Checkpoint]) -> frozenset[int]:
    """The chain positions a walk keeps for `against_checkpoints`: each checkpoint's length (to
    compare) and the row after it (to name where a difference starts)."""
    lengths = {c.length for c in checkpoints}
    return frozenset({1} | lengths | {n + 1 for n in lengths})


def against_checkpoints(walked: Walk, checkpoints: Sequence[Checkpoint], one: str, many: str) -> list[str]:
    """One sentence per difference between the chain as walked now and its genuine checkpoints
    (their signatures checked); rows are named as the chain names them (`one`, `many`: "event",
    "events"). The walk kept `positions_to_keep(checkpoints)`."""
    said = []
    if not checkpoints:
        return said
    longest = max(checkpoints, key=lambda c: c.length)
    if longest.length > walked.count:
        gone = longest.length - walked.count
        said.append(f"{gone} {one if gone == 1 else many} {'is' if gone == 1 else 'are'} missing: the checkpoint "
                    f"signed {_when(longest)} counted {longest.length}, {walked.count} "
                    f"{'is' if walked.count == 1 else 'are'} there now (removed outside Stand Up).")
    present = [c for c in checkpoints if c.length <= walked.count]
    differing = [c for c in present if walked.kept[c.length][1] != c.hash]
    if differing:
        first = min(differing, key=lambda c: c.length)
        # The newest position still as signed, below the first that is not: the change lies between.
        intact = max((c.length for c in present if c.length < first.length and c.hash == walked.kept[c.length][1]),
                     default=0)
        start, end = walked.kept[intact + 1][0], walked.kept[first.length][0]
        rows = f"{one.capitalize()} {end}" if start == end else f"{many.capitalize()} {start} to {end}"
        said.append(f"{rows} rewritten: the chain no longer matches the checkpoint signed {_when(first)} "
                    f"({first.length} {one if first.length == 1 else many}); changed, removed or replaced outside "
                    "Stand Up and the hashes rebuilt"
                    + (f" (up to {one} {walked.kept[intact][0]} it is as signed)." if intact else "."))
    return said


def _when(checkpoint: Checkpoint) -> str:
    return f"at {show(checkpoint.signed_at, '%d %b %Y %H:%M:%S')} London time"
