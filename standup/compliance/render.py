"""The compliance report in the four forms `standup compliance` offers: md, json, csv, pdf. Every
measured right with its figures, then each breakdown; hidden figures read "fewer than 5" in each.
The JSON's shape is README's "Victims' Code compliance (JSON)": keys only ever added, and
`schema_version` raised when one changes meaning."""

from __future__ import annotations

import json
from dataclasses import replace

from core.clock import show
from core.csv_safe import write_csv
from core.pdf import Document
from standup.compliance.feedback import FeedbackFigures, FeedbackLine
from standup.compliance.report import BREAKDOWNS, MEASURES, ComplianceReport, Line, RightFigures
from standup.compliance.small_numbers import SECONDARY, SUPPRESSED, THRESHOLD
from standup.sitrep.render import md_cell

FORMATS = ("md", "json", "csv", "pdf")
SCHEMA_VERSION = 1
CSV_HEADER = ("right", "breakdown", "group", *MEASURES, "rate_met_percent")
HEADINGS = dict(BREAKDOWNS)


TITLE = "Victims' Code compliance"


def period_text(r: ComplianceReport) -> str:
    start = f"{r.start:%d/%m/%Y}" if r.start else "the first record"
    end = f"{r.end:%d/%m/%Y}" if r.end else "today"
    return f"from {start} to {end}"


def subtitle(r: ComplianceReport, recipient: str) -> str:
    incidents = ", ".join(name for _, name in r.incidents) or "no incident yet"
    return (f"{incidents} · {period_text(r)} · generated {show(r.generated_at)}"
            + (f" · for {recipient}" if recipient else ""))


def rate_text(rate: float | str | None) -> str:
    if rate is None:
        return "none decided"
    return rate if isinstance(rate, str) else f"{rate:.1f}%"


def line_cells(line: Line) -> list[str]:
    return [str(line.eligible), str(line.met), str(line.missed), str(line.pending), rate_text(line.rate)]


def _md_table(lines: list[Line], first: str) -> list[str]:
    out = [f"| {first} | eligible | met | missed | pending | rate met |", "|---|---:|---:|---:|---:|---:|"]
    return out + [f"| {md_cell(line.group)} | " + " | ".join(line_cells(line)) + " |" for line in lines]


FEEDBACK_HEADER = ("offered", "answered", "satisfied", "satisfied of answered", "kept informed",
                   "kept informed of asked", "treated with respect", "treated with respect of asked")
FEEDBACK_TITLE = "Victims' feedback"


def feedback_cells(line: FeedbackLine) -> list[str]:
    return [str(line.offered), str(line.answered), str(line.satisfied), rate_text(line.satisfied_percent),
            str(line.kept_informed), rate_text(line.kept_informed_percent), str(line.treated_with_respect),
            rate_text(line.treated_with_respect_percent)]


def _feedback_rows(f: FeedbackFigures) -> list[list[str]]:
    return [["all", *feedback_cells(f.overall)]] + [[line.group, *feedback_cells(line)] for line in f.by_month]


def to_markdown(r: ComplianceReport, recipient: str = "") -> str:
    out = [f"# {TITLE}", "", f"**{r.marking}** · {md_cell(subtitle(r, recipient))}", "",
           "## Every measured right", ""]
    out += _md_table([replace(f.overall, group=f.right.title) for f in r.rights], "right")
    for f in r.rights:
        out += ["", f"## {f.right.title}", "", f"Met: {f.right.measure}.", ""]
        for key, heading in BREAKDOWNS:
            out += [f"### {heading}", ""] + _md_table(f.breakdowns[key], HEADINGS[key].removeprefix("By ")) + [""]
    out += [f"## {FEEDBACK_TITLE}", "", "| month | " + " | ".join(FEEDBACK_HEADER) + " |",
            "|---|" + "---:|" * len(FEEDBACK_HEADER)]
    out += ["| " + " | ".join(row) + " |" for row in _feedback_rows(r.feedback)] + [""]
    out += ["## Notes", ""] + [f"- {note}" for note in r.notes]
    return "\n".join(out) + "\n"


def _line_json(line: Line) -> dict:
    return {"group": line.group, **{m: getattr(line, m) for m in MEASURES}, "rate_met_percent": line.rate}


def _right_json(f: RightFigures) -> dict:
    return {"key": f.right.key, "title": f.right.title, "measure": f.right.measure,
            "overall": {k: v for k, v in _line_json(f.overall).items() if k != "group"},
            "by": {key: [_line_json(line) for line in f.breakdowns[key]] for key, _ in BREAKDOWNS}}


def to_json(r: ComplianceReport, recipient: str = "") -> str:
    return json.dumps({
        "schema_version": SCHEMA_VERSION,
        "report": "victims_code_compliance",
        "generated_at": r.generated_at.isoformat(),
        "recipient": recipient or None,
        "exercise": r.is_exercise,
        "period": {"from": r.start.isoformat() if r.start else None, "to": r.end.isoformat() if r.end else None},
        "incidents": [{"id": i, "name": name} for i, name in r.incidents],
        "suppression": {"threshold": THRESHOLD, "shown_as": SUPPRESSED, "secondary_shown_as": SECONDARY},
        "rights": [_right_json(f) for f in r.rights],
        "feedback": {"overall": _feedback_json(r.feedback.overall),
                     "by_month": [{"month": line.group, **_feedback_json(line)} for line in r.feedback.by_month]},
        "notes": list(r.notes),
    }, indent=2, ensure_ascii=False)


def _feedback_json(line: FeedbackLine) -> dict:
    return {key: value for key, value in vars(line).items() if key != "group"}


def to_csv(r: ComplianceReport, recipient: str = "") -> str:
    """One long table: each right's overall figures (breakdown "all"), then each breakdown's groups."""
    rows = []
    for f in r.rights:
        rows.append([f.right.key, "all", "all", *(getattr(f.overall, m) for m in MEASURES), _csv_rate(f.overall.rate)])
        rows += [[f.right.key, key, line.group, *(getattr(line, m) for m in MEASURES), _csv_rate(line.rate)]
                 for key, _ in BREAKDOWNS for line in f.breakdowns[key]]
    return write_csv(rows, CSV_HEADER)


def _csv_rate(rate: float | str | None) -> object:
    return "" if rate is None else rate


def to_pdf(r: ComplianceReport, recipient: str = "") -> bytes:
    doc = Document(TITLE, subtitle(r, recipient), marking=r.marking)
    header = ["", "eligible", "met", "missed", "pending", "rate met"]
    doc.heading("Every measured right")
    doc.table(header, [[f.right.title, *line_cells(f.overall)] for f in r.rights])
    for f in r.rights:
        doc.add_page()
        doc.heading(f.right.title)
        doc.paragraph(f"Met: {f.right.measure}.", size=8)
        for key, heading in BREAKDOWNS:
            doc.heading(heading, size=9)
            doc.table([HEADINGS[key].removeprefix("By "), *header[1:]],
                      [[line.group, *line_cells(line)] for line in f.breakdowns[key]])
    doc.add_page()
    doc.heading(FEEDBACK_TITLE)
    doc.table(["month", *FEEDBACK_HEADER], _feedback_rows(r.feedback))
    doc.heading("Notes")
    doc.paragraph("\n".join(f"• {note}" for note in r.notes))
    return doc.to_bytes()


def render(r: ComplianceReport, fmt: str, recipient: str = "") -> bytes:
    if fmt == "pdf":
        return to_pdf(r, recipient)
    return {"md": to_markdown, "json": to_json, "csv": to_csv}[fmt](r, recipient).encode("utf-8")
