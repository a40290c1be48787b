"""What the online wellbeing check asks at each age, and what its last page tells the person.

The questionnaires for an age are the registry's (pathways.instruments): adults the trauma screen
the incident chose (PCL-5, or TSQ) with PHQ-9 and GAD-7; 8 to 17 CRIES-8, which a child under 12
answers with a parent or carer; under 8 no self-report screen at all, so a parent or carer asks to
be called instead. A screen is not a diagnosis: positives go to a clinician, who decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pathways.instruments import instrument_named, youngest_screened_age
from pathways.screening import instrument_for_age

TRAUMA_CHOICES = ("PCL-5", "TSQ")  # the adult trauma screens an incident chooses between
WITH_A_PARENT_UNDER = 12
OLDEST = 120


def instruments_for(age: int, trauma_instrument: str) -> tuple[str, ...]:
    """The questionnaires a person of this age answers, in the registry's order; () under 8."""
    return tuple(name for name in instrument_for_age(age)
                 if name not in TRAUMA_CHOICES or name == trauma_instrument)


def contact_request_instead(age: int) -> bool:
    """Too young for any self-report screen: a parent or carer asks to be called."""
    return age < youngest_screened_age()


def with_a_parent(age: int) -> bool:
    """A child this young answers with a parent or carer beside them."""
    return contact_request_instead(age) is False and age < WITH_A_PARENT_UNDER


def unanswered(answers: Mapping[str, Sequence[object]], instruments: Sequence[str]) -> dict[str, str]:
    """Each question not answered with a value its form allows, as field -> what to do, fields
    named "INSTRUMENT.ITEM" ("PHQ-9.3"); a questionnaire given that the age does not get is named too."""
    problems: dict[str, str] = {}
    for name in answers:
        if name not in instruments:
            problems[name] = f"{name} is not part of this check"
    for name in instruments:
        form = instrument_named(name)
        given = list(answers.get(name) or ())
        for item in range(1, form.item_count + 1):
            answer = given[item - 1] if item <= len(given) else None
            if isinstance(answer, bool) or answer not in form.allowed_answers:
                problems[f"{name}.{item}"] = f"Choose an answer for question {item}"
        if len(given) > form.item_count:
            problems[name] = f"{name} has {form.item_count} questions"
    return problems


@dataclass(frozen=True)
class WhatNext:
    """What the check's last page says."""

    crisis_help: bool  # an answer needs a person now: show crisis help at once (a clinician is alerted today)
    clinician_review: bool  # a clinician reads the answers and gets in touch
    call_back: bool  # a parent or carer asked to be called (no questionnaire under 8)
    in_touch_by: date | None  # when someone will have been in touch
    next_check_from: date | None  # when, with nothing to follow up, the next check is offered


def what_next(*, alerts: bool, positive: bool, call_back: bool, today: date, in_touch_by: date,
              next_round: date | None) -> WhatNext:
    if alerts:
        return WhatNext(True, True, call_back, today, None)
    if positive or call_back:
        return WhatNext(False, positive, call_back, in_touch_by, None)
    return WhatNext(False, False, False, None, next_round)
