"""Victims' Code compliance (standup.compliance): a live incident built through the services, whose
every figure is known, beside an exercise that must not leak in; the report in its four formats
with small numbers suppressed; `standup compliance`'s refusals and exit codes; each reading and each
disclosure audited; the JSON's keys as README documents them; and the demo, where every measured
right prints with its counts and no figure below 5 shows."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from incident.lifecycle_service import open_incident
from pathways.complaint_service import answer_complaint, record_complaint
from pathways.compliance_rules import RIGHT_KEYS
from pathways.consent_service import record_consent
from pathways.equality_service import record_communication_met, save_equality_monitoring
from pathways.justice_service import NewMilestone, close_inform_task, record_milestone
from pathways.model import IncidentServiceArea, InformTask, Person
from pathways.needs_service import assess_needs
from pathways.referral_service import refer
from pathways.registration_service import NewPerson, register_person
from standup.cli import main
from standup.compliance.export import export_compliance
from standup.compliance.render import FORMATS, SCHEMA_VERSION
from standup.compliance.report import compliance_report
from standup.compliance.small_numbers import SECONDARY, SUPPRESSED
from standup.demo import build_demo
from tests import factories
from tests.infrastructure import ROOT, require_pdftotext

SYSTEM = Actor.system("test")
F, S = SUPPRESSED, SECONDARY


def _live_incident(db, frozen_clock) -> int:
    """15 people registered on Monday 23 November 2026 (T0) in a live incident; an exercise with 5
    more. Referrals: 10 in time, 3 late, 2 never. Needs assessed: 6. Interpreter needed: 6, given to 5.
    A charge told to 11 in time, 4 never. 6 complaints, 5 answered in time, 1 never. The report is
    read 40 days on, every deadline past."""
    agency_id = factories.agency(db, "Victim Support")
    with unit_of_work(db.engine) as s:
        live = open_incident(s, SYSTEM, "Deansgate", is_exercise=False).id
        exercise = open_incident(s, SYSTEM, "Exercise Lantern", is_exercise=True).id
        s.add(IncidentServiceArea(incident_id=live, force_area="Greater Manchester"))
        people = [register_person(s, SYSTEM, live, NewPerson(
            f"Person{i}", "Deansgate", ["survivor"], "reception_centre", date_of_birth=date(1980 + i, 1, 1),
            interpreter_needed=i < 6)).id for i in range(15)]
        for i in range(5):
            register_person(s, SYSTEM, exercise, NewPerson(f"Drill{i}", "Lantern", ["survivor"], "reception_centre"))
        for i, pid in enumerate(people):
            record_consent(s, SYSTEM, pid, "referral", given=True, lawful_basis="consent")
            save_equality_monitoring(s, SYSTEM, pid, sex="female" if i % 2 == 0 else "male",
                                     ethnic_group="white_british" if i < 10 else "asian_pakistani" if i < 13 else None,
                                     disability="yes" if i < 5 else "no")
    frozen_clock.advance(timedelta(hours=1))
    with unit_of_work(db.engine) as s:
        for pid in people[:10]:
            refer(s, SYSTEM, pid, agency_id, "Needs assessment")
        for pid in people[:6]:
            assess_needs(s, SYSTEM, pid, ["emotional"], "low")
        complaints = [record_complaint(s, SYSTEM, pid, "Nobody rang back.").id for pid in people[:6]]
        record_milestone(s, SYSTEM, live, NewMilestone("charge", date(2026, 11, 23)))
    frozen_clock.advance(timedelta(days=1))
    with unit_of_work(db.engine) as s:
        for pid in people[:5]:
            record_communication_met(s, SYSTEM, pid)
        for cid in complaints[:5]:
            answer_complaint(s, SYSTEM, cid, "We are sorry.")
        tasks = s.scalars(select(InformTask.id).where(InformTask.person_id.in_(people[:11]))).all()
        for task_id in tasks:
            close_inform_task(s, SYSTEM, task_id, method="phone")
    frozen_clock.advance(timedelta(days=3))  # Friday: the referral deadline (Wednesday) has passed
    with unit_of_work(db.engine) as s:
        for pid in people[10:13]:
            refer(s, SYSTEM, pid, agency_id, "Needs assessment")
    frozen_clock.advance(timedelta(days=36))
    return live


def _overall(report) -> dict[str, tuple]:
    return {f.right.key: (f.overall.eligible, f.overall.met, f.overall.missed, f.overall.pending, f.overall.rate)
            for f in report.rights}


def _line(report, right: str, breakdown: str, group: str) -> tuple:
    line = next(line for f in report.rights if f.right.key == right for line in f.breakdowns[breakdown]
                if line.group == group)
    return line.eligible, line.met, line.missed, line.pending, line.rate


def test_every_measured_right_is_counted_from_what_was_done_and_small_numbers_are_hidden(
        db, frozen_clock, make_actor):
    _live_incident(db, frozen_clock)
    scrutiny = make_actor("scrutiny")
    with unit_of_work(db.engine) as s:
        report = compliance_report(s, scrutiny)
    assert report.is_exercise is False and [name for _, name in report.incidents] == ["Deansgate"]
    assert _overall(report) == {
        "right_1": (6, S, 0, F, S),  # 1 still waiting: hidden, and the 5 met with it
        "right_4_referral": (15, 10, 5, 0, 66.7),
        # 6 met, 9 pending; but 2 people are 45 or over (both met): hiding their row's figures leaves
        # the 25-44 row's 9 pending alone in its column, equal to the whole right's, so that goes too.
        "right_4_needs_assessment": (15, S, 0, S, S),
        "right_6": (15, S, F, 0, S),  # 4 never told
        "right_12": (6, S, F, 0, S),  # 1 never answered
        "enhanced_rights": (15, 15, 0, 0, 100.0),
    }
    # Women: 5 referred in time, 3 late or never; men 5 and 2. Each row hides its "fewer than 5" and,
    # so that its total cannot give it away, the next-smallest figure.
    assert _line(report, "right_4_referral", "sex", "female") == (8, S, F, 0, S)
    assert _line(report, "right_4_referral", "sex", "male") == (7, S, F, 0, S)
    assert _line(report, "right_4_referral", "sex", "not recorded") == (0, 0, 0, 0, None)
    assert _line(report, "right_4_referral", "ethnicity", "White") == (10, 10, 0, 0, 100.0)
    assert _line(report, "right_4_referral", "ethnicity", "Asian, Asian British or Asian Welsh")[0] == F
    assert _line(report, "right_4_referral", "ethnicity", "not recorded")[0] == F
    assert _line(report, "right_4_needs_assessment", "disability", "yes") == (5, 5, 0, 0, 100.0)
    assert _line(report, "right_4_needs_assessment", "age_band", "45 to 64") == (F, F, 0, 0, S)  # born 1980, 1981
    assert _line(report, "right_4_needs_assessment", "age_band", "25 to 44") == (S, F, 0, S, S)
    assert _line(report, "right_4_referral", "month", "2026-11") == (15, 10, 5, 0, 66.7)
    assert _line(report, "right_4_referral", "incident", "Deansgate") == (15, 10, 5, 0, 66.7)
    assert any("secondary suppression" in note for note in report.notes)


def test_a_period_counts_only_the_rights_that_arose_in_it_and_fills_every_month(db, frozen_clock, make_actor):
    _live_incident(db, frozen_clock)
    gold, auditor = make_actor("gold"), make_actor("auditor")
    with unit_of_work(db.engine) as s:
        later = compliance_report(s, gold, None, date(2026, 11, 24), date(2027, 1, 31))
        both = compliance_report(s, auditor, None, date(2026, 11, 1), date(2027, 1, 31))
    assert {k: v[0] for k, v in _overall(later).items()} == dict.fromkeys(RIGHT_KEYS, 0)
    assert [line.group for line in both.rights[1].breakdowns["month"]] == ["2026-11", "2026-12", "2027-01"]
    assert _line(both, "right_4_referral", "month", "2026-12") == (0, 0, 0, 0, None)


def test_an_exercise_is_reported_only_when_named_or_when_there_is_no_live_incident(db, frozen_clock, make_actor):
    _live_incident(db, frozen_clock)
    scrutiny = make_actor("scrutiny")
    with unit_of_work(db.engine) as s:
        exercise = s.scalar(select(Person.incident_id).where(Person.family_name == "Lantern").limit(1))
        report = compliance_report(s, scrutiny, exercise)
    assert report.is_exercise and report.marking == "EXERCISE"
    assert _overall(report)["right_4_referral"][:2] == (5, 0)


def test_a_victim_who_opted_out_of_referral_is_no_referral_case_unless_referred_before(db, frozen_clock, make_actor):
    agency_id = factories.agency(db, "Victim Support")
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, SYSTEM, "Deansgate", is_exercise=False).id
        people = [register_person(s, SYSTEM, incident_id, NewPerson(f"P{i}", "Opt", ["survivor"], "hospital")).id
                  for i in range(7)]
        for pid in people[:6]:
            record_consent(s, SYSTEM, pid, "referral", given=True, lawful_basis="consent")
        for pid in people[:6]:
            refer(s, SYSTEM, pid, agency_id, "Needs assessment")
        record_consent(s, SYSTEM, people[5], "referral", given=False, lawful_basis="consent")  # after referral
        record_consent(s, SYSTEM, people[6], "referral", given=False, lawful_basis="consent")  # never referred
    frozen_clock.advance(timedelta(days=10))
    scrutiny = make_actor("scrutiny")
    with unit_of_work(db.engine) as s:
        assert _overall(compliance_report(s, scrutiny))["right_4_referral"] == (6, 6, 0, 0, 100.0)


def test_an_end_before_the_start_and_an_unknown_incident_are_refused_with_the_reason(db, make_actor):
    scrutiny = make_actor("scrutiny")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match=r"ends \(01/11/2026\) before it starts"):
        compliance_report(s, scrutiny, None, date(2026, 12, 1), date(2026, 11, 1))
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="No incident 404"):
        compliance_report(s, scrutiny, 404)


@pytest.mark.parametrize("role", ["caseworker", "hub_manager", "agency_coordinator", "admin", "advocate"])
def test_the_figures_are_refused_to_the_roles_that_do_not_hold_the_force_to_account(db, make_actor, role):
    actor = make_actor(role)
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied):
        compliance_report(s, actor)
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied):
        export_compliance(s, actor, "md", recipient="PCC")


def test_each_reading_is_audited_once_and_each_report_taken_away_names_its_recipient(db, frozen_clock, make_actor):
    _live_incident(db, frozen_clock)
    scrutiny = make_actor("scrutiny")
    for _ in range(2):  # a page's redraw is the same reading
        with unit_of_work(db.engine) as s:
            compliance_report(s, scrutiny, None, date(2026, 11, 1), None)
    with unit_of_work(db.engine) as s:
        export_compliance(s, scrutiny, "csv", recipient="  Police and  Crime Panel ", start=date(2026, 11, 1))
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="Say who the compliance report is for"):
        export_compliance(s, scrutiny, "csv", recipient=" ")
    with unit_of_work(db.engine) as s:
        events = [(e.action, e.entity, e.entity_id, e.recipient) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "compliance").order_by(AuditEvent.id))]
    assert events == [("view", "compliance", "all 2026-11-01..", ""),
                      ("export", "compliance", "all 2026-11-01..", "Police and Crime Panel")]


def test_equality_answers_are_encrypted_at_rest_refused_when_unknown_and_audited_by_field_name(db, frozen_clock):
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, SYSTEM, "Deansgate", is_exercise=False).id
        pid = register_person(s, SYSTEM, incident_id, NewPerson("Ama", "Mensah", ["survivor"], "hospital")).id
        save_equality_monitoring(s, SYSTEM, pid, sex="female", ethnic_group="black_african", disability="yes")
    with unit_of_work(db.engine) as s:
        raw = s.execute(text("SELECT sex, ethnic_group, disability FROM person WHERE id = :id"), {"id": pid}).one()
        assert not {"female", "black_african", "yes"} & set(raw)
        person = s.get(Person, pid)
        assert (person.sex, person.ethnic_group, person.disability) == ("female", "black_african", "yes")
        detail = s.scalars(select(AuditEvent.detail).where(AuditEvent.entity == "person")
                           .order_by(AuditEvent.id.desc())).first()
        assert detail == "equality monitoring; fields: sex, ethnic_group, disability"
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="Unknown ethnic group"):
        save_equality_monitoring(s, SYSTEM, pid, sex="", ethnic_group="British", disability="")
    with unit_of_work(db.engine) as s:
        save_equality_monitoring(s, SYSTEM, pid, sex="", ethnic_group=None, disability="prefer_not_to_say")
    with unit_of_work(db.engine) as s:
        person = s.get(Person, pid)
        assert (person.sex, person.ethnic_group, person.disability) == (None, None, "prefer_not_to_say")


def test_communication_needs_met_only_for_a_need_and_never_in_the_future(db, frozen_clock):
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, SYSTEM, "Deansgate", is_exercise=False).id
        plain = register_person(s, SYSTEM, incident_id, NewPerson("Ann", "Lee", ["survivor"], "hospital")).id
        needs = register_person(s, SYSTEM, incident_id, NewPerson("Piotr", "Nowak", ["survivor"], "hospital",
                                                                  easy_read=True)).id
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="No interpreter or easy-read need"):
        record_communication_met(s, SYSTEM, plain)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="in the future"):
        record_communication_met(s, SYSTEM, needs, date(2026, 11, 24))
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="before this person was registered"):
        record_communication_met(s, SYSTEM, needs, date(2026, 11, 22))
    with unit_of_work(db.engine) as s:
        assert record_communication_met(s, SYSTEM, needs).communication_met_on == date(2026, 11, 23)


# --- `standup compliance` ---------------------------------------------------------------------------

def test_cli_writes_each_format_and_the_pdf_reads_back(db, frozen_clock, tmp_path, capsys):
    _live_incident(db, frozen_clock)
    for fmt in FORMATS:
        out = tmp_path / f"compliance.{fmt}"
        assert main(["compliance", "--format", fmt, "--output", str(out), "--recipient", "PCC office"]) == 0
        assert out.stat().st_mode & 0o777 == 0o600
    assert f"written to {tmp_path / 'compliance.pdf'}" in capsys.readouterr().err
    rows = list(csv.reader(io.StringIO((tmp_path / "compliance.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["right", "breakdown", "group", "eligible", "met", "missed", "pending", "rate_met_percent"]
    assert ["right_4_referral", "all", "all", "15", "10", "5", "0", "66.7"] in rows
    assert ["right_1", "all", "all", "6", S, "0", F, S] in rows
    require_pdftotext()
    flat = " ".join(subprocess.run(["pdftotext", str(tmp_path / "compliance.pdf"), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Victims' Code compliance" in flat and "for PCC office" in flat and "LIVE INCIDENTS" in flat
    for title in ("Right 1: to understand and be understood", "Right 4: referral to support services",
                  "Right 4: a needs assessment", "Right 6: information about the investigation",
                  "Right 12: to make a complaint", "Enhanced rights assessed", "By ethnic group (ONS 2021)"):
        assert title in flat
    assert "fewer than 5" in flat and "66.7%" in flat


def test_cli_refuses_an_end_before_the_start_an_unknown_incident_and_a_bad_date(db, capsys):
    assert main(["compliance", "--from", "2026-12-01", "--to", "2026-11-01", "--recipient", "PCC"]) == 1
    assert "ends (01/11/2026) before it starts (01/12/2026)" in capsys.readouterr().err
    assert main(["compliance", "--incident", "77", "--recipient", "PCC"]) == 1
    assert "No incident 77" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["compliance", "--from", "1 December", "--recipient", "PCC"])
    assert usage.value.code == 2 and "write it as YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["compliance"])  # the recipient is required: every disclosure names it
    assert usage.value.code == 2


def _documented_keys() -> set[str]:
    """The JSON keys README's "Victims' Code compliance (JSON)" section lists, as `key` in its table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Victims' Code compliance (JSON)", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return set(re.findall(r"^\| `([a-z_.<>\[\]]+)` \|", section, flags=re.MULTILINE))


