"""The situation report in the four forms `standup sitrep` and Gold's page offer: md, json, csv, pdf.
Each follows the briefing's order: M/ETHANE now, risks, decisions since the last report, hubs and
command (with handovers since the last report), then the figures with their change and the trends."""

from __future__ import annotations

import html
import json
import re

from core.clock import show
from core.csv_safe import write_csv
from standup.sitrep.briefing import change_text, changes_note, figure_groups, shown, trend_charts
from standup.sitrep.pdf_report import to_pdf
from standup.sitrep.report import Decision, Sitrep, by_section
from standup.sitrep.wording import (
    commander_text,
    correction_notes,
    decision_headline,
    decisions_heading,
    handover_text,
    handovers_heading,
    hub_text,
    log_head,
    marking,
    subtitle,
    title,
)

FORMATS = ("md", "json", "csv", "pdf")

_MD_SPECIALS = re.compile(r"([\\`*_\[\]|~])")


def md_cell(value: object) -> str:
    """Typed text made inert in Markdown: HTML shows as text; no link, emphasis or broken table."""
    return _MD_SPECIALS.sub(r"\\\1", html.escape(str(value), quote=False)).replace("\n", " ")


def _md_decision(d: Decision) -> str:
    text = md_cell(d.decision)
    if d.struck_through_by:
        text = f"~~{text}~~"
    notes = "".join(f" — {md_cell(note)}" for note in correction_notes(d))
    return (f"- **{d.sequence}.** {text}{notes}  \n  {show(d.decided_at)} — {md_cell(d.decided_by)} "
            f"(rationale: {md_cell(d.rationale)})")


def _md_figures(r: Sitrep) -> list[str]:
    lines = ["## Figures", "", f"_{md_cell(changes_note(r))}_", ""]
    for group in figure_groups(r):
        if group.all_quiet:  # a section with nothing to report is one line
            lines += [f"**{md_cell(group.section)}**: {md_cell(group.folded)}", ""]
            continue
        lines += [f"### {md_cell(group.section)}", ""]
        if r.compared:
            lines += ["| | now | change |", "|---|---:|---:|"]
            lines += [f"| {md_cell(row.label)} | {md_cell(shown(row.value))} | {change_text(row.change)} |"
                      for row in group.rows]
        else:
            lines += ["| | now |", "|---|---:|"] + [f"| {md_cell(row.label)} | {md_cell(shown(row.value))} |"
                                                   for row in group.rows]
        lines += (["", f"_{md_cell(group.folded)}_"] if group.folded else []) + [""]
    return lines


def _md_trends(r: Sitrep) -> list[str]:
    if r.trends is None:
        return []
    lines = ["## Trends", ""]
    for chart in trend_charts(r.trends):
        span = f"{chart.points[0]} to {chart.points[-1]}" if chart.points else "no data"
        lines.append(f"- **{chart.title}** ({span}): "
                     + "; ".join(f"{name} {' · '.join(str(v) for v in values)}" for name, values in chart.series))
    return lines + [""]


def to_markdown(r: Sitrep) -> str:
    lines = [f"# {md_cell(title(r))}", "", f"**{marking(r)}** · _{md_cell(subtitle(r))}_", ""]
    lines += ["## M/ETHANE now", ""]
    lines += [f"- **{part}**: {md_cell(text)}" for part, text in r.methane] or ["- No M/ETHANE submitted yet."]
    # Risks right after the picture: they are what the meeting must act on.
    lines += ["", "## Risks", ""] + ([f"- {md_cell(risk)}" for risk in r.risks] or ["- none: every risk figure is 0"])
    lines += ["", f"## {decisions_heading(r)}", ""] + ([_md_decision(d) for d in r.decisions] or ["- none"])
    if r.decision_log_head:
        lines += ["", f"_{md_cell(log_head(r))}_"]
    lines += ["", "## Hubs and command", ""]
    lines += [f"- **{md_cell(h.name)}**: {md_cell(hub_text(h))}" for h in r.hubs] or ["- No hubs recorded."]
    lines += [""] + ([f"- **{md_cell(c.level)}**: {md_cell(commander_text(c))}" for c in r.command]
                     or ["- No commanders named."])
    lines += ["", f"**{handovers_heading(r)}**", ""]
    lines += [f"- {md_cell(handover_text(h))}" for h in r.handovers] or ["- none"]
    lines += [""] + _md_figures(r) + _md_trends(r)
    return "\n".join(lines).rstrip("\n") + "\n"


