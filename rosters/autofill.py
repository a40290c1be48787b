"""Proposing who should fill the open places, with OR-Tools CP-SAT. Plain values in, a list of
(requirement, person) placements out; no database. Nothing here assigns anyone: the service
re-checks and writes each accepted placement through staffing.assign.

The model:
- one yes/no variable per (person, requirement) pair that `constraints.eligible` allows given
  the availability windows binding that shift (places.binding_facts) and what the person is
  already booked on (role, DBS, availability, rest and hours against
  existing shifts are all settled there), on a shortlist per requirement (see _shortlists:
  about four eligible people per open place, holders of missing skills first, then those
  least shortlisted and nearest) so that thousands of staff still solve in seconds;
- per requirement: at most its open places, and for each skill or language it still lacks,
  enough places left to holders (the rosters.places rule, in its order-free form: people
  without the need may take at most `open - lacking` places);
- per person, between the candidate shifts themselves: no two that overlap or leave less than
  the minimum rest (an at-most-one over each run of mutually clashing shifts), and per London
  week, hours already booked plus new hours within their maximum.
Objectives, in strict order (each solved, then held while the next is optimised):
1. coverage: the most places filled;
2. fairness: the least hours any one person ends up with over the planning horizon;
3. travel: the shortest total distance from home postcode district to hub (rosters.travel).
The time limit is shared between the three stages; whatever is found by then is returned.
"""

from __future__ import annotations

import math
import os
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ortools.sat.python import cp_model

from rosters.constraints import (
    DEFAULT_MIN_REST,
    RULE_TITLES,
    Booked,
    ShiftSlot,
    StaffFacts,
    eligible,
    violations,
)
from rosters.places import Holding, binding_facts

COVERAGE_SHARE, FAIRNESS_SHARE = 0.6, 0.2  # of the time limit; travel gets the rest
SHORTLIST_PER_PLACE, SHORTLIST_SPARE = 4, 12
Sum, Weighted = cp_model.LinearExpr.sum, cp_model.LinearExpr.weighted_sum
_Pair = tuple[int, int]  # (person index, requirement index)


@dataclass(frozen=True)
class OpenRequirement:
    slot: ShiftSlot  # its shift_id is the requirement id; the span runs briefing to debrief
    open_places: int
    lacking: Mapping[Holding, int] = field(default_factory=dict)  # needs still unmet by people on it
    hub_postcode: str = ""


@dataclass(frozen=True)
class Person:
    facts: StaffFacts
    booked: tuple[Booked, ...] = ()
    holdings: frozenset[Holding] = frozenset()
    home_postcode: str = ""


@dataclass(frozen=True)
class Placement:
    requirement_id: object
    staff_id: object
    travel_km: float


@dataclass(frozen=True)
class FillResult:
    placements: tuple[Placement, ...]
    open_places: int
    status: str  # "optimal", "feasible", "nothing to fill", "no eligible people"
    pairs_considered: int
    seconds: float


def _clash(a: ShiftSlot, b: ShiftSlot, rest: timedelta) -> bool:
    """Overlap, or less than `rest` between them: the same test as constraints' overlap and rest rules."""
    if a.start < b.end and b.start < a.end:
        return True
    gap = b.start - a.end if a.end <= b.start else a.start - b.end
    return gap < rest


def _clash_groups(slots: Sequence[ShiftSlot], rest: timedelta) -> list[list[int]]:
    """Groups of indexes of which at most one may be worked. Each shift with the later shifts
    it clashes with forms a group when they all clash with one another (the usual case for
    shifts of one length); otherwise its clashes are given as pairs."""
    order = sorted(range(len(slots)), key=lambda i: slots[i].start)
    groups: list[list[int]] = []
    for pos, i in enumerate(order):
        later = []
        for j in order[pos + 1:]:
            if slots[j].start >= slots[i].end + rest:  # sorted by start: no later shift clashes either
                break
            if _clash(slots[i], slots[j], rest):
                later.append(j)
        if not later:
            continue
        if all(_clash(slots[a], slots[b], rest) for x, a in enumerate(later) for b in later[x + 1:]):
            groups.append([i, *later])
        else:
            groups.extend([i, j] for j in later)
    return groups


