"""The person record's pathway and screening tabs. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.clock import now, show
from core.inert_text import md
from core.ui import call, read, table
from pathways.instruments import instrument_named, youngest_screened_age
from pathways.pathway_admin import item_texts
from pathways.pathway_service import enrol, list_pathways, move_stage, screening_forms_for
from pathways.people_queries import PersonRecord
from pathways.screening_service import early_screen_warning_for, record_screening
from pathways.vocabulary import label


def pathway(rec: PersonRecord) -> None:
    p = rec.person
    if rec.pathway is None:
        st.info("On no pathway.")
    else:
        st.subheader(md(rec.pathway.name))
        st.write(f"Stage: **{md(rec.stage.name)}** — {md(rec.stage.intervention)}")
    views = read(list_pathways)
    current = next((v for v in views if rec.pathway and v.pathway.id == rec.pathway.id), None)
    if current is not None and p.status == "open":
        names = {s.code: s.name for s in current.stages}
        onward = [b for a, b in current.moves if a == rec.stage.code]
        with st.form("move_stage"):
            target = st.selectbox("Move to", onward, format_func=names.__getitem__) if onward else None
            why = st.text_input("Why (kept with the move)")
            if st.form_submit_button("Move", disabled=not onward) and call(move_stage, p.id, target, why):
                st.rerun()
        with st.form("change_pathway"):
            other = st.selectbox("Change pathway to", [v.pathway.code for v in views],
                                 format_func=lambda c: next(v.pathway.name for v in views if v.pathway.code == c))
            why_change = st.text_input("Why change pathway")
            if st.form_submit_button("Change pathway") and call(enrol, p.id, other, why_change):
                st.rerun()
    st.markdown("**Screening schedule**")
    table([{"month": f.month, "due": show(f.due_at), "status": f.status,
            "reminder": show(f.reminder_sent_at)} for f in rec.follow_ups],
          empty="No follow-ups planned.")
    st.markdown("**Moves**")
    stage_names = {s.id: s.name for s in rec.stages}
    table([{"when": show(e.at), "from": stage_names.get(e.from_stage_id, "—"),
            "to": stage_names.get(e.to_stage_id, "earlier pathway"), "who": rec.users.get(e.by_id, "system"),
            "why": e.reason} for e in rec.stage_events], empty="No moves between stages yet.")


def screening(rec: PersonRecord) -> None:
    p = rec.person
    forms = screening_forms_for(p, now())
    if p.status == "open" and not forms:
        st.info(f"Under {youngest_screened_age()}: no self-report screen. Refer for clinician judgement (e.g. CAMHS) "
                "with the family's account.")
    elif p.status == "open":
        instrument = st.selectbox("Questionnaire", forms, key="screen_instrument")
        form = instrument_named(instrument)
        texts = read(lambda s, a: item_texts(s, a, instrument))
        early = read(lambda s, a: early_screen_warning_for(s, a, p.id, instrument))
        if early:
            st.warning(early)
        with st.form(f"screen_{instrument}", clear_on_submit=True):
            if form.instructions:
                st.caption(form.instructions)
            answers = []
            for number, text in enumerate(texts, start=1):
                answers.append(st.radio(
                    f"{number}. {text}", form.allowed_answers, index=None, horizontal=True, key=f"q_{instrument}_{number}",
                    format_func=lambda points, f=form: f"{points} {f.answer_labels.get(points, '')}".strip()))
            notes = st.text_area("Notes (kept encrypted)")
            why_now = st.text_input("Why screen now, before about a month (kept encrypted)") if early else ""
            if st.form_submit_button("Save screening", type="primary"):
                saved = call(record_screening, p.id, instrument, answers, notes, why_now)
                if saved is not None:
                    st.success(f"Saved: {saved.result}." + (" Flagged for a clinician's review." if saved.positive else ""))
                    st.rerun()
    st.markdown("**Screenings**")
    table([{"when": show(s.taken_at), "form": s.instrument, "result": s.result,
            "flagged": "yes" if s.positive else "", "review": label(s.review_status),
            "decision": label(s.decision), "decided by": rec.users.get(s.decided_by_id, "")}
           for s in rec.screenings], empty="No screenings yet.")
    for alert in rec.alerts:
        state = (f"acknowledged {show(alert.acknowledged_at)} by {md(rec.users.get(alert.acknowledged_by_id, '?'))}: "
                 f"{md(alert.action_taken)}" if alert.acknowledged_at else "NOT YET ACKNOWLEDGED")
        st.warning(f"Safety alert {show(alert.raised_at)} — {state}")
