"""The worker's heartbeat: a row it touches every few seconds so /healthz can tell it is alive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.clock import now
from core.db import Base


class WorkerHeartbeat(Base):
    __tablename__ = "worker_heartbeat"

    worker: Mapped[str] = mapped_column(String(120), primary_key=True)
    beat_at: Mapped[datetime]


def beat(session: Session, worker: str) -> None:
    row = session.get(WorkerHeartbeat, worker)
    if row is None:
        session.add(WorkerHeartbeat(worker=worker, beat_at=now()))
    else:
        row.beat_at = now()


def newest_beat_age_seconds(session: Session) -> float | None:
    """Seconds since any worker last beat, or None when no worker has ever run."""
    newest = session.scalar(select(WorkerHeartbeat.beat_at).order_by(WorkerHeartbeat.beat_at.desc()).limit(1))
    return None if newest is None else round((now() - newest).total_seconds(), 1)
