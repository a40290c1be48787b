"""Refusing a public request with a page that says what to do next, in the person's language.

A public route raises `Refused(status)` (403 bad form token, 413 too large, 415 not a form,
429 too many attempts, 400 unreadable…); `RefusalPages`, around every public route, answers it with
`public/refused.html`, and does the same for the router's own 404 and 405. Raise Refused, not
Starlette's HTTPException: the app around the routes would answer that in plain text.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from core.public.rendering import render

_WORDED = {403, 404, 413, 429}  # statuses with words of their own; any other says "a problem with what was sent"


class Refused(Exception):
    def __init__(self, status: int, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"refused with {status}")
        self.status = status
        self.headers = dict(headers or {})


class RefusalPages:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except (Refused, HTTPException) as refusal:
            if started:
                raise
            status = refusal.status if isinstance(refusal, Refused) else refusal.status_code
            request = Request(scope)
            response = render(request, "public/refused.html", status_code=status,
                              words=str(status if status in _WORDED else 400),
                              nothing_saved=request.method == "POST")
            response.headers.update(refusal.headers or {})
            await response(scope, receive, send)
