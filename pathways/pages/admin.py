import streamlit as st

from core.inert_text import md
from core.ui import call, current_incident_id, read
from pathways.clinicians import (
    caseworker_accounts,
    clinical_duty,
    clinicians,
    name_clinician,
    remove_clinician,
    set_escalation_minutes,
)
from pathways.geography import FORCE_AREAS
from pathways.instruments import instrument_names, text_loaded_by_administrator
from pathways.pages.clinical_banners import render_duty_clinician
from pathways.pathway_admin import (
    add_pathway_from_form,
    item_texts,
    load_item_text,
    load_translation,
    translation_layout,
    translation_text,
)
from pathways.pathway_service import list_pathways
from pathways.referral_coverage import referral_services, set_coverage, set_service_tiers
from pathways.referral_service import incident_force_area, set_incident_force_area
from pathways.safety_alert_rules import ESCALATE_AFTER_RANGE
from pathways.vocabulary import SupportTier

st.title("Pathway settings")

st.subheader("Clinicians")
st.caption("Only the caseworkers named here review positive screens and acknowledge urgent safety alerts; each "
           "incident's duty clinician is one of them and is texted when an alert is raised.")
for row in read(clinicians):
    left, right = st.columns([5, 1])
    duty = f" · duty clinician for {', '.join(row.on_duty_in)}" if row.on_duty_in else ""
    left.write(f"**{md(row.name)}** — alerts to {row.mobile}{duty}")
    if right.button("Remove", key=f"remove_clinician_{row.user_id}") and call(remove_clinician, row.user_id):
        st.rerun()
accounts = read(caseworker_accounts)
with st.form("name_clinician"):
    account = st.selectbox("Caseworker account", [uid for uid, _ in accounts], format_func=dict(accounts).__getitem__)
    clinician_mobile = st.text_input("Mobile for urgent alerts")
    if st.form_submit_button("Name as clinician") and account and call(name_clinician, account, clinician_mobile):
        st.rerun()

for view in read(list_pathways):
    with st.expander(f"{md(view.pathway.name)} — screening at months {view.pathway.screening_months}"):
        st.caption(md(view.pathway.description))
        names = {s.code: md(s.name) for s in view.stages}
        for stage in view.stages:
            st.write(f"**{md(stage.name)}** — {md(stage.intervention)}")
        st.caption("Moves: " + "; ".join(f"{names[a]} → {names[b]}" for a, b in view.moves))

st.subheader("Add a pathway")
st.caption("One stage a line: `code | name | intervention`; the first stage must be psychological first aid "
           "or practical support. One move a line: `from_code > to_code`. Debriefing is refused (NICE NG116).")
with st.form("add_pathway"):
    code = st.text_input("Code (e.g. responders)")
    name = st.text_input("Name")
    description = st.text_input("Description")
    months = st.text_input("Screening months", value="1, 3, 6, 9, 12")
    stages_text = st.text_area("Stages")
    moves_text = st.text_area("Moves")
    if st.form_submit_button("Add pathway"):
        added = call(add_pathway_from_form, code, name, description, months, stages_text, moves_text)
        if added is not None:
            st.success(f"Added {md(added.name)}.")

st.subheader("Referral services' areas")
st.caption("Which police force areas each partner agency takes referrals from. A person living outside the "
           "incident's force area is referred only to a service covering their home area.")
services = read(referral_services)
for service in services:
    c = service.coverage
    st.write(f"**{md(service.name)}** — " + ("the whole UK" if c.nationwide else
                                             ", ".join(sorted(c.force_areas)) or "*not recorded*"))
if services:
    with st.form("coverage"):
        chosen = st.selectbox("Agency", services, format_func=lambda c: c.name)
        nationwide = st.checkbox("Covers the whole UK")
        areas = st.multiselect("Or these police force areas", FORCE_AREAS)
        if st.form_submit_button("Save areas") and call(set_coverage, chosen.agency_id, nationwide=nationwide,
                                                        force_areas=areas):
            st.rerun()

st.subheader("Referral services' tiers of support")
st.caption("The tier of a person's support plan routes their referrals: universal to information, signposting and "
           "self-help; targeted to the incident's victim service; specialist to the NHS trauma service. A referral "
           "elsewhere needs the referrer's reason.")
for service in services:
    st.write(f"**{md(service.name)}** — " + (", ".join(t for t in SupportTier if t in service.tiers)
                                             or "*not recorded*"))
if services:
    with st.form("tiers"):
        chosen = st.selectbox("Agency", services, format_func=lambda c: c.name, key="tiers_agency")
        tiers = st.multiselect("Tiers of support it gives", list(SupportTier))
        if st.form_submit_button("Save tiers") and call(set_service_tiers, chosen.agency_id, tiers) is not None:
            st.rerun()

licensed = text_loaded_by_administrator()
st.subheader(f"Licensed item text ({', '.join(licensed)})")
instrument = st.selectbox("Questionnaire", licensed)
current = read(lambda s, a: item_texts(s, a, instrument))
with st.form("item_text"):
    lines = st.text_area("One item a line, in order", value="\n".join(current), height=300)
    if st.form_submit_button("Save wording") and call(load_item_text, instrument, lines.splitlines()):
        st.success("Saved.")

st.subheader("Questionnaires in Welsh")
st.caption("The online wellbeing check shows a questionnaire in Welsh only in a validated translation the "
           "service is licensed to use; until one is loaded, Welsh pages show it in English and say so. "
           "Clear the box and save to withdraw a translation.")
translated = st.selectbox("Questionnaire", instrument_names(), key="translated_instrument")
with st.form("translation"):
    lines = st.text_area(f"One line each: {translation_layout(translated)}", height=300,
                         value="\n".join(read(lambda s, a: translation_text(s, a, translated, "cy"))))
    if st.form_submit_button("Save Welsh wording") and (saved := call(load_translation, translated, "cy",
                                                                      lines.splitlines())) is not None:
        st.success("Saved." if saved else "Withdrawn: the check shows this questionnaire in English again.")

incident_id = current_incident_id()
if incident_id is not None:
    st.subheader("This incident's clinical duty")
    render_duty_clinician(incident_id)
    low, high = ESCALATE_AFTER_RANGE
    with st.form("escalation"):
        minutes = st.number_input("Escalate an unacknowledged urgent alert after (minutes)", min_value=low,
                                  max_value=high, step=5,
                                  value=read(lambda s, a: clinical_duty(s, a, incident_id)).escalate_after_minutes)
        if st.form_submit_button("Save escalation time") and call(set_escalation_minutes, incident_id, int(minutes)):
            st.success("Saved.")
    st.subheader("Incident's police force area")
    st.caption("People who live in another force area are referred to a service covering their home area.")
    now_area = read(lambda s, a: incident_force_area(s, a, incident_id))
    with st.form("force_area"):
        area = st.selectbox("Force area", FORCE_AREAS, index=FORCE_AREAS.index(now_area) if now_area in FORCE_AREAS else 0)
        if st.form_submit_button("Save force area") and call(set_incident_force_area, incident_id, area):
            st.success("Saved.")
