"""`standup export incident ID --output DIR`: the inquiry file, re-read from disk."""

import csv
import json
from datetime import timedelta

import pytest

from core.audit.model import AuditEvent
from core.clock import now
from core.db import unit_of_work
from core.errors import InputError
from incident.activation_service import catalogue, move_activation, request_activation
from incident.command_service import assign_commander, hand_over
from incident.decision_service import Decision, correct_decision, log_decision
from incident.export import COLUMNS, export_incident
from incident.hub_service import HubDetails, save_hub
from incident.methane_service import submit_methane
from standup.cli import main
from tests.factories import FIRST_METHANE as FIRST


@pytest.fixture
def busy_incident(db, gold, incident_id, agency_id, frozen_clock):
    with unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, FIRST)
        submit_methane(s, gold, incident_id, FIRST.__class__(**{**FIRST.__dict__, "casualties": "=HYPERLINK(1)"}))
        for n in range(3):
            log_decision(s, gold, incident_id, Decision(now(), "Gold", f"decision {n}", "because"))
        correct_decision(s, gold, incident_id, 2, Decision(now(), "Gold", "-1 fixed", "because"), "typo")
        activation = request_activation(s, gold, incident_id, catalogue(s, gold)[0].id, agency_id)
        move_activation(s, gold, activation.id, "standing_up")
        save_hub(s, gold, incident_id, HubDetails(name="@Town Hall", latitude=53.4794, longitude=-2.2447))
        commander = assign_commander(s, gold, incident_id, agency_id, "strategic", "Ch Supt A. Khan")
    frozen_clock.advance(timedelta(hours=1))
    with unit_of_work(db.engine) as s:
        hand_over(s, gold, commander.id, "Ch Supt B. Jones", now(), "+ all in hand")
    return incident_id


