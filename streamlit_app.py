"""Stand Up's dashboard: `streamlit run streamlit_app.py` (or `standup run`, which also serves the webhooks)."""

from standup.shell import main

main()
