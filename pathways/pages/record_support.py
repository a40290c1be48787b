"""The person record's overview, consent, needs, referral, complaint and duplicate tabs. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.clock import london, now, show
from core.inert_text import md
from core.ui import call, read
from pathways.caseload_service import (
    assign_key_worker,
    caseworkers,
    discharge,
    link_family,
    reopen,
    update_contact,
)
from pathways.complaint_service import answer_complaint, record_complaint
from pathways.consent_service import record_consent, set_contact_by, withdraw_consent
from pathways.enhanced_rights import JUDGED_REASONS
from pathways.equality_monitoring import DISABILITY_ANSWERS, ETHNIC_ANSWERS, ETHNIC_GROUP_WORDS, SEXES
from pathways.equality_service import record_communication_met, save_equality_monitoring
from pathways.merge_service import duplicate_suggestions, merge_people, not_the_same_person
from pathways.needs_service import assess_needs
from pathways.pages.record_access import open_person
from pathways.people_queries import PersonRecord
from pathways.referral_rules import NEXT_STATUSES, referred_late
from pathways.referral_service import partner_agencies, refer, referral_choices, set_referral_status
from pathways.registration_service import reassess_enhanced_rights
from pathways.vocabulary import (
    ContactBy,
    DischargeOutcome,
    LawfulBasis,
    NeedArea,
    Purpose,
    Relationship,
    RiskLevel,
    contact_by_label,
    label,
)


def overview(rec: PersonRecord) -> None:
    p = rec.person
    st.write(f"Source: {label(p.source)} · registered {show(p.registered_at)} by "
             f"{md(rec.users.get(p.registered_by_id, 'system'))}")
    st.write(f"Language: {md(p.language)}" + (" · **interpreter needed**" if p.interpreter_needed else "")
             + (" · easy read" if p.easy_read else ""))
    if p.accessibility_needs:
        st.write(f"Accessibility needs: {md(p.accessibility_needs)}")
    communication_needs(p)
    equality_monitoring(p)
    if p.status == "discharged":
        st.info(f"Discharged {show(p.discharged_at)}: {label(p.discharge_outcome)}")
    now_by = {"sms": "by text now", "email": "by email now"}.get(rec.reached_by, "no automated messages now")
    st.write(f"Contact by: **{contact_by_label(p.contact_by)}** — {now_by} (chosen on the Consent tab)")
    with st.form("contact"):
        mobile = st.text_input("Mobile", value=p.mobile or "")
        email = st.text_input("Email", value=p.email)
        postcode = st.text_input("Home postcode", value=p.postcode)
        if st.form_submit_button("Save contact") and call(update_contact, p.id, mobile=mobile, postcode=postcode,
                                                          email=email):
            st.rerun()
    workers = read(lambda s, a: caseworkers(s, a, p.incident_id))
    with st.form("key_worker"):
        worker = st.selectbox("Key worker", workers, format_func=lambda u: u.display_name)
        if st.form_submit_button("Assign key worker") and worker and call(assign_key_worker, p.id, worker.id):
            st.rerun()
    st.markdown("**Enhanced rights**")
    for r in rec.rights[:3]:
        st.caption(f"{show(r.assessed_at)}: {'entitled' if r.entitled else 'not entitled'} — {md(r.reasons) or 'no reason applies'}")
    with st.form("rights"):
        judged = st.multiselect("Also (caseworker's judgement)", JUDGED_REASONS)
        if st.form_submit_button("Re-assess enhanced rights") and call(reassess_enhanced_rights, p.id, tuple(judged)):
            st.rerun()
    st.markdown("**Family**")
    for link, name in rec.family:
        st.caption(f"{label(link.relationship)}: {md(name)}")
    with st.form("family"):
        relative = st.number_input("Relative's record number", min_value=1, step=1)
        relationship = st.selectbox("Relationship", list(Relationship), format_func=label)
        if st.form_submit_button("Link") and call(link_family, p.id, int(relative), relationship.value):
            st.rerun()
    if p.status == "open":
        with st.form("discharge"):
            outcome = st.selectbox("Outcome", list(DischargeOutcome), format_func=label)
            why = st.text_input("Why close the case")
            if st.form_submit_button("Discharge") and call(discharge, p.id, outcome.value, why):
                st.rerun()
    elif not p.merged_into_id:
        with st.form("reopen"):
            why = st.text_input("Why reopen")
            if st.form_submit_button("Reopen case") and call(reopen, p.id, why):
                st.rerun()


def consent(rec: PersonRecord) -> None:
    p = rec.person
    agencies = read(partner_agencies)
    names = {a.id: a.name for a in agencies}
    with st.form("consent"):
        purpose = st.selectbox("Purpose", list(Purpose), format_func=label)
        agency = st.selectbox("Agency (for sharing)", [None, *agencies],
                              format_func=lambda a: "—" if a is None else a.name)
        basis = st.selectbox("Lawful basis", list(LawfulBasis), format_func=label)
        given = st.radio("Decision", ["Given", "Refused"], horizontal=True) == "Given"
        if st.form_submit_button("Record consent") and call(
                record_consent, p.id, purpose.value, given=given, lawful_basis=basis.value,
                agency_id=agency.id if agency else None):
            st.rerun()
    _contact_by(rec)
    for c in rec.consents:
        left, right = st.columns([5, 1])
        state = "withdrawn/replaced " + show(c.withdrawn_at) if c.withdrawn_at else "current"
        left.write(f"{label(c.purpose)}{' with ' + md(names.get(c.agency_id, '?')) if c.agency_id else ''}: "
                   f"**{'given' if c.given else 'refused'}** ({label(c.lawful_basis)}), {show(c.recorded_at)} — {state}")
        if c.given and not c.withdrawn_at and right.button("Withdraw", key=f"withdraw_{c.id}"):
            if call(withdraw_consent, c.id):
                st.rerun()


def _contact_by(rec: PersonRecord) -> None:
    """How the support team's messages reach them (reminders, updates, news of their key worker)."""
    p = rec.person
    st.markdown(f"**Messages from the support team go by:** {contact_by_label(p.contact_by)}")
    if rec.contact_problem:
        st.warning(rec.contact_problem, icon=":material/phone_in_talk:")
    choices = ["", *ContactBy]
    with st.form("contact_by"):
        chosen = st.selectbox("How they want to be reached", choices, format_func=contact_by_label,
                              index=choices.index(p.contact_by) if p.contact_by in choices else 0)
        if st.form_submit_button("Save how to reach them") and call(set_contact_by, p.id, str(chosen)):
            st.rerun()


