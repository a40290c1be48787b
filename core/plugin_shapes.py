"""The shapes a domain uses to plug into the shell, the worker and the demo.

Each domain package has a `plugin.py` exposing PAGES, SWEEPS and `seed_demo`; the composition
layer (`standup/`) gathers them, so no domain imports a sibling or anything above it. What a
domain needs from a sibling it declares as a `Port`, which `standup/bootstrap.py` plugs in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

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
    wake_topic: str | None = None  # also run at once when woken for this (core.wakeup)


T = TypeVar("T")


class Port(Generic[T]):
    """What a domain needs from a sibling, looked up where the caller cannot be handed it (a
    webhook route, a page): plugged in once, at start-up, by `standup/bootstrap.py`. Used before
    that it raises: a domain never falls back to doing less (keeping a person's words in clear)."""

    def __init__(self, name: str, unplugged_harm: str) -> None:
        self.name = name  # e.g. "notifications' person-replies port"
        self.unplugged_harm = unplugged_harm  # what would go wrong without it, for the refusal
        self._adapter: T | None = None

    def plug(self, adapter: T) -> None:
        self._adapter = adapter

    def get(self) -> T:
        if self._adapter is None:
            raise RuntimeError(
                f"{self.name} is not plugged in ({self.unplugged_harm}): every entry point must call "
                "standup.bootstrap.start() before it handles anything")
        return self._adapter
