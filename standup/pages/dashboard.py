"""Gold's dashboard, in the order the situation report is read out: M/ETHANE now, risks, decisions
since the last report, hubs and command, then the figures with their change since the last report
(refreshed every 15 seconds) and the trends as charts; the report to download last. Streamlit only."""

import pandas as pd
import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import auto_refreshing, incident_or_stop, read
from standup.pages.sitrep_downloads import sitrep_downloads
from standup.sitrep.briefing import change_text, changes_note, figure_groups, shown
from standup.sitrep.dashboard_figures import (
    REFRESH_SECONDS,
    TRENDS_REFRESH_SECONDS,
    dashboard_sitrep,
    dashboard_trends,
)
from standup.sitrep.wording import (
    commander_text,
    correction_notes,
    decisions_heading,
    handover_text,
    handovers_heading,
    hub_text,
    log_head,
    marking,
)

HEADLINES = (  # (section, figure, shown as, a rise is bad)
    ("People", "People registered", "People registered", False),
    ("People", "Open cases", "Open cases", False),
    ("Victims' Code", "Referrals overdue (deadline passed, not referred)", "Referrals overdue", True),
    ("Safety", "Urgent safety alerts not acknowledged", "Urgent alerts", True),
    ("Staffing, next 24 hours", "Shifts not fully staffed", "Shifts short, 24 h", True),
    ("Call-outs", "Call-outs in progress", "Call-outs open", False),
    ("Messages", "Text messages failed or undelivered", "Failed messages", True),
)
ALERTS = ("Safety", "Urgent safety alerts not acknowledged")
ESCALATED = ("Safety", "Urgent safety alerts escalated (not acknowledged in time)")
CHARTED = "People by role"  # drawn as a chart rather than a table

incident_id = incident_or_stop()

st.title("Situation")


def _methane(report) -> None:
    st.subheader("M/ETHANE now")
    if report.methane:
        st.markdown("\n".join(f"- **{md(part)}**: {md(text)}" for part, text in report.methane))
    else:
        st.info("No M/ETHANE submitted yet.", icon=":material/info:")


def _risks(report) -> None:
    if report.risks:
        st.error("**Risks**\n\n" + "\n".join(f"- {md(risk)}" for risk in report.risks), icon=":material/warning:")
    else:
        st.success("No risks: every risk figure is 0.", icon=":material/check_circle:")


def _decisions(report) -> None:
    st.subheader(decisions_heading(report))
    lines = []
    for d in report.decisions:
        text = f"~~{md(d.decision)}~~" if d.struck_through_by else md(d.decision)
        notes = "".join(f" — {md(note)}" for note in correction_notes(d))
        lines.append(f"- **{d.sequence}.** {text}{notes}  \n  {show(d.decided_at)} — {md(d.decided_by)} "
                     f"(rationale: {md(d.rationale)})")
    st.markdown("\n".join(lines) if lines else "None.")
    if report.decision_log_head:
        st.caption(md(log_head(report)))


def _hubs_and_command(report) -> None:
    st.subheader("Hubs and command")
    # Lists, not grids: a hub's details and a briefing are sentences, and a grid cuts them off.
    st.markdown("\n".join(f"- **{md(h.name)}**: {md(hub_text(h))}" for h in report.hubs) or "No hubs recorded.")
    st.markdown("\n".join(f"- **{md(c.level)}**: {md(commander_text(c))}" for c in report.command)
                or "No commanders named.")
    st.markdown(f"**{md(handovers_heading(report))}**\n\n"
                + ("\n".join(f"- {md(handover_text(h))}" for h in report.handovers) or "None."))


def _figures(report) -> None:
    st.subheader("Figures")
    st.caption(md(changes_note(report)))
    figures = {(f.section, f.label): f for f in report.figures}
    columns = [*st.columns(4), *st.columns(4)]  # two rows, so no label is cut short
    escalated = figures[ESCALATED].value
    for column, (section, label, title, rise_is_bad) in zip(columns, HEADLINES, strict=False):
        figure = figures[(section, label)]
        # Escalated alerts outrank a change: said on "Urgent alerts" while there are any.
        delta = f"{escalated:,} escalated" if (section, label) == ALERTS and escalated else report.change(figure)
        column.metric(title, f"{figure.value:,}", border=True, delta=delta or None,
                      delta_color="inverse" if rise_is_bad else "off")
    groups = [g for g in figure_groups(report) if g.section != CHARTED]
    for row_start in range(0, len(groups), 2):
        for column, group in zip(st.columns(2), groups[row_start:row_start + 2], strict=False):
            column.markdown(f"**{md(group.section)}**")
            if group.rows:
                rows = [{"figure": r.label, "now": shown(r.value), **({"change": change_text(r.change)}
                                                                        if report.compared else {})} for r in group.rows]
                column.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
            if group.folded:
                column.caption(md(group.folded))
    by_role = [f for f in report.figures if f.section == CHARTED]
    st.markdown(f"**{CHARTED}**")
    st.bar_chart(pd.DataFrame({"people": [f.value for f in by_role]}, index=[f.label for f in by_role]),
                 horizontal=True)


@auto_refreshing(REFRESH_SECONDS)
def live_briefing() -> None:
    report = read(lambda s, a: dashboard_sitrep(s, a, incident_id))
    st.caption(f"{marking(report)} · {md(report.incident_name)} · as at {show(report.generated_at, '%H:%M:%S')}, "
               f"refreshed every {REFRESH_SECONDS} s")
    _methane(report)
    _risks(report)
    _decisions(report)
    _hubs_and_command(report)
    _figures(report)


@auto_refreshing(TRENDS_REFRESH_SECONDS)
def trend_charts() -> None:
    """Days and weeks move slowly: redrawn every few minutes, not every 15 s."""
    t = read(lambda s, a: dashboard_trends(s, a, incident_id))
    st.subheader("Trends")
    days = pd.Index(pd.to_datetime(list(t.days)), name="day")
    left, middle, right = st.columns(3)
    left.caption("Registrations per day")
    # Bars, as the other trends: a line chart's hover points are unlabelled graphics for a screen reader.
    left.bar_chart(pd.DataFrame({"registrations": t.registrations}, index=days))
    middle.caption("Victims' Code: referrals made and deadlines missed per day")
    middle.bar_chart(pd.DataFrame({"referrals made": t.referrals_made, "deadlines missed": t.deadlines_missed},
                                  index=days), stack=False)
    right.caption("Screenings per week (week starting)")
    right.bar_chart(pd.DataFrame({"done": t.screenings_done, "positive": t.screenings_positive},
                                 index=pd.Index(pd.to_datetime(list(t.weeks)), name="week")), stack=False)


live_briefing()
trend_charts()
st.subheader("Situation report")
sitrep_downloads(incident_id)
