"""Gold's page: the incident at a glance, the services being stood up, the latest M/ETHANE,
the decision log and everything that happened, newest first."""

import streamlit as st

from core.agencies.service import list_agencies
from core.clock import london, london_datetime, now_in_london, show
from core.inert_text import md
from core.ui import call, current_actor, incident_or_stop, read, slot, table
from core.ui.forms import clear_form, flash, form_defaults, show_flash
from incident.activation_service import catalogue, move_activation, request_activation
from incident.decision_service import Decision, correct_decision, log_decision, verify_decision_log
from incident.gold_queries import gold_board
from incident.lifecycle import is_closed, label, next_stages
from incident.methane import PART_LABELS
from incident.model import ActivationStage
from incident.plugin import GOLD_ADVOCATE_SLOT, GOLD_REPORT_SLOT

incident_id = incident_or_stop()
board = read(lambda s, a: gold_board(s, a, incident_id))
incident = board.incident

st.title(md(incident.name))
show_flash()
c1, c2, c3, c4 = st.columns(4)
c1.metric("Status", label(incident.status).capitalize())
c2.metric("Since declaration", board.since_declared or "not declared")
c3.metric("Services operational", sum(card.stage == ActivationStage.OPERATIONAL for card in board.board))
c4.metric("Decision log entries", len(board.log))
if incident.declared_at:
    st.caption(f"Declared {show(incident.declared_at)} (UK time).")
with st.expander("Situation report for the coordinating group", icon=":material/description:"):
    slot(GOLD_REPORT_SLOT, incident_id)
with st.expander("Independent Public Advocate", icon=":material/record_voice_over:"):
    slot(GOLD_ADVOCATE_SLOT, incident_id)

st.header("Activations", divider="gray")
columns = st.columns(len(ActivationStage))
for column, stage in zip(columns, ActivationStage, strict=True):
    column.subheader(label(stage).capitalize())
    for card in (c for c in board.board if c.stage == stage):
        box = column.container(border=True)
        box.markdown(f"**{md(card.service)}**  \nLead: {md(card.lead_agency)}  \nsince {show(card.since)}")
        box.caption("  \n".join(f"{label(step.stage)} {show(step.at, '%d %b %H:%M')}, {md(step.by)}"
                                 + (f": {md(step.note)}" if step.note else "") for step in card.steps))
        for target in next_stages(card.stage, incident_closed=is_closed(incident.status)):
            if box.button(f"Move to {label(target)}", key=f"move-{card.activation_id}-{target}"):
                if call(move_activation, card.activation_id, target):
                    flash(f"{md(card.service)}: {label(target)}.")

with st.expander("Activate a service", expanded=not board.board):
    services = read(catalogue)
    agencies = [a for a in read(list_agencies) if a.active]
    with st.form("activate"):
        service = st.selectbox("Service", services, format_func=lambda s: s.name)
        agency = st.selectbox("Lead agency", agencies, format_func=lambda a: a.name, index=None,
                              placeholder="Choose the agency that leads it")
        note = st.text_input("Note (optional)")
        if st.form_submit_button("Request activation", type="primary"):
            done = call(request_activation, incident_id, service.id if service else 0,
                        agency.id if agency else 0, note)
            if done:
                flash(f"{md(service.name)} requested.")

st.header("Latest M/ETHANE", divider="gray")
methane = board.latest_methane
if methane is None:
    st.info("No M/ETHANE message yet: send the first one from the **M/ETHANE** page.")
else:
    st.caption(f"Version {methane.version}, {show(methane.created_at)} by {md(methane.created_by_name)}")
    st.markdown("\n".join(f"- **{part}:** {md(str(getattr(methane, name) if getattr(methane, name) is not None else '—'))}"
                          for name, part in PART_LABELS.items()))

