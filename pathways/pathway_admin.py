"""What an administrator changes: new pathways (never debriefing), the licensed item text of the
instruments that do not ship theirs (TSQ and CRIES-8), and the validated translations the public
pages show in Welsh."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.typed_text import free_text, one_line
from pathways.instrument_translation import (
    TRANSLATED_LANGUAGES,
    layout,
    translation_from_lines,
    translation_lines,
)
from pathways.instruments import Instrument, instrument_named, text_loaded_by_administrator
from pathways.lookups import require_any
from pathways.model import InstrumentItemText, InstrumentTranslation, Pathway
from pathways.pathway_catalogue import PathwaySpec, StageSpec, pathway_problems
from pathways.pathway_service import ensure_standard_pathways, save_pathway
from pathways.pathway_text import pathway_from_form
from pathways.queries import item_wording, translated_wording


def _instrument_or_refuse(name: str) -> Instrument:
    try:
        return instrument_named(name)
    except ValueError as problem:
        message = str(problem)
        raise InputError(message[:1].upper() + message[1:] + ".") from None


def _storable(spec: PathwaySpec) -> PathwaySpec:
    """The definition's text trimmed and within its columns (pathways.model), or InputError naming the field."""
    stages = tuple(StageSpec(one_line(stage.code, f"The code of stage {number}", 40),
                             one_line(stage.name, f"The name of stage {number}", 120),
                             free_text(stage.intervention, f"The intervention of stage {number}"))
                   for number, stage in enumerate(spec.stages, start=1))
    return replace(spec, code=one_line(spec.code, "The code", 40), name=one_line(spec.name, "The name", 120),
                   description=free_text(spec.description, "The description"), stages=stages)


def add_pathway(session: Session, actor: Actor, spec: PathwaySpec) -> Pathway:
    require(actor, Permission.PATHWAYS_MANAGE)
    spec = _storable(spec)
    ensure_standard_pathways(session)
    if problems := pathway_problems(spec):
        raise InputError("; ".join(problems))
    if not spec.code or session.scalar(select(Pathway.id).where(Pathway.code == spec.code)) is not None:
        raise InputError(f"A pathway with the code {spec.code!r} exists already; choose another code.")
    pathway = save_pathway(session, spec)
    record(session, actor, "create", "pathway", pathway.id, detail="fields: name, stages, moves, screening_months")
    return pathway


def add_pathway_from_form(session: Session, actor: Actor, code: str, name: str, description: str, months: str,
                          stages: str, moves: str) -> Pathway:
    """A pathway as written on the settings page (pathways.pathway_text says how)."""
    require(actor, Permission.PATHWAYS_MANAGE)
    try:
        spec = pathway_from_form(code, name, description, months, stages, moves)
    except ValueError as problem:
        message = str(problem)
        raise InputError(message[:1].upper() + message[1:] + ".") from None
    return add_pathway(session, actor, spec)


def item_texts(session: Session, actor: Actor, instrument: str) -> list[str]:
    """The wording of each item: shipped, loaded by an administrator, or just the item number."""
    require_any(actor, Permission.PEOPLE_VIEW, Permission.PATHWAYS_MANAGE)
    _instrument_or_refuse(instrument)
    return item_wording(session, instrument)


def load_item_text(session: Session, actor: Actor, instrument: str, lines: list[str]) -> int:
    """Stores licensed wording, one line per item in order; replaces what was loaded before."""
    require(actor, Permission.PATHWAYS_MANAGE)
    form = _instrument_or_refuse(instrument)
    if not form.text_loaded_by_administrator:
        raise InputError(f"Only {', '.join(text_loaded_by_administrator())} take loaded text; "
                         "the others ship with theirs.")
    lines = [line.strip() for line in lines if line.strip()]
    if len(lines) != form.item_count:
        raise InputError(f"{instrument} has {form.item_count} items: give one line per item, got {len(lines)}.")
    lines = [one_line(line, f"Item {number}", 1000) for number, line in enumerate(lines, start=1)]
    existing = {row.item: row for row in session.scalars(
        select(InstrumentItemText).where(InstrumentItemText.instrument == instrument))}
    for number, text in enumerate(lines, start=1):
        row = existing.get(number) or InstrumentItemText(instrument=instrument, item=number, text=text)
        row.text = text
        session.add(row)
    session.flush()
    record(session, actor, "update", "instrument_item_text", instrument, detail=f"fields: text of {len(lines)} items")
    return len(lines)


def _language_or_refuse(language: str) -> str:
    if language not in TRANSLATED_LANGUAGES:
        raise InputError(f"Translations are loaded for {', '.join(TRANSLATED_LANGUAGES.values())} only.")
    return language


def translation_layout(instrument: str) -> str:
    """What each line of a translation of `instrument` is, for the page that loads one."""
    return layout(_instrument_or_refuse(instrument))


def translation_text(session: Session, actor: Actor, instrument: str, language: str) -> list[str]:
    """The loaded translation's lines, or none yet."""
    require(actor, Permission.PATHWAYS_MANAGE)
    _instrument_or_refuse(instrument)
    loaded = translated_wording(session, instrument, _language_or_refuse(language))
    return translation_lines(loaded) if loaded else []


def load_translation(session: Session, actor: Actor, instrument: str, language: str, lines: list[str]) -> int:
    """Stores a questionnaire's validated translation (pathways.instrument_translation says the lines'
    order) and says how many lines; replaces what was loaded before. No lines at all withdraws it (0):
    English is shown again."""
    require(actor, Permission.PATHWAYS_MANAGE)
    form = _instrument_or_refuse(instrument)
    language = _language_or_refuse(language)
    row = session.scalar(select(InstrumentTranslation).where(
        InstrumentTranslation.instrument == instrument, InstrumentTranslation.language == language))
    if not any(line.strip() for line in lines):
        if row is not None:
            session.delete(row)
            session.flush()
            record(session, actor, "delete", "instrument_translation", f"{instrument} {language}")
        return 0
    try:
        translation = translation_from_lines(form, lines)
    except ValueError as problem:
        raise InputError(f"{problem}.") from None
    checked = [one_line(line, f"Line {number}", 1000)
               for number, line in enumerate(translation_lines(translation), start=1)]
    row = row or InstrumentTranslation(instrument=instrument, language=language)
    row.lines, row.loaded_by_id = "\n".join(checked), actor.user_id
    row.loaded_at = now()
    session.add(row)
    session.flush()
    record(session, actor, "update", "instrument_translation", f"{instrument} {language}",
           detail=f"fields: {len(checked)} lines")
    return len(checked)

