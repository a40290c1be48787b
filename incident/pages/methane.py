"""M/ETHANE: send the next version (location clicked on the map or typed), and compare versions."""

import streamlit as st

from core.auth.roles import Permission
from core.clock import show
from core.inert_text import md
from core.ui import call, current_actor, incident_or_stop, read
from core.ui.forms import flash, form_defaults, show_flash
from core.ui.maps import add_incident, clickable_map, new_map
from incident.methane import PART_LABELS, MajorIncident, Methane, diff
from incident.methane_service import as_methane, methane_versions, submit_methane

incident_id = incident_or_stop()
versions = read(lambda s, a: methane_versions(s, a, incident_id))
latest = versions[-1] if versions else None

st.title("M/ETHANE")
show_flash()

if current_actor().can(Permission.INCIDENT_COMMAND):
    st.subheader(f"Version {latest.version + 1 if latest else 1}")
    st.caption("Starts from the latest version: change what is new. Click the map to set the location.")
    # Each incident's form starts from its own latest version.
    prefix = f"methane{incident_id}v{latest.version if latest else 0}"
    start = as_methane(latest) if latest else Methane("declared", "", "", "", "", "", "")
    form_defaults(prefix, **start.__dict__)
    point = (st.session_state[f"{prefix}_latitude"], st.session_state[f"{prefix}_longitude"])
    m = new_map(point if None not in point else None)
    if None not in point:
        add_incident(m, *point, st.session_state[f"{prefix}_exact_location"] or "Incident location",
                     st.session_state[f"{prefix}_cordon_radius_m"])
    clickable_map(m, f"{prefix}_map", f"{prefix}_latitude", f"{prefix}_longitude")
    with st.form("methane"):
        major = st.selectbox(PART_LABELS["major_incident"], [v.value for v in MajorIncident],
                             format_func=lambda v: v.replace("_", " "), key=f"{prefix}_major_incident")
        location = st.text_input(PART_LABELS["exact_location"], key=f"{prefix}_exact_location")
        c1, c2, c3 = st.columns(3)
        lat = c1.number_input("Latitude", format="%.6f", step=0.0001, key=f"{prefix}_latitude")
        lon = c2.number_input("Longitude", format="%.6f", step=0.0001, key=f"{prefix}_longitude")
        radius = c3.number_input("Cordon radius (m)", step=50.0, key=f"{prefix}_cordon_radius_m")
        message = Methane(
            major_incident=major, exact_location=location,
            incident_type=st.text_input(PART_LABELS["incident_type"], key=f"{prefix}_incident_type"),
            hazards=st.text_area(PART_LABELS["hazards"], key=f"{prefix}_hazards"),
            access=st.text_area(PART_LABELS["access"], key=f"{prefix}_access"),
            casualties=st.text_area(PART_LABELS["casualties"], key=f"{prefix}_casualties"),
            emergency_services=st.text_area(PART_LABELS["emergency_services"], key=f"{prefix}_emergency_services"),
            latitude=lat, longitude=lon, cordon_radius_m=radius,
        )
        if st.form_submit_button("Send this version", type="primary"):
            saved = call(submit_methane, incident_id, message)
            if saved:
                flash(f"M/ETHANE version {saved.version} saved.")

st.subheader("Versions side by side")
if not versions:
    st.info("No M/ETHANE message yet.")
    st.stop()
numbers = [v.version for v in versions]
c1, c2 = st.columns(2)
left_no = c1.selectbox("Earlier version", numbers, index=max(len(numbers) - 2, 0))
right_no = c2.selectbox("Later version", numbers, index=len(numbers) - 1)
left, right = versions[numbers.index(left_no)], versions[numbers.index(right_no)]
changed = {c.part for c in diff(as_methane(left), as_methane(right))}
st.caption(f"Version {left.version}: {show(left.created_at)} by {md(left.created_by_name)} · "
           f"version {right.version}: {show(right.created_at)} by {md(right.created_by_name)} · "
           f"{len(changed)} part(s) changed")


def shown(value: object) -> str:
    return "" if value is None else str(value)


st.dataframe(
    [{"part": part, f"earlier (version {left.version})": shown(getattr(left, name)),
      f"later (version {right.version})": shown(getattr(right, name)), "changed": "changed" if name in changed else ""}
     for name, part in PART_LABELS.items()],
    hide_index=True, width="stretch",
)
