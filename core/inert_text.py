"""People's text shown inside Markdown (names, notes, refusals that repeat them) made inert:
no links, emphasis, headings or LaTeX it did not ask for. Pure; pages and core.ui use it."""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$])")


def md(text: str) -> str:
    """User text made inert inside Markdown: no links, emphasis or headings it did not ask for."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text or "")
