"""What every public response carries, and how much a request may send.

SecurityHeaders: a Content-Security-Policy allowing only this site (no inline script or style, no
framing, forms post only here), no Referer (a personal link's token must not leak to any site a
page links to), no content sniffing, and no caching of a page (it may be behind a personal link, or
hold a form token); the vendored assets alone may be cached.

BodyLimit: a body over MAX_BODY_BYTES is refused with 413, by its declared length before any is
read, or while it streams in, before the route sees it.
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.public.refusals import Refused
from core.public.rendering import ASSETS_PATH

MAX_BODY_BYTES = 65_536  # a long free-text answer in Welsh, percent-encoded, is a quarter of it

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; base-uri 'none'; object-src 'none'; "
                               "frame-ancestors 'none'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
PAGE_CACHING = "no-store"
ASSET_CACHING = "public, max-age=3600"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_asset = scope["path"].startswith(ASSETS_PATH + "/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                headers["Cache-Control"] = ASSET_CACHING if is_asset and message["status"] < 400 else PAGE_CACHING
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not re.fullmatch(rb"[0-9]{1,15}", declared) or int(declared) > MAX_BODY_BYTES):
            raise Refused(413)
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    raise Refused(413)
            return message

        await self.app(scope, bounded_receive, send)
