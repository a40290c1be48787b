"""Signed checkpoints: someone who can write the database rewrites a chain and its head together
(triggers dropped) and every check inside the database passes; `standup audit verify` finds it
from the checkpoints the worker signed with a key that is not in the database."""

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import select, text

from core.audit.chain_head import AUDIT_CHAIN, decision_log_chain
from core.audit.checkpoint_service import write_checkpoints
from core.audit.checkpoint_targets import checkpoint_file, configured_targets
from core.audit.model import AuditCheckpoint, AuditEvent
from core.audit.service import record, verify_chain
from core.audit.signing_key import public_key_text, signing_key_file
from core.auth.roles import Actor
from core.db import unit_of_work
from core.settings import get_settings
from incident.decision_service import Decision, log_decision, verify_decision_log
from standup.cli import main
from standup.worker import checkpoints as checkpoint_sweep
from tests import factories
from tests.tampering import bypassing_append_only, rebuild_audit_trail, rebuild_decision_log

SIGNED_AT = "at 23 Nov 2026 09:00:00 London time"  # the frozen clock's start (GMT)


def _events(db, actor, n: int) -> None:
    with unit_of_work(db.engine) as s:
        for number in range(n):
            record(s, actor, "view", "person", number, reason="welfare check")


def _decide(db, gold, incident_id: int, *words: str) -> None:
    with unit_of_work(db.engine) as s:
        for word in words:
            log_decision(s, gold, incident_id, Decision(factories.T0, "Gold", word, "because"))


def _audit_length(db) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one()


def _event_id_at(db, position: int) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT id FROM audit_event WHERE seq IS NOT NULL ORDER BY seq LIMIT 1 OFFSET :n"),
                            {"n": position - 1}).scalar_one()


def _verify(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(["audit", "verify", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.fixture
def signed_history(db, frozen_clock, make_actor):
    """An audit trail and a decision log, checkpointed twice by the worker: after the first part of
    each, and after the rest. Returns the incident and the audit trail's length at each checkpoint."""
    gold, caseworker = make_actor("gold"), make_actor("caseworker")
    incident_id = factories.incident(db, "Arena explosion", is_exercise=False)
    _events(db, caseworker, 3)
    _decide(db, gold, incident_id, "open the hub", "call in interpreters")
    checkpoint_sweep()
    first = _audit_length(db)
    _events(db, caseworker, 3)
    _decide(db, gold, incident_id, "stand down the hub")
    checkpoint_sweep()
    return incident_id, first, _audit_length(db)


def test_an_untouched_database_verifies_with_exit_0_and_a_head_is_signed_only_when_it_moved(db, signed_history,
                                                                                             capsys):
    incident_id, first, second = signed_history
    with unit_of_work(db.engine) as s:
        kept = [(c.chain, c.length) for c in s.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id))]
    assert kept == [(AUDIT_CHAIN, first), (decision_log_chain(incident_id), 2),
                    (AUDIT_CHAIN, second), (decision_log_chain(incident_id), 3)]
    lines = checkpoint_file(get_settings().data_dir).read_text().splitlines()
    assert [(json.loads(line)["chain"], json.loads(line)["length"]) for line in lines] == kept
    checkpoint_sweep()  # nothing moved since: nothing signed
    assert len(checkpoint_file(get_settings().data_dir).read_text().splitlines()) == 4

    code, out, err = _verify(capsys)
    assert (code, err) == (0, "")
    assert out == [f"intact: the audit trail ({second} events) and 1 decision log match their heads and 4 signed "
                   "checkpoints"]


def test_a_chain_and_its_head_rewritten_together_pass_every_check_in_the_database_but_not_the_checkpoints(
        db, signed_history, capsys):
    incident_id, first, second = signed_history
    victim = _event_id_at(db, first + 2)  # one the second checkpoint covers, the first does not
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "audit_event", "UPDATE audit_event SET reason = 'nothing to see' WHERE id = :i",
                              {"i": victim})
        bypassing_append_only(db, conn, "decision_log_entry", "UPDATE decision_log_entry SET decision = 'keep the "
                              "hub open' WHERE incident_id = :i AND sequence = 3", {"i": incident_id})
        rebuild_decision_log(db, conn, incident_id)  # and the audit trail, which records the entries' hashes
    system = Actor.system("test")
    with unit_of_work(db.engine) as s:  # the database agrees with itself
        assert verify_chain(s, system).intact
        assert verify_decision_log(s, system, incident_id).intact

    code, out, err = _verify(capsys)
    # The decision log's entry 3 is recorded in the audit trail before the victim event, after the
    # first checkpoint: the audit trail differs from there.
    changed = _event_id_at(db, first + 1)
    assert code == 1 and err == "standup: 2 findings: altered outside Stand Up\n"
    assert out == [
        f"Audit trail: Events {changed} to {_event_id_at(db, second)} rewritten: the chain no longer matches the "
        f"checkpoint signed {SIGNED_AT} ({second} events); changed, removed or replaced outside Stand Up and the "
        f"hashes rebuilt (up to event {_event_id_at(db, first)} it is as signed).",
        f"Decision log of incident {incident_id} (Arena explosion): Entry 3 rewritten: the chain no longer matches "
        f"the checkpoint signed {SIGNED_AT} (3 entries); changed, removed or replaced outside Stand Up and the "
        "hashes rebuilt (up to entry 2 it is as signed).",
    ]
    with unit_of_work(db.engine) as s:  # what was found is kept in the trail, for the Administration pages
        kept = s.scalars(select(AuditEvent.detail).where(AuditEvent.entity == "hash_chains")).all()
    assert kept == ["\n".join(out)]


