"""How an administrator writes a new pathway on the settings page, read into a PathwaySpec.

Stages, one a line: `code | name | intervention` (the intervention may be left out). Moves, one a
line: `from_code > to_code`. A line that fits neither shape is refused, naming it, rather than
dropped: a move silently lost is a route a person can never take. What the pathway itself must
keep (first aid first, no debriefing) is pathway_catalogue.pathway_problems.
"""

from __future__ import annotations

from pathways.pathway_catalogue import PathwaySpec, StageSpec
from pathways.schedule import parse_months


def _lines(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate((text or "").splitlines(), start=1) if line.strip()]


def parse_stages(text: str) -> tuple[StageSpec, ...]:
    """ValueError naming the line when one is not `code | name | intervention`."""
    stages = []
    for number, line in _lines(text):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 3:
            raise ValueError(f"stage line {number} ({line!r}) has {len(parts)} parts; write code | name | intervention")
        code, name, intervention = (parts + ["", ""])[:3]
        if not code or not name:
            raise ValueError(f"stage line {number} ({line!r}) needs a code and a name: code | name | intervention")
        stages.append(StageSpec(code, name, intervention))
    return tuple(stages)


def parse_moves(text: str) -> tuple[tuple[str, str], ...]:
    """ValueError naming the line when one is not `from_code > to_code`."""
    moves = []
    for number, line in _lines(text):
        start, arrow, end = (part.strip() for part in line.partition(">"))
        if not arrow or not start or not end or ">" in end:
            raise ValueError(f"move line {number} ({line!r}) is not from_code > to_code")
        moves.append((start, end))
    return tuple(moves)


def pathway_from_form(code: str, name: str, description: str, months: str, stages: str, moves: str) -> PathwaySpec:
    """The settings page's fields as a pathway definition; ValueError saying what to correct."""
    return PathwaySpec(code.strip(), name.strip(), description.strip(), parse_months(months), parse_stages(stages),
                       parse_moves(moves))
