import streamlit as st

from core.agencies.model import AgencyKind
from core.agencies.service import add_agency, list_agencies, update_agency_contacts
from core.ui import call, read, table

st.title("Partner agencies")
agencies = read(list_agencies)
table(
    [{"name": a.name, "kind": a.kind.replace("_", " "), "contact": a.contact_name, "email": a.contact_email,
      "coordinator mobile": a.coordinator_mobile or ""} for a in agencies],
      empty="No partner agencies yet: add one below.")
if agencies:
    chosen = st.selectbox("Change contacts of", agencies, format_func=lambda a: a.name)
    with st.form(f"contacts_{chosen.id}"):
        contact_name = st.text_input("Contact name", value=chosen.contact_name)
        contact_email = st.text_input("Contact email", value=chosen.contact_email)
        contact_phone = st.text_input("Contact phone", value=chosen.contact_phone)
        coordinator_mobile = st.text_input("Coordinator's mobile (for mobilisation texts; blank for none)",
                                           value=chosen.coordinator_mobile or "")
        if st.form_submit_button("Save contacts") and call(
            update_agency_contacts, chosen.id, contact_name=contact_name, contact_email=contact_email,
            contact_phone=contact_phone, coordinator_mobile=coordinator_mobile,
        ):
            st.rerun()
with st.form("add_agency", clear_on_submit=True):
    st.subheader("Add an agency")
    name = st.text_input("Name")
    kind = st.selectbox("Kind", [k.value for k in AgencyKind], format_func=lambda k: k.replace("_", " "))
    contact_name = st.text_input("Contact name")
    contact_email = st.text_input("Contact email")
    coordinator_mobile = st.text_input("Coordinator's mobile")
    if st.form_submit_button("Add agency", type="primary"):
        added = call(add_agency, name, kind, contact_name=contact_name, contact_email=contact_email,
                     coordinator_mobile=coordinator_mobile)
        if added is not None:
            st.success(f"Added {added.name}.")
