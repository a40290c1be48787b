"""Hubs and sites: where people are seen, when they are open, how many they hold, who to call."""

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import call, incident_or_stop, read, table
from core.ui.forms import clear_form, flash, form_defaults, show_flash
from core.ui.maps import add_incident, add_site, clickable_map, new_map
from incident.hub_service import HUB_KINDS, HubDetails, hubs, save_hub
from incident.methane_service import latest_methane

incident_id = incident_or_stop()
sites = read(lambda s, a: hubs(s, a, incident_id))

st.title("Hubs and sites")
show_flash()
table([{"name": h.name, "kind": HUB_KINDS.get(h.kind, h.kind), "address": f"{h.address} {h.postcode}".strip(),
        "opening hours": h.opening_hours, "capacity": h.capacity, "contact": h.contact,
        "added": show(h.created_at)} for h in sites],
      empty="No hubs or sites yet: add the first below.")

chosen = st.selectbox("Add or change", [None, *sites], format_func=lambda h: "A new site" if h is None else h.name)
prefix = f"hub{incident_id}_{chosen.id if chosen else 'new'}"
start = HubDetails(**{f: getattr(chosen, f) for f in HubDetails.__dataclass_fields__}) if chosen else HubDetails("")
form_defaults(prefix, **start.__dict__)

scene = read(lambda s, a: latest_methane(s, a, incident_id))
scene_point = (scene.latitude, scene.longitude) if scene and scene.latitude is not None else None
# Opened on the scene, so a click places a site near the incident rather than wherever the first site is.
m = new_map(scene_point, [(h.latitude, h.longitude) for h in sites], scene_zoom=13)
if scene_point:
    add_incident(m, *scene_point, scene.exact_location or "Incident location", scene.cordon_radius_m)
for h in sites:
    if h.latitude is not None:
        add_site(m, h.latitude, h.longitude, f"{h.name} — {h.address}")
st.caption("Click the map to set the site's position, or type it below.")
clickable_map(m, f"{prefix}_map", f"{prefix}_latitude", f"{prefix}_longitude")

with st.form("hub"):
    name = st.text_input("Name", key=f"{prefix}_name")
    kind = st.selectbox("Kind of site", list(HUB_KINDS), format_func=HUB_KINDS.__getitem__, key=f"{prefix}_kind")
    address = st.text_input("Address", key=f"{prefix}_address")
    postcode = st.text_input("Postcode", key=f"{prefix}_postcode")
    c1, c2 = st.columns(2)
    lat = c1.number_input("Latitude", format="%.6f", step=0.0001, key=f"{prefix}_latitude")
    lon = c2.number_input("Longitude", format="%.6f", step=0.0001, key=f"{prefix}_longitude")
    hours = st.text_input("Opening hours", key=f"{prefix}_opening_hours", placeholder="e.g. 08:00–22:00 daily")
    capacity = st.number_input("Capacity (people at once)", step=1, key=f"{prefix}_capacity")
    contact = st.text_input("Contact", key=f"{prefix}_contact")
    if st.form_submit_button("Save site", type="primary"):
        details = HubDetails(name, kind, address, postcode, lat, lon, hours,
                             None if capacity is None else int(capacity), contact)
        saved = call(save_hub, incident_id, details, chosen.id if chosen else None)
        if saved:
            clear_form(prefix)
            flash(f"{md(saved.name)} saved.")
