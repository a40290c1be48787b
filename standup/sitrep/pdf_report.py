"""The situation report on paper, as a chief officer takes it into the coordinating group: the
first page carries the header (incident, the exercise or live marking every page repeats, when it
was generated, who it is for), M/ETHANE now, the risks and the decisions since the last report;
then hubs and command, the figures grouped in two columns with their change since the last report
(nothing-to-report lines folded into one), and small trend charts drawn by fpdf itself (no image,
no network)."""

from __future__ import annotations

from core.clock import show
from core.pdf import Document
from standup.sitrep.briefing import FigureGroup, change_text, changes_note, figure_groups, shown, trend_charts
from standup.sitrep.report import Sitrep
from standup.sitrep.wording import (
    commander_text,
    correction_notes,
    decisions_heading,
    handover_text,
    handovers_heading,
    hub_text,
    log_head,
    marking,
    subtitle,
    title,
)


def _decisions(doc: Document, r: Sitrep) -> None:
    """Paper has no strike-through that survives a photocopy: a struck entry says so in capitals."""
    doc.heading(decisions_heading(r))
    for d in r.decisions:
        if doc.will_page_break(14):  # an entry's decision and its rationale stay together
            doc.add_page()
        notes = correction_notes(d)
        if d.struck_through_by:
            notes[0] = notes[0].replace("struck through", "STRUCK THROUGH", 1)
        doc.paragraph(f"{d.sequence}. {d.decision}", style="B")
        doc.paragraph("\n".join([*notes, f"{show(d.decided_at)} — {d.decided_by}. Rationale: {d.rationale}"]), size=8)
        doc.ln(1.5)
    if not r.decisions:
        doc.paragraph("None.")
    if r.decision_log_head:
        doc.paragraph(log_head(r), size=7)


def _hubs_and_command(doc: Document, r: Sitrep) -> None:
    doc.heading("Hubs and command")
    doc.labelled([(h.name, hub_text(h)) for h in r.hubs] or [("Hubs", "None recorded.")])
    doc.ln(1)
    doc.labelled([(c.level, commander_text(c)) for c in r.command] or [("Command", "No commanders named.")])
    doc.ln(1)
    doc.labelled([(handovers_heading(r), "\n".join(handover_text(h) for h in r.handovers) or "None.")])


def _group_block(doc: Document, r: Sitrep, group: FigureGroup, widths: tuple[float, ...]):
    """One section of figures as (height, draw) for `Document.in_columns`."""
    rows = [(row.label, shown(row.value), change_text(row.change)) if r.compared else (row.label, shown(row.value))
            for row in group.rows]
    folded = f"{group.section}: {group.folded}" if group.all_quiet else group.folded

    def height() -> float:
        doc.set_font(doc.family, "", 8)
        lines = doc.lines_needed(folded, doc.epw) * 4.4 if folded else 0
        return lines + 1 if group.all_quiet else 7 + doc.figures_height(rows, widths) + lines + 2

    def draw() -> None:
        if group.all_quiet:  # a section with nothing to report is one line
            doc.run_in(group.section, group.folded)
            doc.ln(1)
            return
        doc.heading(group.section, size=9, keep=0)
        doc.figures(rows, value_widths=widths)
        if group.folded:
            doc.paragraph(group.folded, size=8)
        doc.ln(2)

    return height, draw


def _figures(doc: Document, r: Sitrep) -> None:
    doc.heading("Figures")
    doc.paragraph(changes_note(r), size=8)
    doc.ln(1)
    groups = figure_groups(r)
    # Counts in two columns (they support the briefing; they need not fill the pages); the lists
    # whose values are words (shifts short, services) across the page.
    counts = [g for g in groups if all(isinstance(row.value, int) for row in g.rows)]
    doc.in_columns([_group_block(doc, r, g, (14, 11) if r.compared else (14,)) for g in counts])
    for g in groups:
        if g not in counts:
            height, draw = _group_block(doc, r, g, (70, 11) if r.compared else (70,))
            if doc.will_page_break(min(height(), 40)):
                doc.add_page()
            draw()


def to_pdf(r: Sitrep) -> bytes:
    doc = Document(title(r), subtitle(r), marking=marking(r))
    # Paragraphs and label/text rows, not tables: long free text wraps as well and prints many times faster.
    doc.heading("M/ETHANE now")
    if r.methane:
        doc.labelled(r.methane)
    else:
        doc.paragraph("No M/ETHANE submitted yet.")
    doc.heading("Risks")
    doc.paragraph("\n".join(f"• {risk}" for risk in r.risks) or "None: every risk figure is 0.")
    _decisions(doc, r)
    _hubs_and_command(doc, r)
    _figures(doc, r)
    if r.trends is not None:
        doc.heading("Trends", keep=doc.bar_charts_height() + 10)
        doc.bar_charts(trend_charts(r.trends))
    return doc.to_bytes()
