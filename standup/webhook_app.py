"""The routes alone, for a deployment that exposes the public webhook apart from the dashboard:
`uvicorn standup.webhook_app:app`."""

from starlette.applications import Starlette

from standup.person_replies import plug_in
from standup.routes import ROUTES

plug_in()  # people's replies reach their support team
app = Starlette(routes=ROUTES)
