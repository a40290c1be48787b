"""How the outreach domain plugs into the shell (PAGES), the worker (SWEEPS), the demo (seed_demo)
and retention (RETENTION)."""

from __future__ import annotations

from core.demo_context import DemoContext
from core.plugin_shapes import PageSpec, Sweep
from outreach.retention import RETENTION  # noqa: F401  gathered by standup/retention.py

PAGES: tuple[PageSpec, ...] = ()
SWEEPS: tuple[Sweep, ...] = ()


def seed_demo(ctx: DemoContext) -> None:
    """Nothing yet: the demo's cohorts come with the import and invitations."""
