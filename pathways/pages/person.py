import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import incident_or_stop, read
from core.ui.forms import show_flash
from pathways.geography import NATION_TITLES
from pathways.pages import record_care, record_justice, record_messages, record_plan, record_support
from pathways.pages.clinical_banners import render_safety_alerts
from pathways.pages.record_access import PERSON_KEY, reason_for
from pathways.people_queries import view_person
from pathways.vocabulary import label

render_safety_alerts()
incident_or_stop()
person_id = st.session_state.get(PERSON_KEY)
if person_id is None:
    st.title("Person record")
    st.info("Choose a person on the People page or from My day.")
    st.stop()

reason = reason_for(person_id)
rec = read(lambda s, a: view_person(s, a, person_id, reason))
p = rec.person
st.title(f"{md(p.given_name)} {md(p.family_name)}")
show_flash()
if p.merged_into_id:
    st.warning(f"This record was merged into record {p.merged_into_id}; work on that one.")
facts = [f"record {p.id}", label(p.status)]
if p.date_of_birth:
    facts.append(f"born {p.date_of_birth:%d/%m/%Y}")
if p.enhanced_rights:
    facts.append("**enhanced rights**")
st.caption(" · ".join(facts) + f" · roles: {', '.join(label(r) for r in p.roles.split(','))}")
st.caption(f"{NATION_TITLES[p.nation]}, {p.force_area or 'force area unknown'} · key worker: "
           f"{md(rec.key_worker) or 'none'} · Victims' Code referral due {show(p.referral_due_at)}"
           + (f" (first referred {show(p.first_referred_at)})" if p.first_referred_at else ""))
if rec.merged_ids:
    st.caption(f"Includes the history of merged record(s) {', '.join(map(str, rec.merged_ids))}.")
record_messages.unread(rec)

# Keyed and lazy: the chosen tab survives reruns (an alert appearing above must not send the
# caseworker back to the first tab) and only that tab's content runs.
TABS = {
    "Overview": record_support.overview, "Consent": record_support.consent, "Needs": record_support.needs,
    "Support plan": record_plan.support_plan,
    "Pathway": record_care.pathway, "Screening": record_care.screening, "Referrals": record_support.referrals,
    "Justice": record_justice.justice, "Complaints": record_support.complaints, "Messages": record_messages.history,
    "Duplicates": record_support.duplicates,
}
for tab, render in zip(st.tabs(list(TABS), key="person_tab", on_change="rerun"), TABS.values(), strict=True):
    if tab.open:
        with tab:
            render(rec)
