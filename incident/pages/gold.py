"""Gold's page: the incident at a glance, the services being stood up, the latest M/ETHANE,
the decision log and everything that happened, newest first."""

import streamlit as st

from core.agencies.service import list_agencies
from core.clock import london, london_datetime, now_in_london, show
from core.inert_text import md
from core.ui import call, current_actor, incident_or_stop, read, slot, table
from core.ui.forms import clear_form, flash, form_defaults, show_flash
from incident.activation_authority import needs_authority
from incident.activation_service import Authority, catalogue, move_activation, request_activation
from incident.decision_service import Decision, correct_decision, log_decision, verify_decision_log
from incident.gold_queries import gold_board
from incident.lifecycle import is_closed, label, next_stages
from incident.methane import PART_LABELS
from incident.model import ActivationStage
from incident.pages.authorised_by import authority_text
from incident.pages.decision_log_lines import draw_decision_log
from incident.plugin import GOLD_ADVOCATE_SLOT, GOLD_REPORT_SLOT

incident_id = incident_or_stop()
board = read(lambda s, a: gold_board(s, a, incident_id))
incident = board.incident
open_entries = [line.entry for line in board.log if not line.corrected_by]  # the ones that can authorise


def authority_fields(prefix: str) -> Authority:
    """The decision-log entry that authorised a request or stand-down (the newest first offered), or
    why it is not in the log yet. Widgets keyed `prefix_*`."""
    choices = {e.id: f"Entry {e.sequence}: {e.decision[:70]} ({e.decision_maker}, {show(e.decided_at, '%H:%M')})"
               for e in reversed(open_entries)}
    chosen = st.selectbox("Authorising decision", [*choices, None], key=f"{prefix}_decision",
                          format_func=lambda i: choices[i] if i is not None else "Not in the log yet")
    late = st.text_input("Not in the log yet? Say why (it will be recorded late)", key=f"{prefix}_late")
    return Authority(chosen, late)


NEWEST_OFFERED = "gold_offer_the_newest_decision"


def is_authority_choice(key: str) -> bool:
    """The authorising-decision choices authority_fields draws: the request's and each stand-down's."""
    return key == "activate_decision" or (key.startswith("move") and key.endswith("_decision"))


def offer_the_newest_decision() -> None:
    """After an entry is added: on the next run every request and stand-down offers it (a choice
    made before would keep the older entry, or "not in the log yet")."""
    st.session_state[NEWEST_OFFERED] = True


# Set before the choices are drawn: a widget's state can be changed only before it is drawn in a run.
if st.session_state.pop(NEWEST_OFFERED, False) and open_entries:
    for key in [k for k in st.session_state if is_authority_choice(str(k))]:
        st.session_state[key] = open_entries[-1].id


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
        box.markdown(f"**{md(card.service)}**  \nLead: {md(card.lead_agency)}  \nsince {show(card.since)}"
                     + "".join(f"  \n{label(step.stage).capitalize()}: {authority_text(step)}"
                               for step in card.authorised_steps))
        box.caption("  \n".join(f"{label(step.stage)} {show(step.at, '%d %b %H:%M')}, {md(step.by)}"
                                 + (f": {md(step.note)}" if step.note else "") for step in card.steps))
        for target in next_stages(card.stage, incident_closed=is_closed(incident.status)):
            if not needs_authority(target):
                if box.button(f"Move to {label(target)}", key=f"move-{card.activation_id}-{target}"):
                    if call(move_activation, card.activation_id, target):
                        flash(f"{md(card.service)}: {label(target)}.")
                continue
            prefix = f"move{card.activation_id}{target}"
            with box.popover(f"Move to {label(target)}"), st.form(prefix):
                authority = authority_fields(prefix)
                note = st.text_input("Note (optional)", key=f"{prefix}_note")
                if st.form_submit_button(f"Move to {label(target)}", type="primary"):
                    if call(move_activation, card.activation_id, target, note, authority):
                        clear_form(prefix)
                        flash(f"{md(card.service)}: {label(target)}.")

with st.expander("Activate a service", expanded=not board.board):
    services = read(catalogue)
    agencies = [a for a in read(list_agencies) if a.active]
    with st.form("activate"):
        service = st.selectbox("Service", services, format_func=lambda s: s.name)
        agency = st.selectbox("Lead agency", agencies, format_func=lambda a: a.name, index=None,
                              placeholder="Choose the agency that leads it")
        note = st.text_input("Note (optional)")
        authority = authority_fields("activate")
        if st.form_submit_button("Request activation", type="primary"):
            done = call(request_activation, incident_id, service.id if service else 0,
                        agency.id if agency else 0, note, authority)
            if done:
                clear_form("activate")
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
draw_decision_log(board.log)
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
                offer_the_newest_decision()
                flash(f"Entry {entry.sequence} added to the decision log.")

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
                    offer_the_newest_decision()
                    flash(f"Entry {wrong.sequence} struck through; the correction is entry {entry.sequence}.")

st.header("Timeline", divider="gray")
table([{"when": show(i.at, "%d %b %H:%M"), "what": i.kind, "event": i.text, "by": i.by}
       for i in board.timeline], empty="Nothing has happened in this incident yet.")