def test_the_newest_rows_removed_and_the_head_moved_back_are_found_and_never_signed(db, signed_history, capsys,
                                                                                     caplog):
    incident_id, first, second = signed_history
    kept = _event_id_at(db, second - 2)
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "audit_event", "DELETE FROM audit_event WHERE id > :i", {"i": kept})
        bypassing_append_only(db, conn, "decision_log_entry", "DELETE FROM decision_log_entry WHERE sequence = 3")
        rebuild_decision_log(db, conn, incident_id)
    system = Actor.system("test")
    with unit_of_work(db.engine) as s:
        assert verify_chain(s, system).intact
    with caplog.at_level(logging.ERROR), unit_of_work(db.engine) as s:
        assert write_checkpoints(s, configured_targets()) == []  # a head gone back is not Stand Up's: not signed
    assert f"the head of {AUDIT_CHAIN} went back to {second - 2} rows" in caplog.text

    code, out, _ = _verify(capsys)
    assert code == 1
    assert out == [
        f"Audit trail: 2 events are missing: the checkpoint signed {SIGNED_AT} counted {second}, {second - 2} are "
        "there now (removed outside Stand Up).",
        f"Decision log of incident {incident_id} (Arena explosion): 1 entry is missing: the checkpoint signed "
        f"{SIGNED_AT} counted 3, 2 are there now (removed outside Stand Up).",
    ]


def _file_lines() -> list[str]:
    return checkpoint_file(get_settings().data_dir).read_text().splitlines()


