import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import incident_or_stop, read
from core.ui.forms import show_flash
from pathways.clinicians import is_clinician
from pathways.my_day_queries import my_day
from pathways.pages.clinical_banners import render_safety_alerts
from pathways.pages.record_access import open_person
from pathways.pages.told_form import told_form

st.title("My day")
show_flash()
render_safety_alerts()
incident_id = incident_or_stop()
mine_only = st.toggle("Only people I am key worker for", value=True, key="my_day_mine")
day = read(lambda s, a: my_day(s, a, incident_id, mine_only=mine_only))


def due_list(title: str, items, total: int, key: str, when: str = "due") -> None:
    st.subheader(f"{title} ({total})")
    if not items:
        st.caption("Nothing here.")
        return
    if total > len(items):
        st.caption(f"Showing the first {len(items)} of {total}.")
    for item in items:
        left, right = st.columns([4, 1])
        left.write(f"**{md(item.name)}** — {item.what}, {when} {show(item.due_at)}")
        if right.button("Open", key=f"{key}_{item.person_id}_{item.due_at.isoformat()}"):
            open_person(item.person_id)


if day.messages_total:  # a person reached out: first thing to see
    due_list("Text messages from people, unread", day.messages, day.messages_total, "msg", when="received")
due_list("Due today", day.due_today, day.due_today_total, "due")
due_list("Overdue", day.overdue, day.overdue_total, "late")
due_list("Victims' Code referrals due by tomorrow", day.referrals_due, day.referrals_due_total, "ref")

st.subheader(f"People to tell of the justice process ({day.to_inform_total})")
if day.to_inform_overdue:
    st.error(f"{day.to_inform_overdue} past the Victims' Code time: tell them today.", icon=":material/gavel:")
if not day.to_inform:
    st.caption("Nothing here.")
elif day.to_inform_total > len(day.to_inform):
    st.caption(f"Showing the first {len(day.to_inform)} of {day.to_inform_total}.")
for item in day.to_inform:
    left, right = st.columns([4, 1])
    left.write(f"**{md(item.name)}** — {item.what}, tell by {show(item.due_at)}" + (" — **OVERDUE**" if item.overdue else ""))
    if right.button("Open", key=f"inform_{item.task_id}"):
        open_person(item.person_id)
told_form([(i.task_id, f"{i.name} — {i.what}") for i in day.to_inform], "my_day_told")

st.subheader(f"Support plans: reviews and my actions due ({day.plans_due_total})")
if not day.plans_due:
    st.caption("Nothing here.")
for n, item in enumerate(day.plans_due):
    left, right = st.columns([4, 1])
    late = " — **OVERDUE**" if item.overdue else ""
    left.write(f"**{md(item.name)}** — {md(item.what)}, due {item.due_on:%a %d %b %Y}{late}")
    if right.button("Open", key=f"plan_{n}_{item.person_id}"):
        open_person(item.person_id)

if not read(is_clinician):
    st.stop()  # positive screens go to designated clinicians only
st.subheader(f"Positive screens to review ({day.to_review_total})")
if day.to_review_total > len(day.to_review):
    st.caption(f"The oldest {len(day.to_review)} of {day.to_review_total}.")
for item in day.to_review:
    s = item.screening
    st.write(f"**{md(item.person_name)}** — {s.instrument} ({s.result}), {show(s.taken_at)}"
             + (" — **SAFETY ALERT**" if item.has_alert else ""))
if day.to_review and st.button("Review and decide", key="my_day_review"):
    st.switch_page("pathways/pages/review.py")