def _csv(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_the_export_writes_json_and_csv_that_read_back(db, gold, busy_incident, tmp_path):
    with unit_of_work(db.engine) as s:
        written = export_incident(s, gold, busy_incident, tmp_path / "out", recipient="Arena Inquiry legal team")
    names = sorted(p.name for p in written)
    assert names == sorted([f"incident-{busy_incident}.json"] +
                           [f"incident-{busy_incident}-{t}.csv" for t in COLUMNS])
    document = json.loads((tmp_path / "out" / f"incident-{busy_incident}.json").read_text(encoding="utf-8"))
    assert [m["version"] for m in document["methane"]] == [1, 2]
    assert [d["sequence"] for d in document["decision_log"]] == [1, 2, 3, 4]
    assert document["decision_log"][1]["struck_through_by_entry"] == 4
    assert document["decision_log"][3]["corrects_entry"] == 2
    assert document["decision_log"][0]["prev_hash"] == "0" * 64
    assert all(d["hash"] == n["prev_hash"] for d, n in zip(document["decision_log"], document["decision_log"][1:],
                                                          strict=False))
    assert document["incident"][0]["decision_log_broken_entries"] == []
    assert document["incident"][0]["decision_log_check"] == "intact"
    assert [a["stage"] for a in document["activations"]] == ["requested", "standing_up"]
    assert [c["name"] for c in document["commanders"]] == ["Ch Supt A. Khan", "Ch Supt B. Jones"]
    assert document["handovers"][0]["briefing"] == "+ all in hand"
    for table, columns in COLUMNS.items():
        assert all(tuple(row) == columns for row in document[table]), table

    decisions = _csv(tmp_path / "out" / f"incident-{busy_incident}-decision_log.csv")
    assert [d["hash"] for d in decisions] == [d["hash"] for d in document["decision_log"]]
    assert decisions[3]["decision"] == "'-1 fixed"  # a spreadsheet shows it, never runs it
    methane = _csv(tmp_path / "out" / f"incident-{busy_incident}-methane.csv")
    assert methane[1]["casualties"] == "'=HYPERLINK(1)" and methane[0]["latitude"] == "53.4875"
    assert _csv(tmp_path / "out" / f"incident-{busy_incident}-hubs.csv")[0]["name"] == "'@Town Hall"
    assert _csv(tmp_path / "out" / f"incident-{busy_incident}-handovers.csv")[0]["briefing"] == "'+ all in hand"


def test_an_empty_table_still_has_its_header(db, gold, incident_id, tmp_path):
    with unit_of_work(db.engine) as s:
        export_incident(s, gold, incident_id, tmp_path, recipient="Arena Inquiry legal team")
    header = (tmp_path / f"incident-{incident_id}-hubs.csv").read_text(encoding="utf-8-sig").splitlines()
    assert header == [",".join(COLUMNS["hubs"])]


def test_the_command_line_exports_and_refuses_an_unknown_incident(db, busy_incident, tmp_path, capsys):
    assert main(["export", "incident", str(busy_incident), "--output", str(tmp_path / "cli"),
                 "--recipient", "  Arena   Inquiry legal team "]) == 0
    assert f"incident-{busy_incident}-decision_log.csv" in capsys.readouterr().out
    with unit_of_work(db.engine) as s:
        (export,) = s.query(AuditEvent).filter_by(action="export", entity="incident").all()
    assert (export.recipient, export.actor) == ("Arena Inquiry legal team", "system:cli")
    assert json.loads((tmp_path / "cli" / f"incident-{busy_incident}.json").read_text())["exported_by"] == "system:cli"
    assert main(["export", "incident", "999", "--output", str(tmp_path / "none"), "--recipient", "Inquiry"]) == 1
    assert "No incident 999" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()


def test_an_export_names_its_recipient_or_is_refused(db, gold, busy_incident, tmp_path, capsys):
    with pytest.raises(SystemExit) as usage:
        main(["export", "incident", str(busy_incident), "--output", str(tmp_path / "cli")])
    assert usage.value.code == 2 and "--recipient" in capsys.readouterr().err
    with pytest.raises(InputError, match="who the inquiry file is for"), unit_of_work(db.engine) as s:
        export_incident(s, gold, busy_incident, tmp_path / "out", recipient="   ")
    assert not (tmp_path / "cli").exists() and not (tmp_path / "out").exists()


def test_the_inquiry_file_carries_the_signed_checkpoints_and_verifies_without_the_database(
        db, gold, busy_incident, tmp_path, capsys, monkeypatch):
    from core.audit.signing_key import public_key, public_key_text
    from core.settings import reset_settings

    with unit_of_work(db.engine) as s:
        export_incident(s, gold, busy_incident, tmp_path / "out", recipient="Arena Inquiry legal team")
    path = tmp_path / "out" / f"incident-{busy_incident}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    carried = document["decision_log_checkpoints"]
    key = public_key_text(public_key())
    assert carried["chain"] == f"decision_log:{busy_incident}" and carried["public_key"] == key
    assert [c["length"] for c in carried["signed"]] == [4]  # the export signs the whole log there and then
    assert document["incident"][0]["decision_log_check"] == "intact"

    # The inquiry's machine: no database, only the file and the force's record of the public key.
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    reset_settings()
    assert main(["audit", "verify-export", str(path), "--public-key", key]) == 0
    assert capsys.readouterr().out.strip() == (
        f"intact: the 4 entries of incident {busy_incident}'s decision log follow from their content and match 1 "
        f"signed checkpoint (the newest covers 4 entries), key {key}")

    def verify(changed: dict, *args: str) -> list[str]:
        altered = tmp_path / "altered.json"
        altered.write_text(json.dumps(changed), encoding="utf-8")
        assert main(["audit", "verify-export", str(altered), *args]) == 1
        return capsys.readouterr().out.splitlines()

    edited = json.loads(path.read_text(encoding="utf-8"))
    edited["decision_log"][1]["rationale"] = "because we were told to"
    assert verify(edited) == ["The chain is broken at entry 2: changed, or the one before removed."]

    # Rewritten with fresh hashes: the links hold again, the signed checkpoint does not.
    from core.hashchain import link
    from incident.exported_log_check import _chained

    previous = "0" * 64
    for row in edited["decision_log"]:
        row["prev_hash"], row["hash"] = previous, link(previous, _chained(row, busy_incident))
        previous = row["hash"]
    (said,) = verify(edited)
    assert said.startswith("Entries 1 to 4 rewritten: the chain no longer matches the checkpoint signed")

    forged = json.loads(path.read_text(encoding="utf-8"))
    forged["decision_log_checkpoints"]["signed"][0]["length"] = 3
    assert verify(forged) == [
        "Signed checkpoint 1 of the file is not signed with that key for this incident's log: altered after signing.",
        "The file carries no checkpoint signed with that key: nothing outside the database vouches for its "
        "decision log."]
    other = "A" * 43 + "="
    assert verify(document, "--public-key", other)[0] == (
        f"The file names the public key {key}, not {other}: its checkpoints are checked with the one given.")
    (tmp_path / "not.json").write_text("{}")
    assert main(["audit", "verify-export", str(tmp_path / "not.json")]) == 1
    assert "not a Stand Up inquiry file with signed checkpoints" in capsys.readouterr().err