def test_a_forged_checkpoint_line_is_reported_and_the_genuine_ones_still_count(db, signed_history, capsys):
    incident_id, first, second = signed_history
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "decision_log_entry", "UPDATE decision_log_entry SET decision = 'x' "
                              "WHERE incident_id = :i AND sequence = 1", {"i": incident_id})
        rebuild_decision_log(db, conn, incident_id)
    with db.engine.connect() as conn:
        forged_hash = conn.execute(text("SELECT head_hash FROM chain_head WHERE chain = :c"),
                                   {"c": decision_log_chain(incident_id)}).scalar_one()
    # Whoever rewrote the log writes a checkpoint of their own log, with a signature copied from a real line.
    genuine = json.loads(_file_lines()[-1])
    forged = {**genuine, "hash": forged_hash, "at": "2026-11-23T10:00:00+00:00"}
    path = checkpoint_file(get_settings().data_dir)
    with path.open("a") as f:
        f.write(json.dumps(forged) + "\n" + "not a checkpoint\n")

    code, out, _ = _verify(capsys)
    key = public_key_text(_public_key())
    assert code == 1
    assert out[:2] == [
        f"The checkpoint file {path}: line 5 not signed with this installation's key ({key}): the file was altered "
        "outside Stand Up.",
        f"The checkpoint file {path}: line 6 not a checkpoint: the file was altered outside Stand Up.",
    ]
    assert (f"Decision log of incident {incident_id} (Arena explosion): Entries 1 to 2 rewritten: the chain no longer "
            f"matches the checkpoint signed {SIGNED_AT} (2 entries)") in out[-1]


def _public_key():
    from core.audit.signing_key import public_key

    return public_key()


@pytest.mark.parametrize("damage", ["removed", "truncated"])
def test_the_checkpoint_file_removed_or_cut_short_is_found_from_the_database_copy(db, signed_history, capsys,
                                                                                  damage):
    path = checkpoint_file(get_settings().data_dir)
    if damage == "removed":
        path.unlink()
    else:
        path.write_text("\n".join(_file_lines()[:2]) + "\n")
    code, out, _ = _verify(capsys)
    assert code == 1
    assert out == ([f"The checkpoint file {path} is missing; the database holds 4 signed checkpoints: it was removed "
                    "outside Stand Up."] if damage == "removed" else
                   [f"The checkpoint file {path} lacks 2 signed checkpoints the database holds (the newest signed "
                    "23 Nov 2026 09:00:00 London time): lines were removed from it outside Stand Up."])


def test_checkpoints_signed_by_another_key_are_not_the_forces(db, signed_history, capsys, monkeypatch):
    """The force keeps the public key; checking with it finds checkpoints signed with a key swapped in."""
    theirs = public_key_text(_public_key())
    code, _, _ = _verify(capsys, "--public-key", theirs)
    assert code == 0
    other = "A" * 43 + "="
    code, out, _ = _verify(capsys, "--public-key", other)
    assert code == 1 and "lines 1, 2, 3, 4 not signed with this installation's key" in out[0]
    assert "has 4 not signed with this installation's key: altered in the database" in out[1]
    assert main(["audit", "verify", "--public-key", "short"]) == 2
    assert "--public-key must be the key `standup audit public-key` prints" in capsys.readouterr().err
    # One key in 64 begins with "-" (base64url): it is the value given, not an option.
    dashed = "-" + "A" * 42 + "="
    code, out, _ = _verify(capsys, "--public-key", dashed)
    assert code == 1 and "lines 1, 2, 3, 4 not signed with this installation's key" in out[0]


def test_the_key_and_the_checkpoint_file_are_the_owners_alone_and_the_public_half_is_printed(db, frozen_clock,
                                                                                             make_actor, capsys,
                                                                                             caplog):
    with caplog.at_level(logging.WARNING):
        assert main(["audit", "public-key"]) == 0
    printed = capsys.readouterr().out.strip()
    key_path = signing_key_file(get_settings().data_dir)
    assert key_path.stat().st_mode & 0o777 == 0o600
    assert f"created the checkpoint signing key {key_path}" in caplog.text and printed in caplog.text
    assert printed == public_key_text(_public_key()) and len(printed) == 44
    _events(db, make_actor("caseworker"), 1)
    checkpoint_sweep()
    assert checkpoint_file(get_settings().data_dir).stat().st_mode & 0o777 == 0o600
    assert main(["audit", "public-key"]) == 0 and capsys.readouterr().out.strip() == printed  # made once


