"""The shapes a domain uses to plug into the shell, the worker and the demo.

Each domain package has a `plugin.py` exposing PAGES, SWEEPS and `seed_demo`; the composition
layer (`standup/`) gathers them, so no domain imports a sibling or anything above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.auth.roles import Permission


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to streamlit_app.py, e.g. "incident/pages/gold.py"
    title: str
    icon: str  # a Material icon, ":material/name:"
    section: str
    permission: Permission | None  # shown to a role exactly when it holds this; None: every signed-in role

    @property
    def url_path(self) -> str:
        """`core/pages/audit.py` is served at /core-audit."""
        domain, _, name = self.path.removesuffix(".py").split("/")
        return f"{domain}-{name}"


@dataclass(frozen=True)
class Sweep:
    """A short worker job over due rows; it must be safe to run again at any time."""

    name: str
    every_seconds: float
    run: Callable[[], object]
    nightly_at_hour: int | None = None  # Europe/London hour; when set, the job runs once a night instead
