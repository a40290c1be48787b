"""The web server: `streamlit run standup/server.py` serves the dashboard and the routes together."""

from pathlib import Path

import streamlit as st

from standup.person_replies import plug_in
from standup.routes import ROUTES

plug_in()  # people's replies reach their support team, by webhook or typed on the console page
app = st.App(str(Path(__file__).resolve().parent.parent / "streamlit_app.py"), routes=ROUTES)
