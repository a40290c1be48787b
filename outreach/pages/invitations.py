"""Send a round of wellbeing-check invitations to a cohort: how many would go, by which channel,
then the sending (the outbox paces it)."""

import streamlit as st

from core.inert_text import md
from core.ui import call, incident_or_stop, read
from outreach.cohort_service import cohorts_of
from outreach.invitation_service import send_invitations
from outreach.settings_service import outreach_settings

PREVIEW_KEY = "invitation_preview"
CHANNELS = {"both": "SMS and email", "sms": "SMS only", "email": "Email only"}

st.title("Invitations")
incident_id = incident_or_stop()
settings = read(lambda s, a: outreach_settings(s, a, incident_id))
if not settings.ready_to_invite:
    st.warning("The service's public name and contact number are not set yet: Gold or the hub manager sets them "
               "on Outreach settings. Every message says who is writing and a number to call.")
    st.stop()
cohorts = read(lambda s, a: cohorts_of(s, a, incident_id))
if not cohorts:
    st.info("No cohort yet: import a list on Outreach cohorts.")
    st.stop()
st.caption(f"Messages come from **{md(settings.service_name)}** ({settings.contact_number_shown}); each person gets "
           f"one personal link a round, valid {settings.link_days} days, and one reminder after "
           f"{settings.reminder_days} days if they have not answered. Nobody is sent anything who unsubscribed "
           "or opted out of the channel.")
cohort = st.selectbox("Cohort", [c.name for c in cohorts], key="invite_cohort")
rounds = {n: f"Round {n}: {months} month{'s' * (months != 1)} after the incident"
          for n, months in enumerate(settings.round_months, start=1)}
round_number = st.selectbox("Round", list(rounds), format_func=rounds.get, key="invite_round")
channel = st.radio("Send by", list(CHANNELS), format_func=CHANNELS.get, horizontal=True, key="invite_channel")

if st.button("Preview", type="primary"):
    report = call(send_invitations, incident_id, cohort, round_number=round_number, channel=channel, dry_run=True)
    st.session_state[PREVIEW_KEY] = (incident_id, cohort, round_number, channel, report) if report else None

preview = st.session_state.get(PREVIEW_KEY)
if preview and preview[:4] == (incident_id, cohort, round_number, channel):
    report = preview[4]
    st.subheader(f"Would be: {report.summary}")
    for reason, count in report.skipped_because.items():
        st.caption(f"{count} skipped: {reason}")
    if report.queued and st.button(f"Send {report.queued} invitations", type="primary"):
        done = call(send_invitations, incident_id, cohort, round_number=round_number, channel=channel)
        if done is not None:
            st.session_state[PREVIEW_KEY] = None
            st.success(f"{md(cohort)}, round {done.round}: {done.summary}.")
