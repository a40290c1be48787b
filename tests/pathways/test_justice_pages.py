"""The justice pages through Streamlit's AppTest: Gold enters milestones (a date is required), a
caseworker records from "my day" how each person was told (how is required), and a witness's care
details live on the person record."""

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from core.db import unit_of_work
from pathways.justice_service import NewMilestone, record_milestone
from pathways.model import InformTask, JusticeMilestone, WitnessCare
from pathways.vocabulary import InformMethod
from tests.page_text import as_read

JUSTICE, MY_DAY, PERSON = (f"pathways/pages/{n}.py" for n in ("justice", "my_day", "person"))


def _by_label(widgets, label):
    return next(w for w in widgets if w.label.startswith(label))


def _errors(at) -> str:
    return " | ".join(as_read(e.value) for e in at.error)


def _submit(at, label: str):
    return _by_label(at.button, label).click().run()


def test_gold_enters_a_charge_and_a_milestone_without_a_date_is_refused(app_as, db, frozen_clock, register, make_actor):
    register(mobile="")
    gold = make_actor("gold")
    at = app_as("gold", JUSTICE, actor=gold)
    assert not at.exception and at.title[0].value == "Justice process"
    assert "within 5 working days (1 for those with enhanced rights)" in at.caption[0].value
    _by_label(at.selectbox, "Milestone").set_value("charge")
    _by_label(at.text_area, "Details").input("Charged with murder")
    _submit(at, "Enter milestone")
    assert "Give the date of the charge" in _errors(at)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count(JusticeMilestone.id))) == 0
    _by_label(at.selectbox, "Milestone").set_value("charge")
    _by_label(at.date_input, "Date").set_value(date(2026, 11, 23))
    _submit(at, "Enter milestone")
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        "Charge entered: the people it concerns are on their support team's list to tell."]
    timeline = at.dataframe[0].value
    assert list(timeline["milestone"]) == ["Charge"] and list(timeline["people"]) == [1]
    assert list(timeline["overdue"]) == [0]


def test_gold_chooses_people_by_name(app_as, db, frozen_clock, register, make_actor):
    chosen = register(given_name="Nadia", mobile="")
    register(given_name="Omar", mobile="")
    at = app_as("gold", JUSTICE, actor=make_actor("gold"))
    at.radio(key="justice_audience").set_value("people").run()
    people = _by_label(at.multiselect, "People")
    assert people.options == [
        f"Nadia Khan (Survivor; record {chosen})", f"Omar Khan (Survivor; record {chosen + 1})"]
    people.set_value([chosen])
    _by_label(at.selectbox, "Milestone").set_value("arrest")
    _by_label(at.date_input, "Date").set_value(date(2026, 11, 23))
    _submit(at, "Enter milestone")
    assert not at.error
    with unit_of_work(db.engine) as s:
        assert s.scalars(select(InformTask.person_id)).all() == [chosen]


def test_a_caseworker_closes_an_overdue_inform_task_from_my_day_saying_how(
        app_as, db, frozen_clock, register, caseworker, make_actor, incident_id):
    pid = register(given_name="Mina", mobile="", key_worker_id=caseworker.user_id)  # enhanced: 1 working day
    with unit_of_work(db.engine) as s:
        record_milestone(s, make_actor("gold"), incident_id, NewMilestone("charge", date(2026, 11, 23)))
    frozen_clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # Tuesday 24th has ended
    at = app_as("caseworker", MY_DAY, actor=caseworker)
    assert not at.exception
    assert any(h.value == "People to tell of the justice process (1)" for h in at.subheader)
    assert "1 past the Victims' Code time" in _errors(at)
    assert any("Mina Khan** — Charge, 23 Nov 2026, tell by Tue 24 Nov 2026 23:59 — **OVERDUE**" in m.value
               for m in at.markdown)
    _submit(at, "Record as told")
    assert "Say how they were told" in _errors(at)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(InformTask.closed_at)) is None
    _by_label(at.selectbox, "How they were told").set_value(InformMethod.PHONE)
    _by_label(at.text_area, "Note").input("She will come to the first hearing")
    _submit(at, "Record as told")
    assert not at.exception
    assert [s.value for s in at.success] == ["Recorded as told: Mina Khan — Charge, 23 Nov 2026."]
    assert any(h.value == "People to tell of the justice process (0)" for h in at.subheader)
    with unit_of_work(db.engine) as s:
        task = s.scalar(select(InformTask))
        assert (task.person_id, task.method, task.told_on, task.told_late) == (pid, "phone", date(2026, 11, 25), True)


def test_the_person_record_shows_what_to_tell_court_dates_and_keeps_witness_care(
        app_as, db, frozen_clock, register, caseworker, make_actor, incident_id):
    pid = register(roles=["witness"], mobile="")
    with unit_of_work(db.engine) as s:
        record_milestone(s, make_actor("gold"), incident_id,
                         NewMilestone("first_hearing", date(2026, 11, 24), "Manchester Magistrates' Court, 10:00"))
    at = app_as("caseworker", PERSON, actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "justice update"}, person_tab="Justice")
    assert not at.exception
    to_tell, court = (d.value for d in at.dataframe)  # "Told" has nothing yet: a line, not a grid
    assert list(to_tell["milestone"]) == ["First hearing, 24 Nov 2026"]
    assert "Not told of anything yet." in [c.value for c in at.caption]
    assert list(court["details"]) == ["Manchester Magistrates' Court, 10:00"]
    _by_label(at.text_input, "Witness care officer").input("PC Sam Okoro")
    _by_label(at.multiselect, "Special measures needed").set_value(["screens", "live_link"])
    _by_label(at.multiselect, "Special measures requested").set_value(["screens"])
    _submit(at, "Save witness care")
    assert "Say when the special measures were requested" in _errors(at)
    _by_label(at.date_input, "Requested on").set_value(date(2026, 11, 23))
    _submit(at, "Save witness care")
    assert not at.exception and [s.value for s in at.success] == ["Witness care saved."]
    with unit_of_work(db.engine) as s:
        care = s.get(WitnessCare, pid)
        assert (care.officer, care.measures_needed, care.measures_requested) == ("PC Sam Okoro", "screens,live_link",
                                                                                 "screens")
