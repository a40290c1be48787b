"""The public pages' routes, all under /support, inside the guards every public response needs.

`public_routes(*page_routes)` is the Mount `standup/routes.py` serves: the vendored GOV.UK Frontend
stylesheet at /support/assets/…, the accessibility statement at /support/accessibility, and the
domains' pages, given with paths relative to /support (`Route("/refer", …)`). Around all of
them, outermost first: SecurityHeaders, RefusalPages, BodyLimit.
"""

from __future__ import annotations

from pathlib import Path

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from core.public.refusals import RefusalPages
from core.public.rendering import ACCESSIBILITY_PATH, ASSETS_PATH, PREFIX, render
from core.public.request_guards import BodyLimit, SecurityHeaders

ASSETS = Path(__file__).resolve().parent / "assets"


async def accessibility_statement(request: Request) -> HTMLResponse:
    return render(request, "public/accessibility.html")


def public_routes(*page_routes: BaseRoute) -> Mount:
    return Mount(PREFIX, routes=[
        Mount(ASSETS_PATH.removeprefix(PREFIX), app=StaticFiles(directory=ASSETS), name="public_assets"),
        Route(ACCESSIBILITY_PATH.removeprefix(PREFIX), accessibility_statement, methods=["GET"]),
        *page_routes,
    ], middleware=[Middleware(SecurityHeaders), Middleware(RefusalPages), Middleware(BodyLimit)])