def _keys(value, prefix: str = "") -> set[str]:
    """Every key path of the document; the breakdowns, which share one shape, as `<breakdown>`."""
    if isinstance(value, dict):
        named = {("<breakdown>" if prefix == "rights[].by." else key): v for key, v in value.items()}
        return {k for key, v in named.items() for k in ({prefix + key} | _keys(v, prefix + key + "."))}
    if isinstance(value, list) and value:
        return _keys(value[0], prefix.removesuffix(".") + "[].")
    return set()


def test_the_json_has_the_schema_readme_documents(db, frozen_clock, capsysbinary):
    _live_incident(db, frozen_clock)
    assert main(["compliance", "--format", "json", "--recipient", "PCC"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert _keys(data) == _documented_keys()
    assert [r["key"] for r in data["rights"]] == list(RIGHT_KEYS)
    assert list(data["rights"][0]["by"]) == ["month", "age_band", "sex", "ethnicity", "disability", "incident"]


def _shown_counts(data: dict) -> list:
    lines = [r["overall"] for r in data["rights"]] + [line for r in data["rights"] for lines in r["by"].values()
                                                      for line in lines]
    return [line[m] for line in lines for m in ("eligible", "met", "missed", "pending")]


def test_on_the_demo_every_measured_right_prints_with_counts_and_no_figure_below_5_shows(db, capsysbinary):
    build_demo(db.engine, seed=11)
    assert main(["compliance", "--recipient", "PCC office"]) == 0
    markdown = capsysbinary.readouterr().out.decode()
    overview = markdown.split("## Every measured right", 1)[1].split("\n## ", 1)[0]
    for title in ("Right 1: to understand and be understood", "Right 4: referral to support services",
                  "Right 4: a needs assessment", "Right 6: information about the investigation",
                  "Right 12: to make a complaint", "Enhanced rights assessed"):
        row = next(line for line in overview.splitlines() if line.startswith(f"| {title} |"))
        eligible = row.split("|")[2].strip()
        assert eligible.isdigit() and int(eligible) >= 5, row  # each right has cases to count
    assert re.search(r"\| \d+\.\d%", overview)  # rates, where they can be shown
    assert main(["compliance", "--format", "json", "--recipient", "PCC office"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert data["exercise"] is True
    counts = _shown_counts(data)
    assert not [n for n in counts if isinstance(n, int) and 0 < n < 5]
    assert F in counts  # the demo is small: some groups are hidden
    for r in data["rights"]:
        for line in [r["overall"], *(line for lines in r["by"].values() for line in lines)]:
            if F in (line["met"], line["missed"]):
                assert line["rate_met_percent"] == S  # a rate from a hidden count is hidden too, never "fewer than 5"



# --- The Compliance page ----------------------------------------------------------------------------

PAGE = "standup/pages/compliance.py"


def test_the_page_shows_every_right_and_its_breakdowns_and_refuses_a_period_ending_before_it_starts(
        app_as, db, frozen_clock):
    _live_incident(db, frozen_clock)
    at = app_as("scrutiny", PAGE)
    assert not at.exception and not at.error
    overview = at.dataframe[0].value
    assert len(overview) == len(RIGHT_KEYS)
    referral = overview[overview["right"] == "Right 4: referral to support services"].iloc[0]
    assert (referral["eligible"], referral["met"], referral["missed"], referral["rate met"]) == ("15", "10", "5",
                                                                                                 "66.7%")
    at.radio(key="compliance_breakdown").set_value("sex").run()
    by_sex = at.dataframe[2].value  # the second right's (referral) breakdown
    assert list(by_sex["sex"]) == ["female", "male", "prefer not to say", "not recorded"]
    assert list(by_sex["met"]) == [S, S, "0", "0"] and list(by_sex["missed"]) == [F, F, "0", "0"]
    feedback = at.dataframe[-1].value  # victims' feedback last: none sent here, the period's months listed
    assert list(feedback["month"]) == ["all", "2026-11"] and set(feedback["offered"]) == {"0"}
    at.date_input(key="compliance_from").set_value(date(2026, 12, 1))
    at.date_input(key="compliance_to").set_value(date(2026, 11, 1)).run()
    assert [e.value for e in at.error] == ["The period ends \\(01/11/2026\\) before it starts \\(01/12/2026\\): give "
                                           "an end on or after the start\\."]


def test_the_page_reading_is_audited_and_the_report_taken_away_names_its_recipient(app_as, db, frozen_clock):
    _live_incident(db, frozen_clock)
    at = app_as("scrutiny", PAGE)
    at.text_input[0].input("Police and Crime Panel")
    at.button(key="FormSubmitter:compliance_report-Make the report").click().run()
    assert not at.exception and not at.error
    assert at.session_state["compliance_made"][1].startswith(b"%PDF")
    with unit_of_work(db.engine) as s:
        events = [(e.action, e.role, e.recipient) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "compliance").order_by(AuditEvent.id))]
    assert events == [("view", "scrutiny", ""), ("export", "scrutiny", "Police and Crime Panel")]


def test_an_incident_name_is_text_in_every_format(db, frozen_clock):
    script, formula = "<script>alert(1)</script>", "=HYPERLINK(\"http://x\",\"y\")"
    with unit_of_work(db.engine) as s:
        open_incident(s, SYSTEM, f"{formula} | [x](javascript:alert(1)) {script}", is_exercise=True)
    with unit_of_work(db.engine) as s:
        markdown = export_compliance(s, SYSTEM, "md", recipient="PCC").decode()
        rows = list(csv.reader(io.StringIO(export_compliance(s, SYSTEM, "csv", recipient="PCC").decode())))
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown)
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]
    assert any(row[1] == "incident" and row[2].startswith("'=HYPERLINK") for row in rows)
