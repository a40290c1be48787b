"""The pages of the online wellbeing check, in order, and which one a person is on.

A check is: consent; about you (age when the list gave none, postcode, how they were affected);
then for a child of 8 to 11 whether a parent or carer is helping, for a child under 8 a parent's
call-back request instead of questionnaires; the questionnaires for the age a few questions a
page; and a last page that sends the answers. The answers so far live in the check's draft (a
dict: each page's answers, and `done`, the pages finished), so any server can show any page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from outreach.check_rules import contact_request_instead, instruments_for, with_a_parent
from pathways.instruments import instrument_named

QUESTIONS_PER_PAGE = 5  # GOV.UK: one thing or a few a page; a page of five fits a phone's screen or two
CONSENT, ABOUT, PARENT, CALL_BACK, QUESTIONS, SEND = "consent", "about", "parent", "call-back", "questions", "send"


@dataclass(frozen=True)
class Step:
    name: str  # in the page's address (?page=…) and the draft's `done`
    kind: str  # CONSENT, ABOUT, PARENT, CALL_BACK, QUESTIONS or SEND
    instrument: str = ""  # QUESTIONS: which questionnaire
    items: tuple[int, ...] = ()  # QUESTIONS: its items on this page (1-based)


def question_field(instrument: str, item: int) -> str:
    """The form field (and element id) of one question: "phq-9-9"."""
    return f"{instrument.lower()}-{item}"


def steps_for(age: int | None, trauma_instrument: str) -> list[Step]:
    """The check's pages for a person of this age; while the age is not known, up to about-you."""
    steps = [Step(CONSENT, CONSENT), Step(ABOUT, ABOUT)]
    if age is None:
        return steps
    if contact_request_instead(age):
        return [*steps, Step(CALL_BACK, CALL_BACK), Step(SEND, SEND)]
    if with_a_parent(age):
        steps.append(Step(PARENT, PARENT))
    for name in instruments_for(age, trauma_instrument):
        items = range(1, instrument_named(name).item_count + 1)
        pages = [tuple(items[n:n + QUESTIONS_PER_PAGE]) for n in range(0, len(items), QUESTIONS_PER_PAGE)]
        steps += [Step(f"{name.lower()}-{n}", QUESTIONS, name, page) for n, page in enumerate(pages, start=1)]
    return [*steps, Step(SEND, SEND)]


def step_to_show(steps: Sequence[Step], done: Sequence[str], asked: str | None) -> Step:
    """The page asked for when every page before it is finished (going back, or on); otherwise
    the first page not finished (a person coming back to their link carries on where they were)."""
    for step in steps:
        if step.name == asked:
            return step
        if step.name not in done:
            return step
    return steps[-1]


def step_after(steps: Sequence[Step], current: Step) -> Step:
    names = [s.name for s in steps]
    at = names.index(current.name) if current.name in names else len(names) - 1
    return steps[min(at + 1, len(steps) - 1)]


def step_before(steps: Sequence[Step], current: Step) -> Step | None:
    names = [s.name for s in steps]
    at = names.index(current.name) if current.name in names else 0
    return steps[at - 1] if at > 0 else None


def step_of_field(steps: Sequence[Step], field: str) -> tuple[Step, str]:
    """The page that asks about a field the check service named ("PHQ-9.3", "age"), and the id of
    its input there."""
    instrument, _, item = field.partition(".")
    for step in steps:
        if step.kind == QUESTIONS and step.instrument == instrument:
            if not item.isdigit() or int(item) in step.items:
                return step, question_field(instrument, int(item) if item.isdigit() else step.items[0])
        if step.kind == CONSENT and field == "consent":
            return step, "consent"
        if step.kind == CALL_BACK and field in ("call_back_number", "parent_name"):
            return step, field
    return next(s for s in steps if s.kind == ABOUT), field


def alert_answered(answers: Mapping[str, object]) -> bool:
    """Whether an answer given so far raises an alert whatever the others say (PHQ-9 item 9 above
    0, as the registry has it): the check shows crisis help from the next page on."""
    for name, given in answers.items():
        try:
            form = instrument_named(name)
        except ValueError:
            continue
        if not isinstance(given, list):
            continue
        for alert in form.alerts:
            answer = given[alert.item - 1] if len(given) >= alert.item else None
            if isinstance(answer, int) and not isinstance(answer, bool) and answer > alert.above:
                return True
    return False
