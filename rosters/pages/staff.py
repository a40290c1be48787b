"""Agencies and their staff: who is on each roster, and the corrections a coordinator makes
between roster files. Coordinators see only their own agency."""

import streamlit as st

from core.auth.roles import Permission
from core.clock import show
from core.inert_text import md
from core.phone import mask_mobile
from core.ui import call, current_actor, read, table
from rosters.contact_preferences import LABELS, MEANINGS, ContactBy
from rosters.roster_values import DBS_LEVELS
from rosters.staff_service import list_staff, update_staff, visible_agencies
from rosters.training import COURSES, EXPIRING_DAYS
from rosters.training_service import expiring_training, record_training, training_of

st.title("Agencies and staff")
agencies = read(visible_agencies)
if not agencies:
    st.info("No partner agencies yet; an administrator adds them on the Agencies page.")
    st.stop()
agency = st.selectbox("Agency", agencies, format_func=lambda a: a.name)
# Plain text, not a caption: the contact's address becomes a link, and a faded link is too faint to read.
st.markdown(" · ".join(md(part) for part in (
    agency.kind.replace("_", " "), agency.contact_name, agency.contact_email,
    f"coordinator {mask_mobile(agency.coordinator_mobile)}" if agency.coordinator_mobile else "",
) if part))
search = st.text_input("Search by name, ref, role or mobile digits")
staff = read(lambda s, a: list_staff(s, a, agency_id=agency.id, search=search))
can_edit = current_actor().can(Permission.STAFF_EDIT)
if can_edit:
    st.page_link("rosters/pages/import_roster.py", label="Import a roster file (CSV or XLSX)",
                 icon=":material/upload_file:")

table(
    [{"ref": p.staff_ref, "name": p.name, "role": p.role, "mobile": mask_mobile(p.mobile),
      "skills": ", ".join(p.skills), "languages": ", ".join(p.languages), "DBS": p.dbs_level or "none",
      "DBS expiry": p.dbs_expiry, "max h/week": p.max_hours_per_week, "active": p.active,
      "contact by": LABELS[ContactBy(p.contact_by)], "SMS": "opted out" if p.sms_opted_out else "",
      "updated": show(p.updated_at)} for p in staff],
      empty="No staff on this agency's roster yet: import a roster file.")
st.caption(f"{len(staff)} people shown. Mobiles are masked on screen.")

running_out = [e for e in read(expiring_training) if e.agency_id == agency.id]
st.subheader(f"Training run out or running out within {EXPIRING_DAYS} days ({len(running_out)})")
table([{"name": e.name, "course": e.course, "current until": e.current_until.strftime("%d/%m/%Y"),
        "": "run out" if e.expired else ""} for e in running_out],
      empty="Everyone's recorded training is current for the next two months.")

if can_edit and staff:
    st.subheader("Correct one person")
    person = st.selectbox("Person", staff, format_func=lambda p: f"{p.name} ({p.staff_ref})")
    with st.form(f"edit_staff_{person.id}"):
        active = st.checkbox("Active (can be put on shifts)", value=person.active)
        mobile = st.text_input("Mobile (leave blank to keep)", placeholder=mask_mobile(person.mobile))
        role = st.text_input("Role", value=person.role)
        # Blank when none is recorded: 0.00 read as "may work no hours".
        hours = st.number_input("Maximum hours per week", min_value=0.0, max_value=168.0,
                                value=person.max_hours_per_week, step=0.5, placeholder="no limit recorded",
                                help="Blank leaves it as it is")
        level = st.selectbox("DBS level", [None, *DBS_LEVELS],
                             index=([None, *DBS_LEVELS].index(person.dbs_level)),
                             format_func=lambda v: "unchanged / none" if v is None else v)
        expiry = st.date_input("DBS expiry", value=person.dbs_expiry, format="DD/MM/YYYY")
        contact_by = st.radio("How a call-out reaches them", list(ContactBy), index=list(ContactBy).index(
            ContactBy(person.contact_by)), format_func=LABELS.__getitem__, horizontal=True,
            help=" · ".join(f"{LABELS[c]}: {MEANINGS[c]}" for c in ContactBy)
            + ". A call-out phones nobody unless the hub manager allows calls.")
        if st.form_submit_button("Save", type="primary"):
            saved = call(update_staff, person.id, active=active, mobile=mobile or None, role=role,
                         max_hours_per_week=hours or None, dbs_level=level, dbs_expiry=expiry,
                         contact_by=contact_by.value)
            if saved is not None:
                st.success(f"Saved {md(saved.name)}.")

if staff:
    st.subheader("Training")
    trained = st.selectbox("Whose training", staff, format_func=lambda p: f"{p.name} ({p.staff_ref})",
                           key="training_person")
    table([{"course": r.course, "completed": r.completed_on.strftime("%d/%m/%Y"),
            "current until": r.current_until.strftime("%d/%m/%Y")}
           for r in read(lambda s, a: training_of(s, a, trained.id))],
          empty="No training recorded (a roster's PFA date shows here).")
    if can_edit:
        with st.form(f"training_{trained.id}"):
            c1, c2, c3 = st.columns(3)
            course = c1.selectbox("Course", list(COURSES))
            done = c2.date_input("Completed on", value=None, format="DD/MM/YYYY")
            expires = c3.date_input("Expires on (if the certificate says)", value=None, format="DD/MM/YYYY",
                                    help="Blank: current for the course's refresher interval, "
                                    + ", ".join(f"{c} {months // 12} years" for c, months in COURSES.items()))
            if st.form_submit_button("Record the training", type="primary"):
                if call(record_training, trained.id, course, done, expires) is not None:
                    st.success(f"Recorded {md(course)} for {md(trained.name)}.")
