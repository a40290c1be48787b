import streamlit as st

from core.agencies.model import AgencyKind
from core.agencies.service import add_agency, list_agencies
from core.ui import call, read

st.title("Partner agencies")
st.dataframe(
    [{"name": a.name, "kind": a.kind.replace("_", " "), "contact": a.contact_name, "email": a.contact_email,
      "coordinator mobile": a.coordinator_mobile or ""} for a in read(list_agencies)],
    hide_index=True,
)
with st.form("add_agency", clear_on_submit=True):
    st.subheader("Add an agency")
    name = st.text_input("Name")
    kind = st.selectbox("Kind", [k.value for k in AgencyKind], format_func=lambda k: k.replace("_", " "))
    contact_name = st.text_input("Contact name")
    contact_email = st.text_input("Contact email")
    if st.form_submit_button("Add agency", type="primary"):
        added = call(add_agency, name, kind, contact_name=contact_name, contact_email=contact_email)
        if added is not None:
            st.success(f"Added {added.name}.")
