"""The HTTP routes served beside the dashboard. A plain Starlette routes list, so a deployment
can also serve them alone under uvicorn (see `standup.webhook_app`). The public pages are one
Mount under /support (core.public.routes), inside their own guards."""

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from core.maps import VENDOR_PREFIX
from core.public.routes import public_routes
from notifications.webhooks import ROUTES as TWILIO_ROUTES
from outreach.public import ROUTES as OUTREACH_PUBLIC_ROUTES
from standup.assets import NODE_MODULES
from standup.health import healthz

ROUTES = [
    Route("/healthz", healthz, methods=["GET"]),
    # check_dir=False: the server starts (and says why maps are blank) even before the assets are installed.
    Mount(VENDOR_PREFIX, app=StaticFiles(directory=NODE_MODULES, check_dir=False), name="vendor"),
    *TWILIO_ROUTES,
    public_routes(*OUTREACH_PUBLIC_ROUTES),
]
