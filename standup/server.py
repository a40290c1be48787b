"""The web server: `streamlit run standup/server.py` serves the dashboard and the routes together."""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from standup.bootstrap import start
from standup.closed_endpoints import ClosedEndpoints
from standup.routes import ROUTES

start("the web server")  # the webhooks are served before any page runs the shell
app = st.App(str(Path(__file__).resolve().parent.parent / "streamlit_app.py"), routes=ROUTES,
             middleware=[Middleware(ClosedEndpoints)])
