"""The situation report in the four forms `standup sitrep` and Gold's page offer: md, json, csv, pdf."""

from __future__ import annotations

import html
import json
import re

from core.clock import show
from core.csv_safe import write_csv
from core.pdf import Document
from standup.sitrep.report import Sitrep

FORMATS = ("md", "json", "csv", "pdf")


def _title(r: Sitrep) -> str:
    return f"{'EXERCISE — ' if r.is_exercise else ''}Situation report: {r.incident_name}"


def _subtitle(r: Sitrep) -> str:
    declared = f"declared {show(r.declared_at)}" if r.declared_at else "not declared"
    return f"Status {r.status.replace('_', ' ')} · {declared} · generated {show(r.generated_at)} (Europe/London)"


_MD_SPECIALS = re.compile(r"([\\`*_\[\]|])")


def _md_cell(value: object) -> str:
    """Typed text made inert in Markdown: HTML shows as text; no link, emphasis or broken table."""
    return _MD_SPECIALS.sub(r"\\\1", html.escape(str(value), quote=False)).replace("\n", " ")


def to_markdown(r: Sitrep) -> str:
    lines = [f"# {_md_cell(_title(r))}", "", f"_{_md_cell(_subtitle(r))}_", ""]
    # Risks first: they are what the meeting must act on.
    lines += ["## Risks", ""] + ([f"- {_md_cell(risk)}" for risk in r.risks] or ["- none flagged"]) + [""]
    for section in r.sections():
        lines += [f"## {section}", "", "| | |", "|---|---:|"]
        lines += [f"| {_md_cell(f.label)} | {_md_cell(f.value)} |" for f in r.figures if f.section == section]
        lines.append("")
    if r.methane:
        lines += ["## Latest M/ETHANE", ""] + [f"- **{part}**: {_md_cell(text)}" for part, text in r.methane] + [""]
    since = f" since {show(r.decisions_since)}" if r.decisions_since else ""
    lines += [f"## Decisions{since}", ""]
    lines += [f"- {show(d.decided_at)} — {_md_cell(d.decided_by)}: {_md_cell(d.decision)} "
              f"(rationale: {_md_cell(d.rationale)})" for d in r.decisions] or ["- none"]
    return "\n".join(lines) + "\n"


def to_json(r: Sitrep) -> str:
    return json.dumps({
        "incident": {"id": r.incident_id, "name": r.incident_name, "exercise": r.is_exercise, "status": r.status,
                     "declared_at": r.declared_at.isoformat() if r.declared_at else None},
        "generated_at": r.generated_at.isoformat(),
        "figures": {s: {f.label: f.value for f in r.figures if f.section == s} for s in r.sections()},
        "risks": list(r.risks),
        "methane": dict(r.methane),
        "decisions_since": r.decisions_since.isoformat() if r.decisions_since else None,
        "decisions": [{"decided_at": d.decided_at.isoformat(), "by": d.decided_by, "decision": d.decision,
                       "rationale": d.rationale} for d in r.decisions],
    }, indent=2, ensure_ascii=False)


def to_csv(r: Sitrep) -> str:
    rows = [(f.section, f.label, f.value) for f in r.figures] + [("Risks", "risk", risk) for risk in r.risks]
    return write_csv(rows, ["section", "figure", "value"])


def to_pdf(r: Sitrep) -> bytes:
    doc = Document(_title(r), _subtitle(r))
    doc.heading("Risks")
    doc.paragraph("\n".join(f"• {risk}" for risk in r.risks) or "None flagged.")
    for section in r.sections():
        doc.heading(section)
        doc.figures([(f.label, f.value) for f in r.figures if f.section == section])
    # Paragraphs, not tables: long free text wraps as well and prints many times faster.
    if r.methane:
        doc.heading("Latest M/ETHANE")
        doc.paragraph("\n".join(f"{part}: {text}" for part, text in r.methane))
    doc.heading(f"Decisions since {show(r.decisions_since)}" if r.decisions_since else "Decisions")
    doc.paragraph("\n\n".join(f"{show(d.decided_at)} — {d.decided_by}: {d.decision}\nRationale: {d.rationale}"
                               for d in r.decisions) or "None.")
    return doc.to_bytes()


def render(r: Sitrep, fmt: str) -> bytes:
    if fmt == "pdf":
        return to_pdf(r)
    return {"md": to_markdown, "json": to_json, "csv": to_csv}[fmt](r).encode("utf-8")