def needs(rec: PersonRecord) -> None:
    p = rec.person
    with st.form("needs", clear_on_submit=True):
        chosen = st.multiselect("Needs", list(NeedArea), format_func=label)
        risk = st.selectbox("Risk level", list(RiskLevel), format_func=label)
        notes = st.text_area("Notes (kept encrypted)")
        if st.form_submit_button("Save assessment") and call(assess_needs, p.id, [n.value for n in chosen],
                                                             risk.value, notes):
            st.rerun()
    for n in rec.needs:
        st.write(f"{show(n.assessed_at)} — risk **{n.risk_level}**: {', '.join(label(x) for x in n.needs.split(',') if x)}")
        if n.notes:
            st.caption(md(n.notes))


def referrals(rec: PersonRecord) -> None:
    p = rec.person
    agencies = read(partner_agencies)
    names = {a.id: a.name for a in agencies}
    if p.status == "open":
        choices = read(lambda s, a: referral_choices(s, a, p.id))  # services covering their home area first
        if choices and choices[0].routing.for_force_area:
            st.caption(f"Referrals for this person go to a service covering the {choices[0].routing.for_force_area} "
                       "police force area.")
        if choices and choices[0].tier_routing.tier:
            st.caption(f"Their support plan is at the {choices[0].tier_routing.tier} tier: services giving it come "
                       "first; another needs the reason.")
        with st.form("refer"):
            choice = st.selectbox("Refer to", choices, format_func=lambda c: c.name + (
                " — does not cover their area" if c.routing.refusal else "") + (
                " — another tier of support" if c.tier_routing.refusal else ""))
            service = st.text_input("Service", value="Needs assessment and support")
            tier_reason = st.text_input("Reason for referring outside the plan's tier (only then)", max_chars=300)
            notes = st.text_area("Referral notes (kept encrypted)")
            if st.form_submit_button("Send referral", type="primary") and choice:
                sent = call(refer, p.id, choice.agency_id, service, notes, tier_reason=tier_reason)
                if sent is not None:
                    st.success(" ".join(md(text) for text in ("Referral sent.", sent.area_note, sent.tier_note or "")
                                        if text))
    for r in rec.referrals:
        with st.container(border=True):
            late = " (after the Victims' Code deadline)" if referred_late(r.sent_at, r.due_at) else ""
            st.write(f"**{md(names.get(r.agency_id, '?'))}** — {md(r.service)}: **{r.status}** · sent "
                     f"{show(r.sent_at)}{late}")
            for why in (r.area_note, r.tier_note):  # where it went and why: by area, by the plan's tier
                if why:
                    st.caption(md(why))
            for status in NEXT_STATUSES[r.status]:
                if st.button(f"Mark {status}", key=f"ref_{r.id}_{status}") and call(set_referral_status, r.id, status):
                    st.rerun()


