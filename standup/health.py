"""GET /healthz: is the database reachable, and how long since the worker last beat."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from core.db import DatabaseUnreachable, check_reachable, get_engine, unit_of_work
from core.heartbeat import newest_beat_age_seconds


def healthz(_request: Request) -> JSONResponse:
    # Sync on purpose: Starlette runs it in a worker thread, so a slow database never blocks the event loop.
    engine = get_engine()
    try:
        check_reachable(engine)
        with unit_of_work(engine) as session:
            age = newest_beat_age_seconds(session)
    except DatabaseUnreachable as down:
        return JSONResponse({"status": "unhealthy", "db": str(down)}, status_code=503)
    # A stale worker is reported, not failed: a load balancer must not pull healthy web servers for it.
    return JSONResponse({"status": "ok", "db": "ok", "worker_heartbeat_age_s": age})