def test_a_configured_signing_key_is_used_and_no_key_file_is_made(db, monkeypatch, capsys):
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    from core.settings import reset_settings

    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    monkeypatch.setenv("STANDUP_SIGNING_KEY", base64.urlsafe_b64encode(raw).decode())
    reset_settings()
    assert main(["audit", "public-key"]) == 0
    assert capsys.readouterr().out.strip() == base64.urlsafe_b64encode(
        key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    assert not signing_key_file(get_settings().data_dir).exists()


def test_checkpoints_also_go_to_syslog_when_configured(db, frozen_clock, make_actor, monkeypatch):
    import socket

    from core.audit.checkpoints import from_line, holds
    from core.settings import reset_settings

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        monkeypatch.setenv("STANDUP_CHECKPOINT_SYSLOG", f"udp://127.0.0.1:{server.getsockname()[1]}")
        reset_settings()
        _events(db, make_actor("caseworker"), 2)
        checkpoint_sweep()
        message = server.recv(4096).decode()
    priority, _, line = message.partition("standup-checkpoint: ")
    assert priority == "<86>"  # authpriv.info
    checkpoint = from_line(line.rstrip("\x00"))
    assert (checkpoint.chain, checkpoint.length) == (AUDIT_CHAIN, 2) and holds(checkpoint, _public_key())
    assert json.loads(_file_lines()[0]) == json.loads(line.rstrip("\x00"))


def test_a_syslog_server_that_is_down_does_not_stop_the_file_and_the_table(db, frozen_clock, make_actor,
                                                                           monkeypatch, caplog):
    from core.settings import reset_settings

    monkeypatch.setenv("STANDUP_CHECKPOINT_SYSLOG", str(Path("/nonexistent/syslog.sock")))
    reset_settings()
    _events(db, make_actor("caseworker"), 1)
    with caplog.at_level(logging.ERROR):
        checkpoint_sweep()
    assert "cannot reach the syslog server /nonexistent/syslog.sock" in caplog.text
    assert len(_file_lines()) == 1
    with unit_of_work(db.engine) as s:
        assert s.query(AuditCheckpoint).count() == 1


def test_the_nightly_check_alerts_the_administrators_and_the_administration_pages(db, signed_history, monkeypatch,
                                                                                  app_as):
    from core.settings import reset_settings
    from notifications.model import OutboundMessage
    from standup.chain_verification import nightly

    monkeypatch.setenv("STANDUP_ADMIN_ALERTS", "dpo@force.police.uk, 07400 123456")
    reset_settings()
    nightly()  # sound: nobody is told, nothing recorded
    with unit_of_work(db.engine) as s:
        assert s.query(OutboundMessage).count() == 0
        assert s.query(AuditEvent).filter_by(entity="hash_chains").count() == 0
    assert not app_as("admin", "core/pages/users.py").error

    incident_id, first, second = signed_history
    newest = _event_id_at(db, second)
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "audit_event", "DELETE FROM audit_event WHERE id = :i", {"i": newest})
        rebuild_audit_trail(db, conn)
    nightly()
    with unit_of_work(db.engine) as s:
        sent = {m.channel: m for m in s.query(OutboundMessage)}
    assert sorted(sent) == ["email", "sms"]
    assert sent["email"].destination == "dpo@force.police.uk" and sent["sms"].destination == "+447400123456"
    assert sent["email"].subject == "Stand Up: the audit trail was altered outside Stand Up"
    assert f"- Audit trail: 1 event is missing: the checkpoint signed {SIGNED_AT} counted {second}" in sent["email"].body
    assert sent["sms"].body.startswith("Stand Up: the audit trail was altered outside Stand Up. The nightly check "
                                       "against the signed checkpoints found 1 difference;")
    assert {m.purpose for m in sent.values()} == {"integrity_alert"}

    for role, page in (("admin", "core/pages/users.py"), ("admin", "core/pages/audit.py"),
                       ("auditor", "core/pages/audit.py")):
        at = app_as(role, page)
        assert not at.exception
        (alert,) = at.error
        assert "The audit trail or a decision log was altered outside Stand Up" in alert.value
        assert "Audit trail: 1 event is missing" in alert.value
