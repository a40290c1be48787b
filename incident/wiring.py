"""How the incident domain plugs into the shell (PAGES), the worker (SWEEPS) and the demo (seed_demo)."""

from core.demo_context import DemoContext
from core.wiring import PageSpec, Sweep

PAGES: tuple[PageSpec, ...] = ()
SWEEPS: tuple[Sweep, ...] = ()


def seed_demo(ctx: DemoContext) -> None:
    """Adds this domain's part of the exercise picture."""
