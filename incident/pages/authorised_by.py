"""How a request or stand-down's authority reads on a page: the decision-log entry (number,
decision-maker, when decided), or why none is named. Gold's page and the governance page share it."""

from core.clock import show
from core.inert_text import md
from incident.activation_service import StageStep


def authority_text(step: StageStep) -> str:
    """Markdown-safe words for what authorised `step` (one that needs its authority)."""
    a = step.authority
    if a is None:
        return "no authorising decision recorded"
    if a.sequence is None:
        return f"authorising decision not in the log yet: {md(a.late_reason)}"
    return f"authorised by entry {a.sequence} ({md(a.decision_maker)}, decided {show(a.decided_at)})"
