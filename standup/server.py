"""The web server: `streamlit run standup/server.py` serves the dashboard and the routes together."""

from pathlib import Path

import streamlit as st

from standup.routes import ROUTES

app = st.App(str(Path(__file__).resolve().parent.parent / "streamlit_app.py"), routes=ROUTES)
