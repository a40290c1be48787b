"""Which steps of a service activation need the decision that authorised them, and whether the
decision named (or the reason none is named) will do.

Gold's request for a service and its stand-down are decisions the commissioner holds the force to
account for: each names its decision-log entry. When the service had to move before the decision
was written up, the step says why instead, as a decision-log entry recorded late does."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InputError
from incident.lifecycle import label
from incident.model import ActivationStage

# The steps that need their authority, as a person names them.
AUTHORISED_STEPS = {ActivationStage.REQUESTED.value: "Asking for a service",
                    ActivationStage.STOOD_DOWN.value: "Standing a service down"}


@dataclass(frozen=True)
class NamedEntry:
    """The decision-log entry a step names, as facts."""

    incident_id: int
    sequence: int
    struck_through_by: int | None  # the entry that corrected it, if any


def needs_authority(stage: str) -> bool:
    return stage in AUTHORISED_STEPS


def check_authority(stage: str, incident_id: int, entry: NamedEntry | None, late_reason: str) -> None:
    """Raise InputError unless the step to `stage` of an activation in `incident_id` names one
    standing entry of that incident's log, or (for a request or stand-down) says why it names none."""
    if entry is not None and late_reason:
        raise InputError("Name the authorising decision, or say why it is not in the log yet: not both.")
    if entry is None:
        if needs_authority(stage) and not late_reason:
            raise InputError(f"{AUTHORISED_STEPS[stage]} needs the decision-log entry that authorised it. "
                             "If the decision is not in the log yet, say why (it will be recorded late).")
        if not needs_authority(stage) and late_reason:
            raise InputError(f"Moving a service to {label(stage)} needs no authorising decision of its own: "
                             "leave the reason blank.")
        return
    if entry.incident_id != incident_id:
        raise InputError(f"Entry {entry.sequence} is in another incident's decision log; "
                         "name an entry of this incident's log.")
    if entry.struck_through_by is not None:
        raise InputError(f"Entry {entry.sequence} is struck through by entry {entry.struck_through_by}; "
                         "name the correction instead.")
