"""The person record's Support plan tab: the tier, when the plan is next reviewed (paced by the
needs assessment's risk level), its actions with their owners, and its history. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import call, incident_or_stop, read, table
from core.ui.forms import clear_form, flash
from pathways.caseload_service import caseworkers
from pathways.people_queries import PersonRecord
from pathways.referral_service import partner_agencies
from pathways.support_plan_queries import person_plan
from pathways.support_plan_service import NewAction, add_action, close_action, review_plan, set_tier
from pathways.vocabulary import ActionStatus, SupportTier, label


def support_plan(rec: PersonRecord) -> None:
    p = rec.person
    plan = read(lambda s, a: person_plan(s, a, p.id))
    if plan is None:
        st.caption("No support plan yet: it starts from the needs assessment (the Needs tab).")
        return
    st.markdown(f"**{label(plan.tier)} support** · {plan.risk_level} risk: reviewed every {plan.review_every_days} "
                f"days · next review {plan.next_review_on:%a %d %b %Y}")
    if plan.review_due:
        st.warning("The plan's review is due.", icon=":material/event:")
    editable = p.status == "open" and not p.merged_into_id
    if editable:
        tiers = list(SupportTier)
        tier = st.selectbox("Tier (routes referrals: universal, targeted or specialist services)", tiers,
                            index=tiers.index(SupportTier(plan.tier)), format_func=label, key="plan_tier")
        if tier != plan.tier and call(set_tier, p.id, tier.value):
            flash(f"Tier set to {label(tier)}.")
    st.markdown("**Actions**")
    table([{"what": a.what, "owner": a.owner, "due": f"{a.due_on:%d/%m/%Y}", "status": label(a.status),
            "": "OVERDUE" if a.overdue else ""} for a in plan.actions], empty="No action yet.")
    if editable:
        _action_form(p.id)
        open_actions = {a.action_id: f"{a.what[:60]} ({a.owner})" for a in plan.actions if a.status == "open"}
        if open_actions:
            with st.form("plan_close"):
                chosen = st.selectbox("Action", list(open_actions), format_func=open_actions.__getitem__)
                status = st.radio("Closed as", [ActionStatus.DONE, ActionStatus.CANCELLED], format_func=label,
                                  horizontal=True)
                if st.form_submit_button("Close action") and call(close_action, chosen, status.value):
                    flash("Action closed.")
        with st.form("plan_review"):
            note = st.text_area("Review note (kept encrypted)", key="plan_review_note")
            if st.form_submit_button("Record the review") and call(review_plan, p.id, note):
                clear_form("plan_review")
                flash("Review recorded; the next is scheduled.")
    st.markdown("**History**")
    table([{"when": show(r.at), "by": r.by, "what": "needs assessment" if r.kind == "assessment" else "review",
            "risk": r.risk_level, "tier": label(r.tier), "next review": f"{r.next_review_on:%d/%m/%Y}", "note": r.note}
           for r in plan.history], empty="Nothing yet.")


def _action_form(person_id: int) -> None:
    incident_id = incident_or_stop()
    workers = {u.id: u.display_name or u.username for u in read(lambda s, a: caseworkers(s, a, incident_id))}
    agencies = {a.id: a.name for a in read(partner_agencies)}
    owners = [("user", i) for i in workers] + [("agency", i) for i in agencies]
    with st.form("plan_action"):  # a refusal keeps what was typed
        what = st.text_input("Action: what will be done", key="plan_action_what")
        owner = st.selectbox("Owner: a caseworker or a partner agency", owners, index=None,
                             placeholder="Choose who owns it", key="plan_action_owner",
                             format_func=lambda o: workers[o[1]] if o[0] == "user" else f"{agencies[o[1]]} (agency)")
        due_on = st.date_input("Due on", value=None, format="DD/MM/YYYY", key="plan_action_due")
        if st.form_submit_button("Add action", type="primary") and call(add_action, person_id, NewAction(
                what, due_on, owner_user_id=owner[1] if owner and owner[0] == "user" else None,
                owner_agency_id=owner[1] if owner and owner[0] == "agency" else None)):
            clear_form("plan_action")
            flash(f"Action added: {md(what)}.")
