"""What the top of pathways pages says about clinical safety: urgent safety alerts, and the duty
clinician they go to. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.auth.roles import Permission
from core.clock import show
from core.inert_text import md
from core.ui import call, current_actor, current_incident_id, read
from pathways.alert_banner_queries import alert_banner
from pathways.clinicians import clinical_duty, clinician_choices, set_duty_clinician
from pathways.screening_service import acknowledge_alert


def render_safety_alerts() -> None:
    """On every pathways page: loudly when the incident has no duty clinician; for clinicians every
    unacknowledged urgent alert until one of them acts on it; for other caseworkers how many wait."""
    incident_id = current_incident_id()
    if incident_id is None or not current_actor().can(Permission.PEOPLE_VIEW):
        return
    banner = read(lambda s, a: alert_banner(s, a, incident_id))
    if banner.no_duty_clinician:
        st.error("**No duty clinician is named for this incident.** Urgent safety alerts (PHQ-9 item 9) are "
                 "texted to nobody. A clinician names themself on the Clinician review page; an administrator "
                 "on Pathway settings.", icon=":material/e911_emergency:")
    if not banner.is_clinician:
        if banner.waiting:
            duty = f" (duty clinician: {md(banner.duty.clinician_name)})" if banner.duty.named else ""
            st.warning(f"**{banner.waiting} urgent safety alert{'s' if banner.waiting > 1 else ''} waiting for a "
                       f"clinician**{duty}.", icon=":material/emergency:")
        return
    for item in banner.alerts:
        escalated = (f" **Escalated {show(item.alert.escalated_at)}: not acknowledged in time.**"
                     if item.alert.escalated_at else "")
        with st.container(border=True):
            st.error(f"**URGENT — {md(item.person_name)}** (record {item.person_id}): {md(item.alert.text)}. "
                     f"Raised {show(item.alert.raised_at)}.{escalated}", icon=":material/emergency:")
            with st.form(f"ack_alert_{item.alert.id}"):
                action = st.text_input("What was done (a clinician acknowledges)", key=f"ack_text_{item.alert.id}")
                if st.form_submit_button("Acknowledge alert", type="primary"):
                    if call(acknowledge_alert, item.alert.id, action) is not None:
                        st.rerun()


def render_duty_clinician(incident_id: int) -> None:
    """Who the incident's urgent alerts go to, and the form to name (or take over as) duty clinician."""
    duty = read(lambda s, a: clinical_duty(s, a, incident_id))
    if duty.named:
        st.write(f"Duty clinician: **{md(duty.clinician_name)}**, since {show(duty.since)}. Urgent alerts not "
                 f"acknowledged within {duty.escalate_after_minutes} minutes are escalated.")
    else:
        st.warning("Nobody is duty clinician for this incident now.")
    choices = read(lambda s, a: clinician_choices(s, a, incident_id))
    if not choices:
        st.warning("No designated clinician is on this incident's team: an administrator names caseworkers "
                   "as clinicians on Pathway settings, and Gold or an administrator adds them to the team.")
        return
    ids = [uid for uid, _ in choices]
    names = dict(choices)
    me = current_actor().user_id
    start = duty.clinician_id if duty.clinician_id in names else (me if me in names else ids[0])
    with st.form("duty_clinician"):
        chosen = st.selectbox("Duty clinician", ids, index=ids.index(start), format_func=names.__getitem__)
        if st.form_submit_button("Name duty clinician") and call(set_duty_clinician, incident_id, chosen):
            st.rerun()
