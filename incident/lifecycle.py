"""Which status moves an incident and a service activation may make.

An incident goes standby → declared → response → recovery → stood down, one step at a time
(the status log is read later to establish when each phase began, so no phase is skipped).
It may be cancelled from standby or declared: a false alarm is called off before a response
starts; once responding, it ends by standing down. An activation goes requested → standing up
→ operational → stood down; it may be stood down from any stage (a request withdrawn, a
service that never opened) but never jumps forward.
"""

from __future__ import annotations

from core.errors import InputError
from incident.model import ActivationStage, IncidentStatus

S = IncidentStatus
INCIDENT_MOVES: dict[IncidentStatus, frozenset[IncidentStatus]] = {
    S.STANDBY: frozenset({S.DECLARED, S.CANCELLED}),
    S.DECLARED: frozenset({S.RESPONSE, S.CANCELLED}),
    S.RESPONSE: frozenset({S.RECOVERY}),
    S.RECOVERY: frozenset({S.STOOD_DOWN}),
    S.STOOD_DOWN: frozenset(),
    S.CANCELLED: frozenset(),
}
CLOSED = frozenset({S.STOOD_DOWN, S.CANCELLED})

A = ActivationStage
ACTIVATION_MOVES: dict[ActivationStage, frozenset[ActivationStage]] = {
    A.REQUESTED: frozenset({A.STANDING_UP, A.STOOD_DOWN}),
    A.STANDING_UP: frozenset({A.OPERATIONAL, A.STOOD_DOWN}),
    A.OPERATIONAL: frozenset({A.STOOD_DOWN}),
    A.STOOD_DOWN: frozenset(),
}


def label(value: str) -> str:
    return value.replace("_", " ")


def _order(values) -> list[str]:
    return [v.value for v in values]


def next_statuses(current: str) -> list[str]:
    """The statuses an incident in `current` may move to, in lifecycle order."""
    allowed = INCIDENT_MOVES[IncidentStatus(current)]
    return [s for s in _order(IncidentStatus) if s in allowed]


def next_stages(current: str, *, incident_closed: bool = False) -> list[str]:
    """The stages an activation may move to; once its incident has ended, only standing down."""
    allowed = ACTIVATION_MOVES[ActivationStage(current)]
    if incident_closed:
        allowed = allowed & {A.STOOD_DOWN}
    return [s for s in _order(ActivationStage) if s in allowed]


def _check(kind: str, current: str, target: str | None, allowed: list[str], known: list[str]) -> None:
    if target is None:
        raise InputError(f"Choose the {kind} to move to: {', '.join(map(label, allowed)) or 'none (it is closed)'}.")
    if target not in known:
        raise InputError(f"Unknown {kind} {target!r}; known: {', '.join(map(label, known))}.")
    if target not in allowed:
        options = ", ".join(map(label, allowed)) or "none (it is closed)"
        raise InputError(f"A {kind} cannot go from {label(current)} to {label(target)}; from {label(current)} "
                         f"it may go to: {options}.")


def check_incident_move(current: str, target: str | None) -> None:
    """Raise InputError naming the allowed moves unless `current` → `target` is one step of the lifecycle."""
    _check("status", current, target, next_statuses(current), _order(IncidentStatus))


def check_activation_move(current: str, target: str) -> None:
    _check("stage", current, target, next_stages(current), _order(ActivationStage))


def is_closed(status: str) -> bool:
    return IncidentStatus(status) in CLOSED
