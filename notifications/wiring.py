"""How the notifications domain plugs into the shell (PAGES), the worker (SWEEPS) and the demo (seed_demo)."""

from core.demo_context import DemoContext
from core.retention import RetentionRule
from core.wiring import PageSpec, Sweep

PAGES: tuple[PageSpec, ...] = ()
SWEEPS: tuple[Sweep, ...] = ()
RETENTION: tuple[RetentionRule, ...] = ()  # how long this domain's records are kept


def seed_demo(ctx: DemoContext) -> None:
    """Adds this domain's part of the exercise picture."""
