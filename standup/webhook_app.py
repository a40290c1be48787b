"""The routes alone, for a deployment that exposes the public webhook apart from the dashboard:
`uvicorn standup.webhook_app:app`."""

from starlette.applications import Starlette

from standup.bootstrap import start
from standup.routes import ROUTES

start("the webhook app")  # before the first request: people's replies reach their support team
app = Starlette(routes=ROUTES)
