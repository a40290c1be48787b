from datetime import date

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import call, incident_or_stop, read
from pathways.caseload_service import caseworkers
from pathways.pages.clinical_banners import render_safety_alerts
from pathways.pages.record_access import open_person
from pathways.pathway_service import list_pathways
from pathways.people_queries import search_people
from pathways.registration_service import NATIONS, NewPerson, register_person
from pathways.vocabulary import PersonRole, Source, label

st.title("People")
render_safety_alerts()
incident_id = incident_or_stop()

find, add = st.tabs(["Find a person", "Register a person"])

with find:
    text = st.text_input("Name, mobile or postcode", key="people_search")
    mine = st.checkbox("Only my caseload", key="people_mine")
    page = st.session_state.get("people_page", 0)
    result = read(lambda s, a: search_people(s, a, incident_id, text, page, mine_only=mine))
    if not result.rows:
        st.caption("No one found.")
    for row in result.rows:
        left, right = st.columns([5, 1])
        born = f", born {row.date_of_birth:%d/%m/%Y}" if row.date_of_birth else ""
        left.write(f"**{md(row.name)}**{born} — {', '.join(label(r) for r in row.roles.split(','))}"
                   f" · {row.status} · record {row.id}")
        if right.button("Open", key=f"open_{row.id}"):
            open_person(row.id)
    prev, nxt = st.columns(2)
    if page > 0 and prev.button("Previous page"):
        st.session_state["people_page"] = page - 1
        st.rerun()
    if result.has_more and nxt.button("Next page"):
        st.session_state["people_page"] = page + 1
        st.rerun()

with add:
    workers = read(lambda s, a: caseworkers(s, a, incident_id))
    pathways = read(list_pathways)
    with st.form("register_person"):
        given = st.text_input("First name")
        family = st.text_input("Family name")
        roles = st.multiselect("Roles", list(PersonRole), format_func=label)
        source = st.selectbox("Source", list(Source), format_func=label)
        dob = st.date_input("Date of birth", value=None, min_value=date(1900, 1, 1), max_value=date(2100, 1, 1),
                            format="DD/MM/YYYY")
        mobile = st.text_input("Mobile")
        email = st.text_input("Email")
        postcode = st.text_input("Home postcode")
        nation = st.selectbox("Nation (used only without a postcode)", NATIONS, format_func=label)
        language = st.text_input("Language", value="English")
        interpreter = st.checkbox("Needs an interpreter")
        easy_read = st.checkbox("Needs easy-read information")
        access = st.text_area("Accessibility needs")
        terrorism = st.checkbox("Victim of terrorism")
        abuse = st.checkbox("Victim of a sexual or domestic-abuse offence")
        worker = st.selectbox("Key worker", [None, *workers],
                              format_func=lambda u: "(none yet)" if u is None else u.display_name)
        pathway = st.selectbox("Pathway", ["", *[p.pathway.code for p in pathways]],
                               format_func=lambda c: "(chosen by age and role)" if not c else
                               next(p.pathway.name for p in pathways if p.pathway.code == c))
        if st.form_submit_button("Register", type="primary"):
            person = call(register_person, incident_id, NewPerson(
                given, family, [r.value for r in roles], source.value, dob, mobile, email, postcode, nation,
                language, interpreter, easy_read, access, terrorism, abuse,
                worker.id if worker else None, pathway))
            if person is not None:
                st.session_state["pathways_registered"] = person.id
                st.session_state.setdefault("pathways_view_reasons", {})[person.id] = "registration"
                st.success(f"Registered {md(person.given_name)} {md(person.family_name)} (record {person.id}) at "
                           f"{show(person.registered_at)}.")
    registered = st.session_state.get("pathways_registered")
    if registered and st.button("Open the record just registered"):
        open_person(registered)
