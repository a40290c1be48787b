"""`standup audit verify` and the worker's nightly check: the audit trail and every incident's decision
log walked, each against its head and the hashes recorded elsewhere, then against every signed
checkpoint (core.audit.checkpoints) in the file and the table. The outcome is recorded; damage found
at night is raised with the administrators (STANDUP_ADMIN_ALERTS) by email or SMS, and shown on the
Audit trail and Users pages. Core knows no incident, so the decision logs are joined in here."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from core.audit.chain_head import AUDIT_CHAIN, chain_names, decision_log_chain, decision_log_incident
from core.audit.checkpoint_service import signed_checkpoints
from core.audit.checkpoints import against_checkpoints, positions_to_keep
from core.audit.service import verify_chain
from core.audit.verification_outcome import record_outcome
from core.auth.roles import Actor
from core.db import unit_of_work
from core.settings import get_settings
from incident.decision_service import check_decision_logs
from incident.queries import incident_names
from notifications.outbox_service import queue

log = logging.getLogger("standup.chain_verification")


@dataclass(frozen=True)
class Verification:
    findings: tuple[str, ...]  # one sentence each, naming the chain; none when intact
    events: int  # in the audit trail
    decision_logs: int
    checkpoints: int  # genuine ones compared with

    def summary(self) -> str:
        return (f"intact: the audit trail ({self.events} events) and {self.decision_logs} decision "
                f"log{'' if self.decision_logs == 1 else 's'} match their heads and {self.checkpoints} signed "
                "checkpoints")


def verify_chains(session: Session, actor: Actor, public: Ed25519PublicKey | None = None) -> Verification:
    """`public`: the key to check signatures with (default: this installation's)."""
    # The checkpoints first: each is then of a chain at most as long as the walks below find it.
    signed = signed_checkpoints(session, public)
    findings = list(signed.problems)
    audit_checkpoints = signed.of(AUDIT_CHAIN)
    audit = verify_chain(session, actor, keep_at=positions_to_keep(audit_checkpoints))
    findings += [f"Audit trail: {said}" for said in audit.findings("event", "events")
                 + against_checkpoints(audit.walked, audit_checkpoints, "event", "events")]
    named = {decision_log_incident(chain) for chain in {*chain_names(session), *signed.chains}} - {None}
    logs = check_decision_logs(session, actor, {incident_id: positions_to_keep(signed.of(decision_log_chain(incident_id)))
                                                for incident_id in named})
    names = incident_names(session, logs)
    for incident_id, check in logs.items():
        label = f"Decision log of incident {incident_id} " + (f"({names[incident_id]})" if incident_id in names
                                                              else "(the incident itself is gone)")
        findings += [f"{label}: {said}" for said in check.findings("entry", "entries")
                     + against_checkpoints(check.walked, signed.of(decision_log_chain(incident_id)), "entry", "entries")]
    return Verification(tuple(findings), audit.walked.count, len(logs), len(signed.genuine))


ALERT_SUBJECT = "Stand Up: the audit trail was altered outside Stand Up"


def _alert_text(findings: tuple[str, ...]) -> str:
    return (f"{ALERT_SUBJECT}. The nightly check against the signed checkpoints found {len(findings)} "
            f"difference{'' if len(findings) == 1 else 's'}; see Administration > Audit trail, and keep the "
            "database, its backups and the checkpoint file as they are.")


def alert_administrators(session: Session, findings: tuple[str, ...]) -> None:
    """Each address in STANDUP_ADMIN_ALERTS is told through the outbox: an email with every finding, an
    SMS with how many (no personal data in either: findings name rows and times)."""
    for contact in get_settings().admin_alerts:
        if "@" in contact:
            queue(session, channel="email", to=contact, subject=ALERT_SUBJECT, purpose="integrity_alert",
                  incident_id=None, payload={"audience": "staff"},
                  body=_alert_text(findings) + "\n\n" + "\n".join(f"- {said}" for said in findings))
        else:
            queue(session, channel="sms", to=contact, body=_alert_text(findings), purpose="integrity_alert",
                  incident_id=None)


def nightly() -> None:
    actor = Actor.system("nightly-verification")
    with unit_of_work() as session:
        found = verify_chains(session, actor).findings
        record_outcome(session, actor, found)
        if found:
            log.error("the hash chains were altered outside Stand Up:\n%s", "\n".join(found))
            alert_administrators(session, found)
