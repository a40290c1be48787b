"""How a request or stand-down's authority reads on a page (Gold's and the governance page): the
words incident.activation_service gives, with what a person typed made inert markdown."""

from core.inert_text import md
from incident.activation_service import StageStep, authority_words


def authority_text(step: StageStep) -> str:
    """Markdown-safe words for what authorised `step` (one that needs its authority)."""
    return authority_words(step, md)
