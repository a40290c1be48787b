"""Small-number suppression for published figures: no cell may let anyone tell how fewer than 5
people fared, directly or by subtraction.

Primary: a cell counting 1 to 4 people is shown as "fewer than 5" (0 is shown: it describes nobody).
Secondary: the figures come in sums (a group's eligible = met + missed + pending; a right's overall
figure = the sum of its groups' figures), so a hidden cell alone in a sum could be worked out from
the others: the next-smallest cell of that sum is hidden too, shown as "suppressed" (it is not fewer
than 5), again until no sum has a hidden cell alone. Rates computed from a hidden count are hidden.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

THRESHOLD = 5
SUPPRESSED = "fewer than 5"
SECONDARY = "suppressed"  # hidden so that a "fewer than 5" cannot be worked out

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Cell:
    count: int  # cases (a person told of two decisions is two cases)
    people: int  # distinct people among them: what may not be fewer than THRESHOLD


@dataclass(frozen=True)
class Suppression:
    primary: frozenset
    secondary: frozenset

    def shown(self, key: Hashable, count: int) -> int | str:
        return SUPPRESSED if key in self.primary else SECONDARY if key in self.secondary else count


def suppress(cells: Mapping[K, Cell], sums: Sequence[tuple[K, Sequence[K]]]) -> Suppression:
    """The cells to hide. `sums` are (total, parts): the total's count is the parts' counts added."""
    primary = {key for key, cell in cells.items() if 0 < cell.people < THRESHOLD}
    hidden = set(primary)
    order = {key: i for i, key in enumerate(cells)}  # ties broken the same way on every run
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            members = (total, *parts)
            if sum(1 for m in members if m in hidden) != 1:
                continue
            others = [m for m in members if m not in hidden and cells[m].count > 0]
            if others:  # none left only when the hidden cell is the sum's one non-zero
                hidden.add(min(others, key=lambda m: (cells[m].count, order[m])))
                changed = True
    return Suppression(frozenset(primary), frozenset(hidden - primary))
