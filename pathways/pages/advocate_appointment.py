"""On Gold's page (a slot standup fills): the Secretary of State's declaration of the incident as a
major incident and the Independent Public Advocate appointed for it. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.inert_text import md
from core.ui import call, read
from core.ui.forms import flash
from pathways.advocate_service import advocate_accounts, appoint_advocate, appointment_of


def advocate_appointment(incident_id: int) -> None:
    current = read(lambda s, a: appointment_of(s, a, incident_id))
    if current is None:
        st.caption("No declaration recorded. Once the Secretary of State declares this a major incident "
                   "(Victims and Prisoners Act 2024, Part 2) and appoints an advocate, record both here: the "
                   "advocate then sees the records of the victims who consent to share with them, and nothing else.")
    else:
        st.markdown(f"Declared **{current.declared_on:%d %b %Y}** ({md(current.declaration)}); advocate "
                    f"**{md(current.advocate)}**, appointed {current.appointed_on:%d %b %Y}.")
    accounts = dict(read(advocate_accounts))
    with st.form("advocate_appointment"):  # a refusal keeps what was typed
        declared_on = st.date_input("Declared on", value=current.declared_on if current else None,
                                    format="DD/MM/YYYY", key="advocate_declared_on")
        declaration = st.text_input("The declaration's reference", value=current.declaration if current else "",
                                    key="advocate_declaration")
        advocate = st.selectbox("The advocate's account", list(accounts), format_func=accounts.__getitem__,
                                index=list(accounts).index(current.advocate_user_id)
                                if current and current.advocate_user_id in accounts else None,
                                placeholder="Choose the advocate", key="advocate_account")
        appointed_on = st.date_input("Appointed on", value=current.appointed_on if current else None,
                                     format="DD/MM/YYYY", key="advocate_appointed_on")
        if st.form_submit_button("Record the declaration and appointment") and call(
                appoint_advocate, incident_id, declared_on=declared_on, declaration=declaration,
                advocate_user_id=advocate, appointed_on=appointed_on):
            flash("Declaration and appointment recorded.")
