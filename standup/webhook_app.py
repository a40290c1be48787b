"""The routes alone, for a deployment that exposes the public webhook apart from the dashboard:
`uvicorn standup.webhook_app:app`."""

from starlette.applications import Starlette

from standup.routes import ROUTES

app = Starlette(routes=ROUTES)
