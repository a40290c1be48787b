"""The inquiry file: one incident's M/ETHANE history, decision log (with its chain hashes and the
signed checkpoints of it, so an inquiry can check the log without the database: incident.exported_log_check),
activations, hubs, command structure and status history, as JSON and as CSV."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from core.audit.chain_head import decision_log_chain
from core.audit.checkpoint_service import signed_checkpoints, write_checkpoints
from core.audit.checkpoint_targets import configured_targets
from core.audit.checkpoints import Checkpoint, against_checkpoints, positions_to_keep
from core.audit.service import disclosure_recipient, record
from core.auth.roles import Actor, Permission, require
from core.clock import as_utc, now
from core.csv_safe import write_csv
from incident.activation_service import activations_board
from incident.command_service import command_structure, handovers
from incident.decision_service import decision_log, verify_decision_log
from incident.hub_service import hubs
from incident.lifecycle_service import get_incident, status_history
from incident.methane_service import METHANE_FIELDS, methane_versions

# The CSV columns of each table, also used when a table is empty (a header with no rows).
COLUMNS: dict[str, tuple[str, ...]] = {
    "incident": ("id", "name", "is_exercise", "status", "summary", "opened_on", "declared_at", "closed_at",
                 "decision_log_broken_entries", "decision_log_check"),
    "status_history": ("at", "from_status", "to_status", "by", "reason"),
    "methane": ("version", "created_at", "created_by", *METHANE_FIELDS),
    "decision_log": ("sequence", "decided_at", "recorded_at", "decision_maker", "recorded_by", "decision",
                     "rationale", "options_considered", "late_reason", "corrects_entry", "correction_reason",
                     "struck_through_by_entry", "prev_hash", "hash", "recorded_by_id", "corrects_id"),
    "activations": ("activation_id", "service", "lead_agency", "stage", "at", "by", "note"),
    "hubs": ("name", "kind", "address", "postcode", "latitude", "longitude", "opening_hours", "capacity", "contact"),
    "commanders": ("agency", "level", "name", "contact", "started_at", "ended_at"),
    "handovers": ("agency", "level", "outgoing", "incoming", "handed_over_at", "briefing", "recorded_by"),
}


def _when(value: datetime | None) -> str | None:
    return None if value is None else as_utc(value).isoformat()


def inquiry_file(session: Session, actor: Actor, incident_id: int,
                 checkpoints: list[Checkpoint]) -> dict[str, list[dict]]:
    """Every record of the incident as plain rows, table by table (times in UTC, ISO 8601); the
    decision log checked against its head, the audit trail and the signed `checkpoints` of it."""
    require(actor, Permission.INCIDENT_VIEW)
    incident = get_incident(session, actor, incident_id)
    check = verify_decision_log(session, actor, incident_id, keep_at=positions_to_keep(checkpoints))
    findings = check.findings("entry", "entries") + against_checkpoints(check.walked, checkpoints, "entry", "entries")
    return {
        "incident": [{"id": incident.id, "name": incident.name, "is_exercise": incident.is_exercise,
                      "status": incident.status, "summary": incident.summary,
                      "opened_on": incident.opened_on.isoformat(), "declared_at": _when(incident.declared_at),
                      "closed_at": _when(incident.closed_at),
                      # Entries changed, removed or rewritten (the check, in words, beside it).
                      "decision_log_broken_entries": sorted({*check.broken, *check.missing, *check.rewritten}),
                      "decision_log_check": " ".join(findings) or "intact"}],
        "status_history": [{"at": _when(c.at), "from_status": c.from_status, "to_status": c.to_status,
                            "by": c.by_name, "reason": c.reason} for c in status_history(session, actor, incident_id)],
        "methane": [{"version": m.version, "created_at": _when(m.created_at), "created_by": m.created_by_name,
                     **{n: getattr(m, n) for n in METHANE_FIELDS}} for m in methane_versions(session, actor, incident_id)],
        "decision_log": [{"sequence": e.sequence, "decided_at": _when(e.decided_at), "recorded_at": _when(e.recorded_at),
                          "decision_maker": e.decision_maker, "recorded_by": e.recorded_by_name,
                          "decision": e.decision, "rationale": e.rationale,
                          "options_considered": e.options_considered, "late_reason": e.late_reason,
                          "corrects_entry": line.corrects, "correction_reason": e.correction_reason,
                          "struck_through_by_entry": line.corrected_by, "prev_hash": e.prev_hash, "hash": e.hash,
                          # With these two, every field the entry's hash covers is in its row.
                          "recorded_by_id": e.recorded_by_id, "corrects_id": e.corrects_id}
                         for line in decision_log(session, actor, incident_id) for e in (line.entry,)],
        "activations": [{"activation_id": card.activation_id, "service": card.service,
                         "lead_agency": card.lead_agency, "stage": step.stage, "at": _when(step.at), "by": step.by,
                         "note": step.note}
                        for card in activations_board(session, actor, incident_id) for step in card.steps],
        "hubs": [{"name": h.name, "kind": h.kind, "address": h.address, "postcode": h.postcode,
                  "latitude": h.latitude, "longitude": h.longitude, "opening_hours": h.opening_hours,
                  "capacity": h.capacity, "contact": h.contact} for h in hubs(session, actor, incident_id)],
        "commanders": [{"agency": line.agency, "level": line.commander.level, "name": line.commander.name,
                        "contact": line.commander.contact, "started_at": _when(line.commander.started_at),
                        "ended_at": _when(line.commander.ended_at)}
                       for line in command_structure(session, actor, incident_id, current_only=False)],
        "handovers": [{"agency": h.agency, "level": h.level, "outgoing": h.outgoing, "incoming": h.incoming,
                       "handed_over_at": _when(h.handover.handed_over_at), "briefing": h.handover.briefing,
                       "recorded_by": h.handover.recorded_by_name} for h in handovers(session, actor, incident_id)],
    }


def _default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def export_incident(session: Session, actor: Actor, incident_id: int, out_dir: Path, *,
                    recipient: str) -> list[Path]:
    """Write incident-ID.json and one CSV per table into out_dir; return the files written. The
    export is a disclosure: the audit trail records who it is for (DPA 2018 s.62)."""
    require(actor, Permission.INCIDENT_VIEW)
    recipient = disclosure_recipient(recipient, "the inquiry file")
    # The log's newest entries are signed now rather than at the worker's next cycle: the file
    # carries a checkpoint of the whole log.
    write_checkpoints(session, configured_targets())
    signed = signed_checkpoints(session)
    chain = decision_log_chain(incident_id)
    tables = inquiry_file(session, actor, incident_id, signed.of(chain))
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"incident-{incident_id}"
    written = [out_dir / f"{stem}.json"]
    document = {"exported_at": now().isoformat(), "exported_by": actor.username, **tables,
                "decision_log_checkpoints": {"chain": chain, "public_key": signed.public_key,
                                             "signed": [asdict(c) for c in signed.of(chain)]}}
    written[0].write_text(json.dumps(document, indent=2, ensure_ascii=False, default=_default), encoding="utf-8")
    for name, rows in tables.items():
        path = out_dir / f"{stem}-{name}.csv"
        path.write_text(write_csv(rows, COLUMNS[name]), encoding="utf-8-sig")
        written.append(path)
    record(session, actor, "export", "incident", incident_id, incident_id=incident_id, recipient=recipient,
           detail=", ".join(p.name for p in written))
    return written
