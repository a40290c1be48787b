"""What a person reads in a Markdown element whose user text core.inert_text.md escaped."""

import re


def as_read(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)
