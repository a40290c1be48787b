"""Gold's dashboard: the situation report's figures, refreshed every 15 seconds, trends as
charts, and the report to download in each format. Streamlit only."""

import pandas as pd
import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import auto_refreshing, incident_or_stop, read
from standup.pages.sitrep_downloads import sitrep_downloads
from standup.sitrep.figures import build_sitrep
from standup.sitrep.trends import trends

REFRESH_SECONDS = 15
TRENDS_REFRESH_SECONDS = 300
HEADLINES = (  # (section, figure, shown as)
    ("People", "People registered", "People registered"),
    ("People", "Open cases", "Open cases"),
    ("Victims' Code", "Referrals overdue (deadline passed, not referred)", "Referrals overdue"),
    ("Safety", "Urgent safety alerts not acknowledged", "Urgent alerts"),
    ("Staffing, next 24 hours", "Shifts not fully staffed", "Shifts short, 24 h"),
    ("Call-outs", "Call-outs in progress", "Call-outs open"),
    ("Messages", "Text messages failed or undelivered", "Failed messages"),
)
ESCALATED = ("Safety", "Urgent safety alerts escalated (not acknowledged in time)")  # shown on "Urgent alerts"
GROUPED = (("Victims' Code", "Screening"), ("Staffing, next 24 hours", "Call-outs"), ("Safety", "Messages"))

incident_id = incident_or_stop()

st.title("Situation")


def _figures(report, section: str) -> list:
    return [f for f in report.figures if f.section == section]


def _table(report, section: str, *columns: str) -> pd.DataFrame:
    return pd.DataFrame([(f.label, f.value) for f in _figures(report, section)], columns=list(columns))


@auto_refreshing(REFRESH_SECONDS)
def live_figures() -> None:
    report = read(lambda s, a: build_sitrep(s, a, incident_id))
    st.caption(f"{'EXERCISE · ' if report.is_exercise else ''}{md(report.incident_name)} · "
               f"figures as at {show(report.generated_at, '%H:%M:%S')}, "
               f"refreshed every {REFRESH_SECONDS} s")
    columns = [*st.columns(4), *st.columns(4)]  # two rows, so no label is cut short
    for column, (section, figure, title) in zip(columns, HEADLINES, strict=False):
        escalated = report.value(*ESCALATED) if title == "Urgent alerts" else 0
        column.metric(title, f"{report.value(section, figure):,}", border=True, delta_color="inverse",
                      delta=f"{escalated:,} escalated" if escalated else None)
    if report.risks:
        st.error("**Risks**\n\n" + "\n".join(f"- {risk}" for risk in report.risks), icon=":material/warning:")
    else:
        st.success("No risks flagged.", icon=":material/check_circle:")

    for row in GROUPED:
        for column, section in zip(st.columns(len(row)), row, strict=True):
            column.subheader(section)
            column.dataframe(_table(report, section, "figure", "count"), hide_index=True, width="stretch")

    left, right = st.columns(2)
    with left:
        st.subheader("People by role")
        st.bar_chart(pd.DataFrame({"people": [f.value for f in _figures(report, "People by role")]},
                                  index=[f.label for f in _figures(report, "People by role")]), horizontal=True)
    with right:
        st.subheader("Pathway stages")
        st.dataframe(_table(report, "Pathway stages", "pathway · stage", "people"), hide_index=True, width="stretch")
    st.subheader("Shifts, next 24 hours")
    st.dataframe(_table(report, "Shifts, next 24 hours", "shift", "filled"), hide_index=True, width="stretch")
    left, _ = st.columns(2)
    left.subheader("Services")
    left.dataframe(_table(report, "Services", "service", "stage"), hide_index=True, width="stretch")



@auto_refreshing(TRENDS_REFRESH_SECONDS)
def trend_charts() -> None:
    """Days and weeks move slowly: redrawn every few minutes, not every 15 s."""
    t = read(lambda s, a: trends(s, a, incident_id))
    st.subheader("Trends")
    days = pd.Index(pd.to_datetime(list(t.days)), name="day")
    left, middle, right = st.columns(3)
    left.caption("Registrations per day")
    left.line_chart(pd.DataFrame({"registrations": t.registrations}, index=days))
    middle.caption("Victims' Code: referrals made and deadlines missed per day")
    middle.bar_chart(pd.DataFrame({"referrals made": t.referrals_made, "deadlines missed": t.deadlines_missed},
                                  index=days), stack=False)
    right.caption("Screenings per week (week starting)")
    right.bar_chart(pd.DataFrame({"done": t.screenings_done, "positive": t.screenings_positive},
                                 index=pd.Index(pd.to_datetime(list(t.weeks)), name="week")), stack=False)


live_figures()
trend_charts()
st.subheader("Situation report")
sitrep_downloads(incident_id)
