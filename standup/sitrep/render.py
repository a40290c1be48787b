"""The situation report in the four forms `standup sitrep` and Gold's page offer: md, json, csv, pdf."""

from __future__ import annotations

import html
import json
import re

from core.clock import show
from core.csv_safe import write_csv
from core.pdf import Document
from standup.sitrep.report import Decision, Sitrep

FORMATS = ("md", "json", "csv", "pdf")


def _title(r: Sitrep) -> str:
    return f"{'EXERCISE — ' if r.is_exercise else ''}Situation report: {r.incident_name}"


def _subtitle(r: Sitrep) -> str:
    declared = f"declared {show(r.declared_at)}" if r.declared_at else "not declared"
    return f"Status {r.status.replace('_', ' ')} · {declared} · generated {show(r.generated_at)} (Europe/London)"


_MD_SPECIALS = re.compile(r"([\\`*_\[\]|~])")


def _md_cell(value: object) -> str:
    """Typed text made inert in Markdown: HTML shows as text; no link, emphasis or broken table."""
    return _MD_SPECIALS.sub(r"\\\1", html.escape(str(value), quote=False)).replace("\n", " ")


def _short(at) -> str:
    return show(at, "%d %b %H:%M")


def correction_notes(d: Decision) -> list[str]:
    """What corrects what, by entry number and time (empty for an entry neither corrected nor correcting)."""
    notes = []
    if d.struck_through_by:
        notes.append(f"struck through by entry {d.struck_through_by.sequence} "
                     f"(recorded {_short(d.struck_through_by.at)})")
    if d.corrects:
        notes.append(f"corrects entry {d.corrects.sequence} (decided {_short(d.corrects.at)})"
                     + (f": {d.correction_reason}" if d.correction_reason else ""))
    return notes


def _headline(d: Decision) -> str:
    return f"Entry {d.sequence}, decided {show(d.decided_at, '%d %b %Y %H:%M')} by {d.decided_by}"


def _head_line(r: Sitrep) -> str:
    head = r.decision_log_head
    return f"Decision log: {head.entries} entries, chain head {head.chain_head}" if head else ""


def _md_decision(d: Decision) -> str:
    text = _md_cell(d.decision)
    if d.struck_through_by:
        text = f"~~{text}~~"
    notes = "".join(f" — {_md_cell(note)}" for note in correction_notes(d))
    return (f"- **{d.sequence}.** {text}{notes}  \n  {show(d.decided_at)} — {_md_cell(d.decided_by)} "
            f"(rationale: {_md_cell(d.rationale)})")


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
    lines += [_md_decision(d) for d in r.decisions] or ["- none"]
    if r.decision_log_head:
        lines += ["", f"_{_md_cell(_head_line(r))}_"]
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
        "decisions": [{"entry": d.sequence, "decided_at": d.decided_at.isoformat(), "by": d.decided_by,
                       "decision": d.decision, "rationale": d.rationale,
                       "corrects": {"entry": d.corrects.sequence, "decided_at": d.corrects.at.isoformat()}
                       if d.corrects else None,
                       "struck_through_by": {"entry": d.struck_through_by.sequence,
                                             "recorded_at": d.struck_through_by.at.isoformat()}
                       if d.struck_through_by else None,
                       "correction_reason": d.correction_reason} for d in r.decisions],
        "decision_log": {"entries": r.decision_log_head.entries, "chain_head": r.decision_log_head.chain_head}
        if r.decision_log_head else None,
    }, indent=2, ensure_ascii=False)


def to_csv(r: Sitrep) -> str:
    """One table, so a spreadsheet keeps it whole: figures, risks, then the latest M/ETHANE part by
    part and the decisions entry by entry as sections of their own."""
    decisions = f"Decisions since {show(r.decisions_since)}" if r.decisions_since else "Decisions"
    rows = ([(f.section, f.label, f.value) for f in r.figures] + [("Risks", "risk", risk) for risk in r.risks]
            + [("Latest M/ETHANE", part, text) for part, text in r.methane]
            + [(decisions, _headline(d), " — ".join([d.decision, f"rationale: {d.rationale}", *correction_notes(d)]))
               for d in r.decisions])
    if r.decision_log_head:
        rows.append(("Decision log", "entries; chain head",
                     f"{r.decision_log_head.entries}; {r.decision_log_head.chain_head}"))
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
    doc.paragraph("\n\n".join(_pdf_decision(d) for d in r.decisions) or "None.")
    if r.decision_log_head:
        doc.paragraph(_head_line(r))
    return doc.to_bytes()


def _pdf_decision(d: Decision) -> str:
    """Paper has no strike-through that survives a photocopy: a struck entry says so in capitals."""
    notes = correction_notes(d)
    if d.struck_through_by:
        notes[0] = notes[0].replace("struck through", "STRUCK THROUGH", 1)
    return "\n".join([f"{d.sequence}. {d.decision}", *notes,
                      f"{show(d.decided_at)} — {d.decided_by}. Rationale: {d.rationale}"])


def render(r: Sitrep, fmt: str) -> bytes:
    if fmt == "pdf":
        return to_pdf(r)
    return {"md": to_markdown, "json": to_json, "csv": to_csv}[fmt](r).encode("utf-8")
