"""GET /healthz: is the database reachable, and how long since the worker last beat."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse

from core.db import DatabaseUnreachable, check_reachable, describe_target, get_engine, unit_of_work
from core.heartbeat import newest_beat_age_seconds


def _check_sqlite_file(engine: Engine) -> None:
    # Connections already open keep writing into a deleted file that nobody will find again,
    # and `SELECT 1` never touches the file: look for it on disk.
    if engine.dialect.name == "sqlite" and not Path(engine.url.database or "").is_file():
        raise DatabaseUnreachable(f"cannot reach {describe_target(str(engine.url))}: the file is gone")


def healthz(_request: Request) -> JSONResponse:
    # Sync on purpose: Starlette runs it in a worker thread, so a slow database never blocks the event loop.
    engine = get_engine()
    try:
        check_reachable(engine)
        _check_sqlite_file(engine)
        with unit_of_work(engine) as session:
            age = newest_beat_age_seconds(session)
    except DatabaseUnreachable as down:
        return JSONResponse({"status": "unhealthy", "db": str(down)}, status_code=503)
    except SQLAlchemyError as broken:  # reachable, but its tables cannot be read
        reason = str(getattr(broken, "orig", broken)).strip().splitlines()[0]
        return JSONResponse({"status": "unhealthy", "db": f"cannot read {describe_target(str(engine.url))}: {reason}"},
                            status_code=503)
    # A stale worker is reported, not failed: a load balancer must not pull healthy web servers for it.
    return JSONResponse({"status": "ok", "db": "ok", "worker_heartbeat_age_s": age})
