"""The situation map: scene and cordon, hubs and their staffing, staff on shift, affected people
by home area (counts only) and referrals to other force areas. Streamlit only."""

import streamlit as st
from streamlit_folium import st_folium

from core.inert_text import md
from core.settings import get_settings
from core.ui import incident_or_stop, read
from standup.situation_map import SMALL_COUNT, build_map
from standup.situation_queries import situation_picture

incident_id = incident_or_stop()

picture = read(lambda s, a: situation_picture(s, a, incident_id))
st.title("Situation map")
people = sum(a.people for a in picture.areas) + picture.people_without_area
c1, c2, c3, c4 = st.columns(4)
c1.metric("Sites", len(picture.sites))
c2.metric("Staff on shift now", sum(s.filled_now for s in picture.sites))
c3.metric("Affected people", f"{people:,}")
c4.metric("Referrals to other force areas", f"{sum(r.referrals for r in picture.referrals):,}")
if picture.scene is None:
    st.info("No M/ETHANE with a location yet: the scene and cordon appear once one gives them.")
for note in picture.notes:
    st.warning(md(note), icon=":material/location_off:")

# returned_objects=[]: panning and zooming stay in the browser instead of rerunning the page.
st_folium(build_map(picture, get_settings().tile_url), returned_objects=[], use_container_width=True, height=620,
          key="situation-map")
st.caption(f"People are counted by home postcode area, never shown one by one; counts under {SMALL_COUNT} "
           f"read \"fewer than {SMALL_COUNT}\". {picture.people_without_area:,} people have no known home postcode "
           "and are counted but not drawn. Switch layers with the control at the top right.")