st.header("Decision log", divider="gray")
for line in board.log:
    e = line.entry
    when = f"decided {show(e.decided_at)}, recorded {show(e.recorded_at)} by {md(e.recorded_by_name)}"
    text = f"**{e.sequence}.** {md(e.decision)} — *{md(e.decision_maker)}*"
    if line.corrected_by:
        text = f"~~{text}~~ *(struck through by entry {line.corrected_by})*"
    details = [f"Rationale: {md(e.rationale)}"]
    if e.options_considered:
        details.append(f"Options considered and rejected: {md(e.options_considered)}")
    if line.corrects:
        details.append(f"Corrects entry {line.corrects}: {md(e.correction_reason)}")
    if e.late_reason:
        details.append(f"Recorded late: {md(e.late_reason)}")
    st.markdown(f"{text}  \n{when}  \n" + "  \n".join(details))
if not board.log:
    st.caption("No decisions logged yet.")
if st.button("Verify the decision log", icon=":material/verified:"):
    found = call(verify_decision_log, incident_id)
    if found is not None and found.intact:
        st.success(f"The decision log is intact: none of its {len(board.log)} entries was changed or removed.")
    elif found is not None:
        st.error("The decision log has been tampered with outside Stand Up.  \n"
                 + "  \n".join(found.findings("entry", "entries")))

def decision_fields(prefix: str, start=None) -> Decision:
    """The decision part of the log form; its widgets are keyed `prefix_*`. A correction starts from
    the entry it corrects (`start`): what was right need not be typed again."""
    if start is None:
        day, at = now_in_london()
        form_defaults(prefix, day=day, time=at, maker=current_actor().display_name)
    else:
        decided = london(start.decided_at)
        form_defaults(prefix, day=decided.date(), time=decided.time().replace(second=0, microsecond=0),
                      maker=start.decision_maker, decision=start.decision, rationale=start.rationale,
                      options=start.options_considered)
    d1, d2 = st.columns(2)
    decided_day = d1.date_input("Date of the decision", format="DD/MM/YYYY", key=f"{prefix}_day")
    decided_time = d2.time_input("Time of the decision (UK)", step=60, key=f"{prefix}_time")
    return Decision(
        london_datetime(decided_day, decided_time),
        st.text_input("Decision-maker", key=f"{prefix}_maker"),
        st.text_area("Decision", key=f"{prefix}_decision"),
        st.text_area("Rationale", key=f"{prefix}_rationale"),
        st.text_area("Options considered and rejected, and why", key=f"{prefix}_options"),
        st.text_input("Reason it is recorded late (needed when more than 15 minutes after the decision)",
                      key=f"{prefix}_late"),
    )


with st.expander("Record a decision", expanded=not board.log):
    with st.form("decision"):
        decision = decision_fields("decision")
        if st.form_submit_button("Add to the log", type="primary"):
            entry = call(log_decision, incident_id, decision)
            if entry:
                clear_form("decision")
                flash(f"Entry {entry.sequence} added to the decision log.")

open_entries = [line.entry for line in board.log if not line.corrected_by]
if open_entries:
    with st.expander("Correct an entry"):
        wrong = st.selectbox("Entry to strike through", open_entries, key="correction_entry",
                             format_func=lambda e: f"{e.sequence}. {e.decision[:80]}")
        prefix = f"correction{wrong.id}"
        with st.form("correction"):
            reason = st.text_input("Why it is wrong", key=f"{prefix}_reason")
            st.caption("The entry as logged: change what was wrong.")
            decision = decision_fields(prefix, start=wrong)
            if st.form_submit_button("Strike through and correct"):
                entry = call(correct_decision, incident_id, wrong.sequence, decision, reason)
                if entry:
                    clear_form(prefix)
                    flash(f"Entry {wrong.sequence} struck through; the correction is entry {entry.sequence}.")

st.header("Timeline", divider="gray")
table([{"when": show(i.at, "%d %b %H:%M"), "what": i.kind, "event": i.text, "by": i.by}
       for i in board.timeline], empty="Nothing has happened in this incident yet.")
