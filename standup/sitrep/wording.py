"""How the situation report says things, the same in every format and on the dashboard: its
title and marking, the time "since the last report" starts, a hub, a commander, a handover, and
what corrects what in the decision log."""

from __future__ import annotations

from core.clock import show
from standup.sitrep.report import CommandLine, Decision, Handover, HubLine, Sitrep


def title(r: Sitrep) -> str:
    return f"{'EXERCISE — ' if r.is_exercise else ''}Situation report: {r.incident_name}"


def marking(r: Sitrep) -> str:
    """Printed on every page: an exercise's paper must never pass for a live incident's, nor the reverse."""
    return "EXERCISE — EXERCISE — EXERCISE" if r.is_exercise else "LIVE INCIDENT"


def subtitle(r: Sitrep) -> str:
    declared = f"declared {show(r.declared_at)}" if r.declared_at else "not declared"
    made_for = f" · for {r.recipient}" if r.recipient else ""
    return (f"Status {r.status.replace('_', ' ')} · {declared} · generated {show(r.generated_at)} "
            f"(Europe/London){made_for}")


def decisions_heading(r: Sitrep) -> str:
    if r.decisions_since:
        return f"Decisions since {show(r.decisions_since)}"
    return "Decisions (no earlier report: the whole log)"


def handovers_heading(r: Sitrep) -> str:
    return f"Handovers since {show(r.decisions_since)}" if r.decisions_since else "Handovers"


def short(at) -> str:
    return show(at, "%d %b %H:%M")


def correction_notes(d: Decision) -> list[str]:
    """What corrects what, by entry number and time (empty for an entry neither corrected nor correcting)."""
    notes = []
    if d.struck_through_by:
        notes.append(f"struck through by entry {d.struck_through_by.sequence} "
                     f"(recorded {short(d.struck_through_by.at)})")
    if d.corrects:
        notes.append(f"corrects entry {d.corrects.sequence} (decided {short(d.corrects.at)})"
                     + (f": {d.correction_reason}" if d.correction_reason else ""))
    return notes


def decision_headline(d: Decision) -> str:
    return f"Entry {d.sequence}, decided {show(d.decided_at, '%d %b %Y %H:%M')} by {d.decided_by}"


def log_head(r: Sitrep) -> str:
    head = r.decision_log_head
    return f"Decision log: {head.entries} entries, chain head {head.chain_head}" if head else ""


def hub_text(h: HubLine) -> str:
    """A hub in one line: what it is, where, when open, who to call, and its staffing."""
    staffing = (f"on shift now {h.on_shift_now} of {h.needed_now}" if h.needed_now else "no shift under way")
    short_24h = (f"next 24 h: {h.shifts_short_24h} {'shift' if h.shifts_short_24h == 1 else 'shifts'} short "
                 f"({h.places_open_24h} {'place' if h.places_open_24h == 1 else 'places'} open)"
                 if h.shifts_short_24h else "next 24 h: fully staffed")
    parts = [h.kind, h.address, f"open {h.opening_hours}" if h.opening_hours else "",
             f"capacity {h.capacity:,}" if h.capacity else "", f"contact {h.contact}" if h.contact else "",
             staffing, short_24h]
    return " · ".join(p for p in parts if p)


def commander_text(c: CommandLine) -> str:
    return f"{c.name}, {c.agency}, since {short(c.since)}" + (f" ({c.contact})" if c.contact else "")


def handover_text(h: Handover) -> str:
    return f"{short(h.handed_over_at)} · {h.level}, {h.agency}: {h.outgoing} to {h.incoming}. Briefing: {h.briefing}"
