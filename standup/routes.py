"""The HTTP routes served beside the dashboard. A plain Starlette routes list, so a deployment
can also serve them alone under uvicorn (see `standup.webhook_app`)."""

from starlette.routing import Route

from standup.health import healthz

ROUTES = [Route("/healthz", healthz, methods=["GET"])]
