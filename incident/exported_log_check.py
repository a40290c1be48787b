"""Checking the decision log of an inquiry file (`standup export incident`'s JSON) without the
database: each entry's hash recomputed from the fields in its row and the one before it, and the
log compared with the signed checkpoints the file carries, their signatures checked with the
force's record of the public key. Plain values only: `standup audit verify-export` runs it on any
machine with Stand Up installed, with no database and no key but the public one.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.audit.checkpoints import against_checkpoints, from_record, holds, positions_to_keep
from core.audit.signing_key import public_key_from_text
from core.hashchain import ChainCheck, walk
from incident.decision_service import CHAINED_FIELDS

# The row's name for a field the hash covers, where the export renames it.
EXPORTED_AS = {"recorded_by_name": "recorded_by"}


def _chained(row: Mapping, incident_id: int) -> dict:
    return {"incident_id": incident_id,
            **{name: row[EXPORTED_AS.get(name, name)] for name in CHAINED_FIELDS if name != "incident_id"}}


class NotAnInquiryFile(ValueError):
    """The document lacks what an inquiry file holds."""


def check_exported_log(document: Mapping, public_key: str | None = None) -> tuple[list[str], str]:
    """(one sentence per finding, a summary when there is none). `public_key`: the force's record of
    it (default: the one the file carries, which proves only that the file agrees with itself)."""
    try:
        incident_id = document["incident"][0]["id"]
        rows = list(document["decision_log"])
        carried = document["decision_log_checkpoints"]
        records, chain, file_key = list(carried["signed"]), carried["chain"], carried["public_key"]
        checkpoints = [from_record(record) for record in records]
        chained = [(row["sequence"], _chained(row, incident_id), row["prev_hash"], row["hash"]) for row in rows]
    except (KeyError, IndexError, TypeError, ValueError):
        raise NotAnInquiryFile("this is not a Stand Up inquiry file with signed checkpoints "
                               "(`standup export incident` writes incident-ID.json)") from None
    findings = []
    if public_key is not None and public_key != file_key:
        findings.append(f"The file names the public key {file_key}, not {public_key}: its checkpoints are checked "
                        "with the one given.")
    try:
        public = public_key_from_text(public_key or file_key)
    except ValueError as problem:
        raise NotAnInquiryFile(f"the file's public key is not one: {problem}") from None
    genuine = [c for c in checkpoints if c.chain == chain == f"decision_log:{incident_id}" and holds(c, public)]
    if len(genuine) < len(checkpoints):
        bad = [str(n) for n, c in enumerate(checkpoints, start=1) if c not in genuine]
        findings.append(f"Signed checkpoint{'' if len(bad) == 1 else 's'} {', '.join(bad)} of the file "
                        f"{'is' if len(bad) == 1 else 'are'} not signed with that key for this incident's log: "
                        "altered after signing.")
    walked = walk(chained, positions_to_keep(genuine))
    findings += ChainCheck(broken=walked.broken).findings("entry", "entries")
    findings += against_checkpoints(walked, genuine, "entry", "entries")
    if not genuine:
        findings.append("The file carries no checkpoint signed with that key: nothing outside the database "
                        "vouches for its decision log.")
        return findings, ""
    newest = max(c.length for c in genuine)
    return findings, (f"intact: the {walked.count} entries of incident {incident_id}'s decision log follow from "
                      f"their content and match {len(genuine)} signed checkpoint{'' if len(genuine) == 1 else 's'} (the newest covers "
                      f"{newest} entries), key {public_key or file_key}")
