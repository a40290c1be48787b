"""The after-action report as Markdown and on paper, in one order: the timeline against its
decisions, staffing asked and given per agency, then the figures by section. Made of the situation
report's pieces: its escaping of typed text (standup.sitrep.render.md_cell), its marking and
core.pdf's document."""

from __future__ import annotations

from itertools import groupby

from core.clock import show
from core.pdf import Document
from rosters.contribution_service import ContributionLine
from standup.after_action.report import AfterAction
from standup.sitrep.briefing import shown
from standup.sitrep.render import md_cell
from standup.sitrep.wording import marking

FORMATS = ("md", "pdf")


def title(r: AfterAction) -> str:
    return f"{'EXERCISE — ' if r.is_exercise else ''}After-action report: {r.incident_name}"


def subtitle(r: AfterAction) -> str:
    declared = f"declared {show(r.declared_at)}" if r.declared_at else "not declared"
    made_for = f" · for {r.recipient}" if r.recipient else ""
    return (f"Status {r.status.replace('_', ' ')} · {declared} · generated {show(r.generated_at)} "
            f"(Europe/London){made_for}")


def staffing_row(line: ContributionLine) -> tuple[str, str, str, str, str]:
    """(agency, agreed, person-days asked, person-days given, shifts and hours worked)."""
    a = line.agreed
    agreed = "no agreement recorded" if a is None else (
        f"{a.staff_per_day} a day from {a.starts_on:%d/%m/%Y}" + (f" to {a.ends_on:%d/%m/%Y}" if a.ends_on else "")
        + (f" ({a.roles})" if a.roles else ""))
    return (line.agency, agreed, f"{line.person_days_asked:,}", f"{line.given.person_days:,}",
            f"{line.given.shifts:,} shifts, {line.given.hours:,.1f} h")


STAFFING_HEADER = ("agency", "agreed", "person-days asked", "person-days given", "worked")
TIMELINE_HEADER = ("when", "what", "step", "by", "authorised by (a status: its reason)")


def _sections(r: AfterAction):
    return groupby(r.figures, key=lambda f: f.section)


def to_markdown(r: AfterAction) -> str:
    lines = [f"# {md_cell(title(r))}", "", f"**{marking(r)}** · _{md_cell(subtitle(r))}_", "",
             "## Timeline: activations and stand-downs against their decisions", ""]
    if r.timeline:
        lines += ["| " + " | ".join(TIMELINE_HEADER) + " |", "|---|---|---|---|---|"]
        lines += [f"| {show(t.at)} | {md_cell(t.what)} | {md_cell(t.step)} | {md_cell(t.by)} | {md_cell(t.authority)} |"
                  for t in r.timeline]
    else:
        lines.append("- Nothing recorded yet.")
    lines += ["", "## Staffing: asked and given per agency", ""]
    if r.staffing:
        lines += ["| " + " | ".join(STAFFING_HEADER) + " |", "|---|---|---:|---:|---|"]
        lines += ["| " + " | ".join(md_cell(cell) for cell in staffing_row(line)) + " |" for line in r.staffing]
    else:
        lines.append("- No agency agreed to give or gave staff.")
    for section, figures in _sections(r):
        lines += ["", f"## {md_cell(section)}", "", "| | |", "|---|---:|"]
        lines += [f"| {md_cell(f.label)} | {md_cell(shown(f.value))} |" for f in figures]
    return "\n".join(lines) + "\n"


def to_pdf(r: AfterAction) -> bytes:
    doc = Document(title(r), subtitle(r), marking=marking(r))
    doc.heading("Timeline: activations and stand-downs against their decisions")
    if r.timeline:
        doc.labelled([(show(t.at), f"{t.what}: {t.step}, by {t.by}" + (f". {t.authority}" if t.authority else ""))
                      for t in r.timeline], label_width=32)
    else:
        doc.paragraph("Nothing recorded yet.")
    doc.heading("Staffing: asked and given per agency")
    if r.staffing:
        doc.labelled([(agency, f"Agreed {agreed}. Person-days asked {asked}, given {given}; {worked}.")
                      for agency, agreed, asked, given, worked in map(staffing_row, r.staffing)])
    else:
        doc.paragraph("No agency agreed to give or gave staff.")
    for section, figures in _sections(r):
        doc.heading(section)
        doc.figures([(f.label, shown(f.value)) for f in figures], value_widths=(40,))
    return doc.to_bytes()


def render(r: AfterAction, fmt: str) -> bytes:
    return to_pdf(r) if fmt == "pdf" else to_markdown(r).encode("utf-8")
