"""The form that records that a person was told of a justice milestone (when, how, by whom), on "my
day" and on the person's Justice tab. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.inert_text import md
from core.ui import call
from core.ui.forms import clear_form, flash
from pathways.justice_service import close_inform_task
from pathways.vocabulary import InformMethod, label


def told_form(tasks: list[tuple[int, str]], key: str) -> None:
    """`tasks`: the open inform tasks to choose from, as (task id, who and what)."""
    if not tasks:
        return
    names = dict(tasks)
    with st.form(key):  # a refusal keeps what was typed
        st.markdown("**Record that someone was told**")
        task_id = st.selectbox("Who was told, of what", list(names), format_func=names.__getitem__, key=f"{key}_task")
        method = st.selectbox("How they were told", list(InformMethod), index=None, format_func=label,
                              placeholder="Choose how", key=f"{key}_method")
        told_by = st.text_input("Told by (leave blank if it was you)", key=f"{key}_by")
        told_on = st.date_input("Told on (leave blank for today)", value=None, format="DD/MM/YYYY", key=f"{key}_on")
        note = st.text_area("Note (kept encrypted)", key=f"{key}_note")
        if st.form_submit_button("Record as told", type="primary") and call(
                close_inform_task, task_id, method=method or "", told_by=told_by, told_on=told_on, note=note):
            clear_form(key)
            flash(f"Recorded as told: {md(names[task_id])}.")
