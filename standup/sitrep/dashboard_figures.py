"""Gold's dashboard: the figures and trends of an incident counted once for each refresh period and
shared by every dashboard open on it in this process (the web server's), instead of once a
dashboard. Counting reads every person of the incident; ten people watching one incident used to
count ten times every 15 seconds. A dashboard already shows figures up to a refresh period old, so
sharing one count for that period changes nothing anyone sees; the report made for someone
(`export_sitrep`) and Gold's Home page always count afresh. Decisions, M/ETHANE, hubs and command
are read for each dashboard as before: they are cheap, and someone who has just logged a decision
expects to see it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from core.auth.roles import Actor, Permission, require
from standup.sitrep.figures import build_sitrep, count_now
from standup.sitrep.report import Sitrep
from standup.sitrep.trends import Trends, trends

REFRESH_SECONDS = 15  # the figures
TRENDS_REFRESH_SECONDS = 300  # days and weeks move slowly

V = TypeVar("V")


class SharedFor(Generic[V]):
    """Values computed at most once per key for `seconds` (real time, whatever a test's frozen clock
    says), by the first asker while the others wait for it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._kept: dict[Hashable, tuple[float, V]] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            kept = self._kept.get(key)
            if kept is not None and time.monotonic() < kept[0]:
                return kept[1]
            value = compute()
            self._kept[key] = (time.monotonic() + self.seconds, value)
            return value

    def forget(self) -> None:
        with self._guard:
            self._kept.clear()


_FIGURES: SharedFor = SharedFor(REFRESH_SECONDS)
_TRENDS: SharedFor = SharedFor(TRENDS_REFRESH_SECONDS)


def _key(session: Session, incident_id: int) -> tuple[str, int]:
    return str(session.get_bind().engine.url), incident_id  # one process may serve two databases (the bench does)


def dashboard_sitrep(session: Session, actor: Actor, incident_id: int) -> Sitrep:
    """The situation report as the dashboard shows it: figures counted at most REFRESH_SECONDS ago."""
    require(actor, Permission.SITREP_VIEW)
    counted = _FIGURES.get(_key(session, incident_id), lambda: count_now(session, incident_id))
    return build_sitrep(session, actor, incident_id, counted=counted)


def dashboard_trends(session: Session, actor: Actor, incident_id: int) -> Trends:
    """The trends as the dashboard draws them: counted at most TRENDS_REFRESH_SECONDS ago."""
    require(actor, Permission.SITREP_VIEW)
    return _TRENDS.get(_key(session, incident_id), lambda: trends(session, actor, incident_id))


def forget_shared_counts() -> None:
    """Count afresh on the next dashboard (tests: each builds its own database)."""
    _FIGURES.forget()
    _TRENDS.forget()
