"""The public pages' words in English and Welsh, by key: `t(key, lang)`.

Where the words come from, the later winning:
1. each package's `strings/en.json` and `strings/cy.json` ({key: text}): core.public's own, and
   those a domain adds with `core.public.include`. English is complete; Welsh may lag behind.
2. an administrator's file in the data folder (STANDUP_DATA_DIR), `public-strings.cy.json` (or
   `.en.json`), {key: text}: read again whenever it changes, so a translator's words go live
   without a release. A key no package knows is ignored (and logged): a typo adds no text. A file
   that is not such JSON is ignored whole (and logged), so it cannot take the pages down. With
   more than one web server, each has its own data folder and needs the file.

A key with no Welsh falls back to the English, marked: the Phrase it gives says `fallback`, is
rendered inside `<span lang="en">` (a screen reader then reads it as English), and the layout says
at the foot of the page that some of it is not yet in Welsh. In an attribute or a <title>, where
markup cannot go, templates write `t(key)|plain`.

`{name}` in a text is replaced by the value passed as name=…; nothing else is interpreted.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from markupsafe import Markup, escape

from core.settings import get_settings

log = logging.getLogger("standup.public.strings")

LANGUAGES = {"en": "English", "cy": "Cymraeg"}  # each named in itself, as a language switch shows it
DEFAULT_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class Phrase(str):
    """A text in one language; `fallback` when it is the English standing in for a missing Welsh."""

    fallback: bool

    def __new__(cls, text: str, fallback: bool = False) -> Phrase:
        phrase = super().__new__(cls, text)
        phrase.fallback = fallback
        return phrase

    def __html__(self) -> Markup:
        text = escape(str(self))
        return Markup(f'<span lang="en">{text}</span>') if self.fallback else text


def _filled(text: str, values: dict[str, object]) -> str:
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


class Translator:
    """One page's words in one language; remembers whether any fell back to English."""

    def __init__(self, lang: str, texts: dict[str, str], english: dict[str, str]) -> None:
        self.lang = lang
        self._texts = texts
        self._english = english
        self.fell_back = False

    def __call__(self, key: str, **values: object) -> Phrase:
        if key not in self._english:
            raise KeyError(f"no public text {key!r}: add it to a strings/en.json")
        text = self._texts.get(key)
        if text is None:
            self.fell_back = True
            return Phrase(_filled(self._english[key], values), fallback=True)
        return Phrase(_filled(text, values))


class Catalogue:
    def __init__(self) -> None:
        self._packaged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
        self._loaded: dict[Path, tuple[float, dict[str, str]]] = {}

    def add_directory(self, directory: Path) -> None:
        """A package's strings: `en.json` (required) and `cy.json`; a key two packages define is refused."""
        for lang in LANGUAGES:
            path = directory / f"{lang}.json"
            if not path.exists():
                if lang == DEFAULT_LANGUAGE:
                    raise FileNotFoundError(f"{path}: every package of public pages has its English words")
                continue
            texts = json.loads(path.read_text(encoding="utf-8"))
            taken = set(texts) & set(self._packaged[lang])
            if taken:
                raise ValueError(f"{path} defines keys another package has: {sorted(taken)}")
            self._packaged[lang].update(texts)
        unknown = set(self._packaged["cy"]) - set(self._packaged[DEFAULT_LANGUAGE])
        if unknown:
            raise ValueError(f"Welsh text for keys with no English: {sorted(unknown)}")

    def _administrators(self, lang: str) -> dict[str, str]:
        path = get_settings().data_dir / f"public-strings.{lang}.json"
        try:
            changed = path.stat().st_mtime
        except FileNotFoundError:
            return {}
        seen = self._loaded.get(path)
        if seen and seen[0] == changed:
            return seen[1]
        texts: dict[str, str] = {}
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
                raise ValueError("expected one JSON object of key: text")
            known = self._packaged[DEFAULT_LANGUAGE]
            unknown = sorted(set(loaded) - set(known))
            if unknown:
                log.warning("%s: ignored keys no public page uses: %s", path, ", ".join(unknown[:20]))
            texts = {k: v for k, v in loaded.items() if k in known}
        except (ValueError, UnicodeDecodeError) as problem:
            log.error("%s is ignored: %s", path, problem)
        self._loaded[path] = (changed, texts)
        return texts

    def translator(self, lang: str) -> Translator:
        if lang not in LANGUAGES:
            raise ValueError(f"no language {lang!r}; known: {', '.join(LANGUAGES)}")
        english = {**self._packaged[DEFAULT_LANGUAGE], **self._administrators(DEFAULT_LANGUAGE)}
        if lang == DEFAULT_LANGUAGE:
            return Translator(lang, english, english)
        return Translator(lang, {**self._packaged[lang], **self._administrators(lang)}, english)

    def keys(self, lang: str) -> set[str]:
        return set(self._packaged[lang])


CATALOGUE = Catalogue()
CATALOGUE.add_directory(Path(__file__).resolve().parent / "strings")


def t(key: str, lang: str, **values: object) -> Phrase:
    """The text for `key` in `lang` ("en" or "cy"), `{name}`s filled from `values`."""
    return CATALOGUE.translator(lang)(key, **values)
