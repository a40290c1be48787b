"""A questionnaire's wording in another language, as an administrator loads it.

A screening instrument is only valid in a validated translation, so we ship none: the service loads
the one it is licensed to use (the Welsh PHQ-9, say), and until it does the public pages show the
English wording marked as English. The translation is pasted as lines, in the order the printed
form reads: the instructions, each answer label from the lowest points up, then each item.
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.instruments import Instrument

# The public pages' other language (core.public.strings.LANGUAGES); English is the instruments' own.
TRANSLATED_LANGUAGES = {"cy": "Welsh"}


@dataclass(frozen=True)
class Translation:
    instructions: str
    answer_labels: dict[int, str]
    items: tuple[str, ...]


def lines_expected(form: Instrument) -> int:
    return 1 + len(form.allowed_answers) + form.item_count


def layout(form: Instrument) -> str:
    """What each line is, as the administrator's page explains it."""
    answers = len(form.allowed_answers)
    return (f"{lines_expected(form)} lines: the instructions, the {answers} answers "
            f"({', '.join(str(p) for p in form.allowed_answers)} points) in order, then the {form.item_count} items")


def translation_from_lines(form: Instrument, lines: list[str]) -> Translation:
    """The translation the lines give, blank lines ignored; ValueError saying what is missing."""
    lines = [line.strip() for line in lines if line.strip()]
    if len(lines) != lines_expected(form):
        raise ValueError(f"{form.name} takes {layout(form)}; got {len(lines)}")
    answers = len(form.allowed_answers)
    return Translation(instructions=lines[0],
                       answer_labels=dict(zip(form.allowed_answers, lines[1:1 + answers], strict=True)),
                       items=tuple(lines[1 + answers:]))


def translation_lines(translation: Translation) -> list[str]:
    return [translation.instructions, *translation.answer_labels.values(), *translation.items]