def _iso(at) -> str | None:
    return at.isoformat() if at else None


def to_json(r: Sitrep) -> str:
    """The shape README's "Reports and exports" documents; keys only ever added."""
    return json.dumps({
        "incident": {"id": r.incident_id, "name": r.incident_name, "exercise": r.is_exercise, "status": r.status,
                     "declared_at": _iso(r.declared_at)},
        "generated_at": r.generated_at.isoformat(),
        "recipient": r.recipient or None,
        "methane": dict(r.methane),
        "risks": list(r.risks),
        "decisions_since": _iso(r.decisions_since),
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
        "hubs": [{"name": h.name, "kind": h.kind, "address": h.address, "opening_hours": h.opening_hours,
                  "capacity": h.capacity, "contact": h.contact, "on_shift_now": h.on_shift_now,
                  "needed_now": h.needed_now, "shifts_short_next_24h": h.shifts_short_24h,
                  "places_open_next_24h": h.places_open_24h} for h in r.hubs],
        "command": [{"level": c.level, "agency": c.agency, "name": c.name, "contact": c.contact,
                     "since": c.since.isoformat()} for c in r.command],
        "handovers": [{"handed_over_at": h.handed_over_at.isoformat(), "level": h.level, "agency": h.agency,
                       "outgoing": h.outgoing, "incoming": h.incoming, "briefing": h.briefing} for h in r.handovers],
        "figures": by_section({(f.section, f.label): f.value for f in r.figures}),
        "changes": by_section({(f.section, f.label): r.change(f) for f in r.figures if r.change(f) is not None}),
        "previous_report": {"made_at": r.previous.made_at.isoformat(),
                            "figures": None if r.previous.figures is None else by_section(r.previous.figures)}
        if r.previous else None,
        "trends": None if r.trends is None else {
            "days": [d.isoformat() for d in r.trends.days], "registrations": list(r.trends.registrations),
            "referrals_made": list(r.trends.referrals_made), "deadlines_missed": list(r.trends.deadlines_missed),
            "weeks": [w.isoformat() for w in r.trends.weeks], "screenings_done": list(r.trends.screenings_done),
            "screenings_positive": list(r.trends.screenings_positive)},
    }, indent=2, ensure_ascii=False)


CSV_HEADER = ("section", "figure", "value", "previous report")


def to_csv(r: Sitrep) -> str:
    """One table, so a spreadsheet keeps it whole, in the briefing's order: the latest M/ETHANE part
    by part, risks, decisions entry by entry, hubs, commanders and handovers, then each figure with
    its value in the last report (a number a spreadsheet can subtract), then the trends."""
    rows = ([("M/ETHANE now", part, text, "") for part, text in r.methane]
            + [("Risks", "risk", risk, "") for risk in r.risks]
            + [(decisions_heading(r), decision_headline(d),
                " — ".join([d.decision, f"rationale: {d.rationale}", *correction_notes(d)]), "") for d in r.decisions])
    if r.decision_log_head:
        rows.append(("Decision log", "entries; chain head",
                     f"{r.decision_log_head.entries}; {r.decision_log_head.chain_head}", ""))
    rows += ([("Hubs", h.name, hub_text(h), "") for h in r.hubs]
             + [("Command", c.level, commander_text(c), "") for c in r.command]
             + [(handovers_heading(r), h.level, handover_text(h), "") for h in r.handovers]
             + [(f.section, f.label, f.value, "" if (change := r.change(f)) is None else f.value - change)
                for f in r.figures])
    if r.trends is not None:
        t = r.trends
        rows += [("Trend: registrations per day", d, n, "") for d, n in zip(t.days, t.registrations, strict=True)]
        rows += [("Trend: Victims' Code referrals made per day", d, n, "")
                 for d, n in zip(t.days, t.referrals_made, strict=True)]
        rows += [("Trend: Victims' Code deadlines missed per day", d, n, "")
                 for d, n in zip(t.days, t.deadlines_missed, strict=True)]
        rows += [("Trend: screenings done per week", w, n, "") for w, n in zip(t.weeks, t.screenings_done, strict=True)]
        rows += [("Trend: positive screens per week", w, n, "")
                 for w, n in zip(t.weeks, t.screenings_positive, strict=True)]
    return write_csv(rows, CSV_HEADER)


def render(r: Sitrep, fmt: str) -> bytes:
    if fmt == "pdf":
        return to_pdf(r)
    return {"md": to_markdown, "json": to_json, "csv": to_csv}[fmt](r).encode("utf-8")
