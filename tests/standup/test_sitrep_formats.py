"""The situation report in its four formats, with hostile names made harmless, and
`standup sitrep`'s exit codes and output file."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from core.audit.model import AuditEvent
from core.auth.roles import Actor
from core.db import unit_of_work
from incident.lifecycle_service import open_incident
from standup.cli import main
from standup.sitrep.render import FORMATS, render, to_csv, to_json, to_markdown, to_pdf
from standup.sitrep.report import Decision, DecisionLogHead, EntryRef, Figure, Sitrep
from tests.infrastructure import require_pdftotext

SCRIPT = "<script>alert(1)</script>"
FORMULA = "=HYPERLINK(\"http://x\",\"y\")"


def _report(name: str = f"Arena {SCRIPT}") -> Sitrep:
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    return Sitrep(
        incident_id=1, incident_name=name, is_exercise=True, status="response", generated_at=at, declared_at=at,
        figures=(Figure("People", "People registered", 12), Figure("Services", FORMULA, "Operational"),
                 Figure("Services", f"Hub {SCRIPT} | [x](javascript:alert(1))", "Requested")),
        methane=(("E — Exact location", f"Arena foyer {SCRIPT}"),),
        decisions=(
            Decision(at, f"Gold {SCRIPT}", f"Open the hub ~~{SCRIPT}~~", f"{FORMULA} because", sequence=1,
                     struck_through_by=EntryRef(2, at)),
            Decision(at, "Gold", f"Open the [hub](javascript:alert(1)) at 10:00 {FORMULA}", "misheard", sequence=2,
                     corrects=EntryRef(1, at), correction_reason=f"{SCRIPT} time misheard"),
        ),
        risks=("1 urgent safety alert not acknowledged",),
        decision_log_head=DecisionLogHead(2, "3fa9c2d1e0b4a7f5" * 4),
    )


def test_markdown_shows_html_as_text_and_makes_no_link_or_broken_table():
    text = to_markdown(_report())
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # every such bracket is escaped: no link
    assert "Hub &lt;script&gt;alert(1)&lt;/script&gt; \\| \\[x\\]" in text
    assert text.index("## Risks") < text.index("## People")  # the risks lead


def test_csv_neutralises_formulas_and_keeps_every_figure():
    rows = list(csv.reader(io.StringIO(to_csv(_report()))))
    assert rows[0] == ["section", "figure", "value", "previous report"]
    assert ["Services", "'" + FORMULA, "Operational", ""] in rows
    assert ["People", "People registered", "12", ""] in rows  # no earlier report: nothing to compare with
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]


def test_csv_carries_the_latest_methane_and_the_decisions_as_sections():
    rows = list(csv.reader(io.StringIO(to_csv(_report()))))
    sections = [row[0] for row in rows[1:]]
    assert "M/ETHANE now" in sections and any(s.startswith("Decisions") for s in sections)
    assert ["M/ETHANE now", "E — Exact location", f"Arena foyer {SCRIPT}", ""] in rows
    decisions = [row for row in rows if row[0].startswith("Decisions")]
    assert decisions[0][1].startswith("Entry 1, decided 23 Nov 2026 09:00 by Gold")
    assert "struck through by entry 2 (recorded 23 Nov 09:00)" in decisions[0][2]
    assert "corrects entry 1 (decided 23 Nov 09:00)" in decisions[1][2] and "'=HYPERLINK" not in decisions[1][2]
    assert ["Decision log", "entries; chain head", "2; " + "3fa9c2d1e0b4a7f5" * 4, ""] in rows
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]


def test_markdown_strikes_corrected_entries_through_and_names_the_correction():
    text = to_markdown(_report())
    # Struck through by the report itself; tildes typed in the text are escaped, so strike nothing.
    assert "**1.** ~~Open the hub \\~\\~&lt;script&gt;alert(1)&lt;/script&gt;\\~\\~~~" in text
    assert "struck through by entry 2 (recorded 23 Nov 09:00)" in text
    assert "**2.** Open the \\[hub\\]" in text and "corrects entry 1 (decided 23 Nov 09:00)" in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text)
    assert "Decision log: 2 entries, chain head 3fa9c2d1e0b4a7f5" in text


def test_json_carries_the_values_as_typed():
    data = json.loads(to_json(_report()))
    assert data["incident"]["name"] == f"Arena {SCRIPT}"  # JSON is data: the reader escapes on display
    assert data["figures"]["People"]["People registered"] == 12
    assert data["risks"] == ["1 urgent safety alert not acknowledged"]
    first, second = data["decisions"]
    assert first["entry"] == 1 and first["struck_through_by"] == {"entry": 2, "recorded_at": "2026-11-23T09:00:00+00:00"}
    assert second["corrects"] == {"entry": 1, "decided_at": "2026-11-23T09:00:00+00:00"}
    assert second["correction_reason"] == f"{SCRIPT} time misheard" and second["decision"].startswith("Open the [hub]")
    assert data["decision_log"] == {"entries": 2, "chain_head": "3fa9c2d1e0b4a7f5" * 4}


def test_the_pdf_is_a_pdf_that_reads_back_with_the_incident_name(tmp_path):
    pdf = to_pdf(_report("Arena Zoë Ó Briain"))
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        print("pdftotext (poppler-utils) is not installed: the PDF's text was not read back")
        return
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Arena Zoë Ó Briain" in text
    assert "1 urgent safety alert not acknowledged" in text


def test_a_pdf_prints_hostile_text_as_text(tmp_path):
    require_pdftotext()
    path = tmp_path / "r.pdf"
    path.write_bytes(render(_report(), "pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert SCRIPT in text.replace("\n", "")  # printed literally, nothing interprets it
    flat = " ".join(text.split())
    assert "STRUCK THROUGH by entry 2 (recorded 23 Nov 09:00)" in flat and "corrects entry 1 (decided 23 Nov 09:00)" in flat


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders(fmt):
    assert render(_report(), fmt)


def test_cli_writes_each_format_to_a_file(db, frozen_clock, tmp_path, capsys):
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, Actor.system("test"), f"Live {SCRIPT}", is_exercise=False).id
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        assert main(["sitrep", "--format", fmt, "--output", str(out)]) == 0
        assert out.stat().st_size > 0
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((tmp_path / "report.json").read_text())["incident"]["id"] == incident_id
    assert "&lt;script&gt;" in (tmp_path / "report.md").read_text()
    assert f"written to {tmp_path / 'report.md'}" in capsys.readouterr().err
    assert main(["sitrep", "--output", str(tmp_path / "r.md"), "--recipient", "Cabinet Office briefing"]) == 0
    with unit_of_work(db.engine) as s:
        recipients = [e.recipient for e in s.query(AuditEvent).filter_by(action="export", entity="sitrep")
                      .order_by(AuditEvent.id)]
    assert recipients == ["strategic coordinating group"] * len(FORMATS) + ["Cabinet Office briefing"]


def test_cli_prints_markdown_by_default_for_the_chosen_incident(db, frozen_clock, capsysbinary):
    with unit_of_work(db.engine) as s:
        first = open_incident(s, Actor.system("test"), "First", is_exercise=False).id
        open_incident(s, Actor.system("test"), "Second", is_exercise=False)
    assert main(["sitrep", "--incident", str(first)]) == 0
    assert capsysbinary.readouterr().out.decode().startswith("# Situation report: First")


def test_cli_fails_with_a_reason_when_there_is_no_incident(db, capsys):
    assert main(["sitrep"]) == 1
    assert "there is no incident yet" in capsys.readouterr().err


def test_cli_fails_on_an_unknown_incident_and_refuses_an_unknown_format(db, capsys):
    assert main(["sitrep", "--incident", "41"]) == 1
    assert "No incident 41" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["sitrep", "--format", "docx"])
    assert usage.value.code == 2


def test_cli_fails_when_the_output_cannot_be_written(db, frozen_clock, tmp_path, capsys):
    with unit_of_work(db.engine) as s:
        open_incident(s, Actor.system("test"), "Live", is_exercise=False)
    assert main(["sitrep", "--output", str(tmp_path / "no-such-dir" / "r.md")]) == 1
    assert "cannot write the report" in capsys.readouterr().err