def complaints(rec: PersonRecord) -> None:
    p = rec.person
    with st.form("complaint", clear_on_submit=True):
        summary = st.text_area("Complaint (Victims' Code right 12)")
        if st.form_submit_button("Record complaint") and call(record_complaint, p.id, summary):
            st.rerun()
    for c in rec.complaints:
        with st.container(border=True):
            st.write(f"{show(c.received_at)} — **{c.status}**: {md(c.summary)}")
            if c.status == "answered":
                st.caption(f"Answered {show(c.answered_at)}: {md(c.answer)}")
            else:
                with st.form(f"answer_{c.id}"):
                    answer = st.text_area("Answer given")
                    if st.form_submit_button("Record answer") and call(answer_complaint, c.id, answer):
                        st.rerun()


def duplicates(rec: PersonRecord) -> None:
    p = rec.person
    if p.merged_into_id:
        st.info(f"Merged into record {p.merged_into_id}.")
        return
    suggestions = read(lambda s, a: duplicate_suggestions(s, a, p.id))
    if not suggestions:
        st.caption("No likely duplicates.")
    for row, how in suggestions:
        with st.container(border=True):
            born = f", born {row.date_of_birth:%d/%m/%Y}" if row.date_of_birth else ""
            st.write(f"**{md(row.name)}**{born} (record {row.id}) — {how.score:.0f}: {', '.join(how.reasons)}")
            a, b, c = st.columns(3)
            if a.button("Same person: merge into this record", key=f"merge_{row.id}") and call(merge_people, p.id, row.id):
                st.rerun()
            if b.button("Not the same person", key=f"notdup_{row.id}") and call(not_the_same_person, p.id, row.id):
                st.rerun()
            if c.button("Open", key=f"dup_open_{row.id}"):
                open_person(row.id)


def communication_needs(p) -> None:
    """Victims' Code right 1: the day the interpreter or easy-read need was met."""
    if not (p.interpreter_needed or p.easy_read):
        return
    if p.communication_met_on:
        st.caption(f"Interpreter or easy read given from {p.communication_met_on:%d/%m/%Y}.")
        return
    if p.status != "open":
        return
    with st.form("communication_met"):
        today = london(now()).date()
        met_on = st.date_input("Interpreter or easy read given on", value=today, max_value=today, format="DD/MM/YYYY")
        if st.form_submit_button("Record it given") and call(record_communication_met, p.id, met_on):
            st.rerun()


def _choice(value: str) -> str:
    return "Not recorded" if not value else ETHNIC_GROUP_WORDS.get(value) or label(value)


def equality_monitoring(p) -> None:
    """Optional answers, asked only if the person is willing; "not recorded" until then."""
    with st.expander("Equality monitoring (optional)"):
        st.caption("Only if the person is willing to say: it lets the commissioner see whether every group is served "
                   "alike. Stored encrypted; the compliance figures show groups, never a person.")
        with st.form("equality"):
            sex = st.selectbox("Sex", ["", *SEXES], index=["", *SEXES].index(p.sex or ""), format_func=_choice)
            ethnic = st.selectbox("Ethnic group (ONS 2021)", ["", *ETHNIC_ANSWERS],
                                  index=["", *ETHNIC_ANSWERS].index(p.ethnic_group or ""), format_func=_choice)
            disability = st.selectbox("Disability", ["", *DISABILITY_ANSWERS],
                                      index=["", *DISABILITY_ANSWERS].index(p.disability or ""), format_func=_choice)
            if st.form_submit_button("Save equality monitoring") and call(
                    save_equality_monitoring, p.id, sex=sex, ethnic_group=ethnic, disability=disability):
                st.rerun()
