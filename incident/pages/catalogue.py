"""The activation catalogue: the services Gold can stand up. An administrator extends it here."""

import streamlit as st

from core.inert_text import md
from core.ui import call, read, table
from core.ui.forms import clear_form, flash, show_flash
from incident.activation_service import add_catalogue_service, catalogue, set_catalogue_service_active

st.title("Activation catalogue")
st.caption("Services Gold can activate for an incident. Retired services keep their past activations.")
show_flash()
services = read(lambda s, a: catalogue(s, a, include_retired=True))
table([{"service": s.name, "description": s.description, "in use": s.active} for s in services],
      empty="No services in the catalogue yet.")

with st.form("catalogue_add"):
    st.subheader("Add a service")
    name = st.text_input("Name", key="catalogue_add_name")
    description = st.text_area("What it is", key="catalogue_add_description")
    if st.form_submit_button("Add service", type="primary") and call(add_catalogue_service, name, description):
        clear_form("catalogue_add")
        flash(f"{md(name.strip())} added to the catalogue.")

st.subheader("Retire or bring back")
chosen = st.selectbox("Service", services, format_func=lambda s: f"{s.name} ({'in use' if s.active else 'retired'})")
if chosen and st.button("Bring back" if not chosen.active else "Retire") and call(
        set_catalogue_service_active, chosen.id, not chosen.active):
    flash(f"{md(chosen.name)} {'brought back' if not chosen.active else 'retired'}.")
