"""The commissioner's delegation: what a record of it must say, and which one is in force on a day.

One delegation stands for the force at a time. A later one takes over from its first day; one
recorded for the same first day replaces it (a correction: the earlier record stays, superseded);
one that gives a last day covers nothing after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol, TypeVar

from core.errors import InputError
from core.typed_text import free_text, one_line


@dataclass(frozen=True)
class DelegationTerms:
    delegated_by: str  # the commissioner
    delegated_to: str  # e.g. the Chief Constable
    scope: str  # what is delegated
    effective_from: date | None
    document_reference: str  # the decision notice, scheme of delegation or letter
    effective_until: date | None = None


def checked_terms(terms: DelegationTerms) -> DelegationTerms:
    """The terms trimmed, each storable and every part a record needs given."""
    terms = replace(terms, delegated_by=one_line(" ".join(terms.delegated_by.split()), "Who delegates", 160),
                    delegated_to=one_line(" ".join(terms.delegated_to.split()), "To whom", 160),
                    scope=free_text(terms.scope, "What is delegated"),
                    document_reference=one_line(" ".join(terms.document_reference.split()),
                                                "The document reference", 200))
    for value, what in ((terms.delegated_by, "who delegates (the commissioner)"),
                        (terms.delegated_to, "to whom it is delegated"), (terms.scope, "what is delegated"),
                        (terms.effective_from, "the day it takes effect"),
                        (terms.document_reference, "the document reference")):
        if not value:
            raise InputError(f"A delegation needs {what}.")
    if terms.effective_until is not None and terms.effective_until < terms.effective_from:
        raise InputError(f"The delegation ends ({terms.effective_until:%d/%m/%Y}) before it takes effect "
                         f"({terms.effective_from:%d/%m/%Y}).")
    return terms


class _Dated(Protocol):
    id: int
    effective_from: date
    effective_until: date | None


D = TypeVar("D", bound=_Dated)


def in_force(delegations: Sequence[D], on: date) -> D | None:
    """The delegation that covers `on`: the one with the latest first day on or before it (the
    later record when two share that day), unless it ended before `on`."""
    started = [d for d in delegations if d.effective_from <= on]
    if not started:
        return None
    newest = max(started, key=lambda d: (d.effective_from, d.id))
    return newest if newest.effective_until is None or newest.effective_until >= on else None