def _shortlists(
    wanted: Sequence[OpenRequirement],
    people: Sequence[Person],
    eligible_for: Sequence[Sequence[int]],
    travel: Callable[[str, str], float],
) -> list[list[tuple[int, float]]]:
    """Per requirement, the eligible people the model considers, with their travel: everyone
    when few are eligible, else SHORTLIST_PER_PLACE per open place (plus SHORTLIST_SPARE),
    holders of each lacking skill or language first, then those shortlisted least so far and
    nearest. Keeps a 2,000-person roster solvable in seconds; coverage is optimal over these."""
    shortlisted = [0] * len(people)
    found = []
    for r_index in sorted(range(len(wanted)), key=lambda r: wanted[r].slot.start):
        req = wanted[r_index]
        distance = {i: travel(people[i].home_postcode, req.hub_postcode) for i in eligible_for[r_index]}
        size = req.open_places * SHORTLIST_PER_PLACE + SHORTLIST_SPARE
        if len(distance) <= size:
            chosen = list(distance)
        else:
            rank = sorted(distance, key=lambda i: (shortlisted[i], distance[i], i))
            chosen = []
            for need, lacking in req.lacking.items():
                chosen += [i for i in rank if need in people[i].holdings and i not in chosen][
                    :lacking * SHORTLIST_PER_PLACE]
            taken = set(chosen)
            chosen += [i for i in rank if i not in taken][:max(size - len(chosen), 0)]
        for i in chosen:
            shortlisted[i] += 1
        found.append((r_index, [(i, distance[i]) for i in chosen]))
    return [pairs for _, pairs in sorted(found)]


def _seconds(span: timedelta) -> int:
    return int(span.total_seconds())


def _slot_seconds(slot: ShiftSlot) -> int:
    return _seconds(slot.end - slot.start)


