"""Whether a shift requirement has a place left for one more person, given the skills and
languages it asks for. Plain values in, Violations out; the per-person hard rules are in
rosters.constraints.

A requirement is `headcount` places; a need says "at least `count` of them hold this skill
(or speak this language)". One person may meet several needs at once, so a place is only
refused when taking it would leave fewer places than some need still lacks.

Rule names added to constraints.RULES by this module: "assigned" (already on this shift),
"full" (no place left), "skill_mix" (the places left are kept for a skill or language).

Decisions:
- People work from the briefing to the debrief. That span, not the bare shift window, is what
  overlap, rest and weekly hours are measured on.
- Availability windows bind the London week they fall in: a person who recorded availability
  for some of a week must be inside it for that week's shifts; a week with none recorded is
  open (constraints: no windows means available). So last month's windows never block today.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from rosters.constraints import ShiftSlot, StaffFacts, Violation

Holding = tuple[str, str]  # (kind, name): ("skill", "trauma-informed") or ("language", "Arabic")


def holdings(skills: Iterable[str], languages: Iterable[str]) -> frozenset[Holding]:
    return frozenset([("skill", s) for s in skills] + [("language", lang) for lang in languages])


def working_span(
    starts_at: datetime, ends_at: datetime, briefing_at: datetime | None, debrief_at: datetime | None
) -> tuple[datetime, datetime]:
    """From the briefing (if earlier than the start) to the debrief (if later than the end)."""
    start = min(starts_at, briefing_at) if briefing_at else starts_at
    end = max(ends_at, debrief_at) if debrief_at else ends_at
    return start, end


def availability_scope(slot: ShiftSlot) -> tuple[datetime, datetime]:
    """The stretch whose availability windows bind this shift: its London week (and the rest of the shift)."""
    return slot.week_start, max(slot.week_end, slot.end)


def binding_facts(facts: StaffFacts, slot: ShiftSlot) -> StaffFacts:
    """The person's facts with only the availability windows that bind this shift."""
    if not facts.availability:
        return facts
    start, end = availability_scope(slot)
    binding = tuple(w for w in facts.availability if w.start < end and start < w.end)
    return facts if len(binding) == len(facts.availability) else replace(facts, availability=binding)


def unmet(needs: Mapping[Holding, int], people: Iterable[frozenset[Holding]]) -> dict[Holding, int]:
    """How many more holders each need still lacks (needs already met are left out)."""
    held = dict.fromkeys(needs, 0)
    for person in people:
        for need in person:
            if need in held:
                held[need] += 1
    return {need: count - held[need] for need, count in needs.items() if held[need] < count}


def describe_need(need: Holding, count: int) -> str:
    kind, name = need
    return f"{count} × {name}" if kind == "skill" else f"{count} × {name} speaker"


def place_violations(
    headcount: int,
    needs: Mapping[Holding, int],
    assigned: Sequence[frozenset[Holding]],
    newcomer: frozenset[Holding],
) -> tuple[Violation, ...]:
    """Why `newcomer` cannot take a place on a requirement already holding `assigned`; empty if they can."""
    if len(assigned) >= headcount:
        return (Violation("full", f"the shift is full ({len(assigned)} of {headcount} places filled)"),)
    left_after = headcount - len(assigned) - 1
    blocked = {need: n for need, n in unmet(needs, [*assigned, newcomer]).items() if n > left_after}
    if not blocked:
        return ()
    wanted = ", ".join(describe_need(need, n) for need, n in blocked.items())
    places = "no place" if left_after == 0 else f"only {left_after} place{'s' if left_after > 1 else ''}"
    return (Violation("skill_mix", f"the places left are kept for {wanted}; taking one would leave {places}"),)
