"""Streamlit's own endpoints that must not answer strangers. `/_stcore/metrics` tells anyone, without
signing in, how many sessions are open and how much memory the caches hold; Streamlit 1.67 has no
setting to turn it off, and an `st.App` route cannot shadow a path under /_stcore/ (reserved), so
this middleware, first in the chain, answers 404 there whatever the method, base path or slashes."""

from __future__ import annotations

import re

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

CLOSED = ("/_stcore/metrics",)
_SLASHES = re.compile(r"/{2,}")


def is_closed(path: str) -> bool:
    """`path` reaches a closed endpoint, under any base path (server.baseUrlPath)."""
    normal = _SLASHES.sub("/", path).rstrip("/")
    return any(normal == closed or normal.endswith(closed) for closed in CLOSED)


class ClosedEndpoints:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_closed(scope["path"]):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)