def _eligible_people(
    wanted: Sequence[OpenRequirement], people: Sequence[Person], min_rest: timedelta,
) -> list[list[int]]:
    """The candidate set: per requirement, the active people of its role (any role when it
    names none) that `constraints.eligible` allows on it, given the availability windows
    binding that shift and the shifts they are already booked on."""
    by_role: dict[str | None, list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        if person.facts.active:
            by_role[person.facts.role].append(index)

    # The windows binding a shift (places.availability_scope, its London week) are looked up
    # once a person a week.
    weekly_facts: dict[tuple[int, datetime], StaffFacts] = {}

    def facts(i: int, slot: ShiftSlot) -> StaffFacts:
        key = (i, slot.week_start)
        if key not in weekly_facts:
            weekly_facts[key] = binding_facts(people[i].facts, slot)
        return weekly_facts[key]

    eligible_for: list[list[int]] = []
    for req in wanted:
        pool = by_role.get(req.slot.role, []) if req.slot.role is not None else [
            i for members in by_role.values() for i in members
        ]
        eligible_for.append([i for i in pool if eligible(facts(i, req.slot), req.slot, people[i].booked,
                                                         min_rest=min_rest)])
    return eligible_for


def _pair_variables(
    model: cp_model.CpModel, shortlists: Sequence[Sequence[tuple[int, float]]],
) -> tuple[dict[_Pair, cp_model.IntVar], dict[_Pair, int]]:
    """One yes/no variable per shortlisted (person, requirement) pair, and its travel in whole km."""
    pair: dict[_Pair, cp_model.IntVar] = {}
    km: dict[_Pair, int] = {}
    for r_index, shortlist in enumerate(shortlists):
        for p_index, distance in shortlist:
            pair[(p_index, r_index)] = model.new_bool_var(f"x{p_index}_{r_index}")
            km[(p_index, r_index)] = round(distance)
    return pair, km


def _grouped(pair: Mapping[_Pair, object], by: str) -> dict[int, list[int]]:
    """By "person": each person's shortlisted requirements; by "requirement": each
    requirement's shortlisted people (indexes, in the order the pairs were made)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for p_index, r_index in pair:
        if by == "person":
            groups[p_index].append(r_index)
        else:
            groups[r_index].append(p_index)
    return groups


def _limit_places(model: cp_model.CpModel, pair: Mapping[_Pair, cp_model.IntVar],
                  wanted: Sequence[OpenRequirement], people: Sequence[Person]) -> None:
    """Per requirement: at most its open places, and enough of them left for holders of each
    skill or language it still lacks (people without it take at most `open - lacking`)."""
    for r_index, members in _grouped(pair, by="requirement").items():
        req = wanted[r_index]
        model.add(Sum([pair[(p, r_index)] for p in members]) <= req.open_places)
        for need, lacking in req.lacking.items():
            without = [pair[(p, r_index)] for p in members if need not in people[p].holdings]
            if without:
                model.add(Sum(without) <= max(req.open_places - lacking, 0))


def _limit_each_person(model: cp_model.CpModel, pair: Mapping[_Pair, cp_model.IntVar],
                       wanted: Sequence[OpenRequirement], people: Sequence[Person], min_rest: timedelta) -> None:
    """Per person, between the candidate shifts: none that clash, and each week's hours within
    their maximum."""
    for p_index, r_indexes in _grouped(pair, by="person").items():
        slots = [wanted[r].slot for r in r_indexes]
        for group in _clash_groups(slots, min_rest):
            model.add_at_most_one(pair[(p_index, r_indexes[g])] for g in group)
        _limit_weekly_hours(model, [(pair[(p_index, r)], wanted[r].slot) for r in r_indexes], people[p_index])


def _limit_weekly_hours(model: cp_model.CpModel, candidates: Sequence[tuple[cp_model.IntVar, ShiftSlot]],
                        person: Person) -> None:
    """Per London week, the hours already booked plus the candidate shifts taken within the
    person's maximum (to the second; a microsecond of slack as in constraints)."""
    limit = person.facts.max_hours_per_week
    if limit is None:
        return
    weeks: dict[datetime, list[tuple[cp_model.IntVar, ShiftSlot]]] = defaultdict(list)
    for var, slot in candidates:
        weeks[slot.week_start].append((var, slot))
    for week_start, in_week in weeks.items():
        week_end = in_week[0][1].week_end
        already = sum(_seconds(b.end - b.start) for b in person.booked if week_start <= b.start < week_end)
        allowed = math.floor(limit * 3600 + 1e-6) - already
        model.add(Weighted([var for var, _ in in_week], [_slot_seconds(slot) for _, slot in in_week]) <= allowed)


def _hour_loads(pair: Mapping[_Pair, cp_model.IntVar], wanted: Sequence[OpenRequirement],
                people: Sequence[Person]) -> list[tuple[int, list[tuple[int, cp_model.IntVar]]]]:
    """Per person: whole hours already booked over the planning horizon, and (hours, variable)
    for each candidate shift; fairness weighs these."""
    horizon_start = min(r.slot.start for r in wanted)
    horizon_end = max(r.slot.end for r in wanted)
    loads = []
    for p_index, r_indexes in _grouped(pair, by="person").items():
        booked_hours = sum(_seconds(b.end - b.start) for b in people[p_index].booked
                           if b.start < horizon_end and horizon_start < b.end) // 3600
        loads.append((booked_hours, [(math.ceil(_slot_seconds(wanted[r].slot) / 3600), pair[(p_index, r)])
                                     for r in r_indexes]))
    return loads


class _Stages:
    """One model solved for one objective after another within a shared time limit: each
    answer found becomes the best, and is held while the next objective is optimised."""

    def __init__(self, model: cp_model.CpModel, variables: Sequence[cp_model.IntVar], *,
                 started: float, time_limit_s: float, workers: int | None, seed: int) -> None:
        self.model = model
        self.variables = list(variables)
        self.started, self.time_limit_s = started, time_limit_s
        self.solver = cp_model.CpSolver()
        self.solver.parameters.num_workers = workers or min(8, os.cpu_count() or 1)
        self.solver.parameters.random_seed = seed
        self.proven = True  # every stage solved so far proved optimal
        self.best: list[cp_model.IntVar] = []  # the variables set in the latest answer

    def solve(self, share: float) -> bool:
        """Solve for the current objective with `share` of the time limit (at most what is
        left); True when an answer was found."""
        remaining = self.time_limit_s - (time.monotonic() - self.started)
        self.solver.parameters.max_time_in_seconds = max(0.2, min(remaining, self.time_limit_s * share))
        status = self.solver.solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        self.proven = self.proven and status == cp_model.OPTIMAL
        self.best = [var for var in self.variables if self.solver.boolean_value(var)]
        return True

    def value(self, expression: cp_model.LinearExprT) -> int:
        return self.solver.value(expression)

    def hold(self, bound: cp_model.BoundedLinearExpression) -> None:
        """Keep what this stage reached, and start the next from the answer found."""
        self.model.add(bound)
        self.model.clear_hints()
        for var in self.variables:
            self.model.add_hint(var, self.solver.boolean_value(var))


def _optimise_in_order(stages: _Stages, pair: Mapping[_Pair, cp_model.IntVar], km: Mapping[_Pair, int],
                       loads: Sequence[tuple[int, Sequence[tuple[int, cp_model.IntVar]]]]) -> bool:
    """Coverage, then fairness, then travel; False when not even coverage found an answer."""
    model = stages.model
    coverage = Sum(stages.variables)
    model.maximize(coverage)
    if not stages.solve(COVERAGE_SHARE):
        return False
    stages.hold(coverage >= len(stages.best))

    heaviest = model.new_int_var(0, 24 * 7 * 52, "heaviest")
    for booked_hours, terms in loads:
        model.add(booked_hours + Weighted([var for _, var in terms], [hours for hours, _ in terms]) <= heaviest)
    model.minimize(heaviest)
    if stages.solve(FAIRNESS_SHARE):
        stages.hold(heaviest <= int(stages.value(heaviest)))
        far = [key for key in pair if km[key]]
        model.minimize(Weighted([pair[key] for key in far], [km[key] for key in far]))
        stages.solve(1.0)
    return True


def _placements(best: Sequence[cp_model.IntVar], pair: Mapping[_Pair, cp_model.IntVar], km: Mapping[_Pair, int],
                wanted: Sequence[OpenRequirement], people: Sequence[Person]) -> tuple[Placement, ...]:
    """The answer read back as placements, by shift start, then requirement, then person."""
    chosen = {id(var) for var in best}
    return tuple(
        Placement(wanted[r].slot.shift_id, people[p].facts.staff_id, float(km[(p, r)]))
        for (p, r), var in sorted(pair.items(), key=lambda kv: (wanted[kv[0][1]].slot.start, kv[0][1], kv[0][0]))
        if id(var) in chosen
    )


def propose(
    requirements: Sequence[OpenRequirement],
    people: Sequence[Person],
    *,
    travel: Callable[[str, str], float] | None = None,
    min_rest: timedelta = DEFAULT_MIN_REST,
    time_limit_s: float = 8.0,
    workers: int | None = None,
    seed: int = 0,
) -> FillResult:
    """The best placements found within the time limit; every one keeps every hard rule."""
    started = time.monotonic()
    open_places = sum(max(r.open_places, 0) for r in requirements)
    wanted = [r for r in requirements if r.open_places > 0]
    if not wanted:
        return FillResult((), open_places, "nothing to fill", 0, time.monotonic() - started)
    shortlists = _shortlists(wanted, people, _eligible_people(wanted, people, min_rest),
                             travel or (lambda home, hub: 0.0))

    model = cp_model.CpModel()
    pair, km = _pair_variables(model, shortlists)
    if not pair:
        return FillResult((), open_places, "no eligible people", 0, time.monotonic() - started)
    _limit_places(model, pair, wanted, people)
    _limit_each_person(model, pair, wanted, people, min_rest)

    stages = _Stages(model, pair.values(), started=started, time_limit_s=time_limit_s, workers=workers, seed=seed)
    if not _optimise_in_order(stages, pair, km, _hour_loads(pair, wanted, people)):
        return FillResult((), open_places, "no solution in time", len(pair), time.monotonic() - started)
    return FillResult(_placements(stages.best, pair, km, wanted, people), open_places,
                      "optimal" if stages.proven else "feasible", len(pair), time.monotonic() - started)


SHIFTS_EXPLAINED = 20  # per person: enough to find one they could take, bounded at 2,000 staff
NOT_NEEDED = "not needed: the open places went to others (fewer hours this week, shorter travel)"


@dataclass(frozen=True)
class NotPlaced:
    what: str  # the rule that stopped them, as a hub manager names it, or NOT_NEEDED
    why: str  # in full: the reasons from their soonest open shifts


def reasons_not_placed(open_requirements: Sequence[OpenRequirement], people: Sequence[Person],
                       placed: set, *, min_rest: timedelta = DEFAULT_MIN_REST) -> dict[object, NotPlaced]:
    """For each person of a wanted role left out of the proposal, why: the rules that stop them
    from the soonest open shifts of their role (a missing DBS check, rest, weekly hours…), or that
    they were eligible and others were chosen. A hub manager sees this, as Timefold explains a
    score, rather than wondering why the seven people just imported were never used."""
    by_role: dict[str, list[ShiftSlot]] = defaultdict(list)
    for open_requirement in sorted(open_requirements, key=lambda o: o.slot.start):
        by_role[open_requirement.slot.role].append(open_requirement.slot)
    why: dict[object, NotPlaced] = {}
    for person in people:
        slots = by_role.get(person.facts.role, [])[:SHIFTS_EXPLAINED]
        if person.facts.staff_id in placed or not slots:
            continue
        broken = [violations(person.facts, slot, person.booked, min_rest=min_rest) for slot in slots]
        if any(not found for found in broken):
            why[person.facts.staff_id] = NotPlaced(NOT_NEEDED, NOT_NEEDED)
            continue
        reasons = list(dict.fromkeys(v.reason for found in broken for v in found))
        why[person.facts.staff_id] = NotPlaced(RULE_TITLES[broken[0][0].rule],
                                               "; ".join(reasons[:3]) + ("; …" if len(reasons) > 3 else ""))
    return why
