"""The after-action report (issue 16): per incident, the timeline of activations and stand-downs
against their authorising decisions, staffing asked and given per agency, time to the first hub shift
and to each call-out's quorum, referrals in time, people reached, screens done, complaints; md and
pdf; a disclosure with its recipient; Gold, the auditor and the commissioner's office make it."""

from __future__ import annotations

import random
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from faker import Faker
from sqlalchemy import text

from core.audit.model import AuditEvent
from core.auth.roles import PermissionDenied
from core.clock import london, now, show
from core.db import unit_of_work
from core.errors import InputError
from incident.activation_service import Authority, catalogue, move_activation, request_activation
from incident.decision_service import Decision, log_decision
from incident.lifecycle_service import declare_incident
from incident.team_service import assign_to_team
from notifications.model import CallOut
from pathways.complaint_service import answer_complaint, record_complaint
from pathways.demo_people import bulk_people
from rosters.assignment_service import assign
from rosters.contribution import Agreement
from rosters.contribution_service import record_contribution
from standup.after_action.export_service import export_after_action
from standup.after_action.report import build_after_action
from standup.cli import main
from tests import factories
from tests.infrastructure import require_pdftotext


@pytest.fixture
def built(db, frozen_clock, make_actor):
    """A live incident declared at the frozen time: a service requested on decision 1 and stood down
    on decision 2 four hours later; Victim Support agreed 2 people a day and gave one 8-hour shift
    starting 3 hours after the declaration; two call-outs (quorum in 40 and 90 minutes) and one that
    never reached it; 30 people; two complaints, one answered after 2 days."""
    gold, hub_manager, caseworker = make_actor("gold"), make_actor("hub_manager"), make_actor("caseworker")
    start = now()
    with unit_of_work(db.engine) as s:
        incident_id = declare_incident(s, gold, "Arena explosion", is_exercise=False, summary="",
                                       reason="M/ETHANE received").id
        first = log_decision(s, gold, incident_id, Decision(start, "Ch Supt Khan", "Stand up victim support",
                                                            "Hundreds affected")).id
        service_id = catalogue(s, gold)[0].id
    agency_id = factories.agency(db)
    with unit_of_work(db.engine) as s:
        activation = request_activation(s, gold, incident_id, service_id, agency_id, "", Authority(first)).id
        record_contribution(s, hub_manager, incident_id, agency_id,
                            Agreement(2, london(start).date(), london(start).date() + timedelta(days=1), "support"))
    hub_id = factories.hub(db, incident_id)
    shift = factories.requirement(db, incident_id, hub_id, start + timedelta(hours=3))
    factories.requirement(db, incident_id, hub_id, start + timedelta(hours=1))  # nobody on it: not the first staffed
    person = factories.staff(db, agency_id)
    with unit_of_work(db.engine) as s:
        assign(s, factories.SYSTEM, shift, person)
        for n, met in enumerate((40, 90, None)):
            s.add(CallOut(incident_id=incident_id, code=f"K7Q{'XYZ'[n]}", requirement_id=shift, template="",
                          quorum=1, wave_interval_minutes=5, reminder_after_minutes=10,
                          created_at=start + timedelta(hours=n), expires_at=start + timedelta(hours=n + 2),
                          quorum_met_at=None if met is None else start + timedelta(hours=n, minutes=met)))
        people = bulk_people(s, random.Random(5), Faker("en_GB"), incident_id, 30, start, key_worker_ids=[None])
    with unit_of_work(db.engine) as s:
        assign_to_team(s, gold, incident_id, caseworker.user_id)
        answered = record_complaint(s, caseworker, people[0], "Nobody called back").id
        record_complaint(s, caseworker, people[1], "Wrong name on the letter")
    frozen_clock.advance(timedelta(days=2))
    with unit_of_work(db.engine) as s:
        answer_complaint(s, caseworker, answered, "We apologised and called")
    frozen_clock.advance(timedelta(hours=4))
    with unit_of_work(db.engine) as s:
        second = log_decision(s, gold, incident_id, Decision(now(), "ACC Jones", "Stand the service down",
                                                             "Calls below five an hour")).id
        move_activation(s, gold, activation, "stood_down", "quiet", Authority(second))
    return incident_id, gold, start


def _expected_referrals(db, incident_id, at) -> dict[str, int]:
    rows = db.engine.connect().execute(text(
        "SELECT first_referred_at, referral_due_at FROM person WHERE incident_id = :i AND merged_into_id IS NULL"),
        {"i": incident_id}).all()
    def aware(v):
        return v if isinstance(v, datetime) and v.tzinfo else datetime.fromisoformat(str(v)).replace(tzinfo=UTC)
    found = {"People registered": len(rows), "Referred within the deadline": 0, "Referred late": 0,
             "Not referred, deadline passed": 0, "Not referred, deadline not yet passed": 0}
    for referred, due in rows:
        if referred is not None:
            found["Referred within the deadline" if aware(referred) <= aware(due) else "Referred late"] += 1
        else:
            found["Not referred, deadline passed" if aware(due) < at else "Not referred, deadline not yet passed"] += 1
    return found


def test_the_figures_match_the_built_incident(db, built):
    incident_id, gold, start = built
    with unit_of_work(db.engine) as s:
        r = build_after_action(s, gold, incident_id)
        screens = s.execute(text("SELECT count(*), sum(CASE WHEN positive THEN 1 ELSE 0 END) FROM screening "
                                 "WHERE incident_id = :i"), {"i": incident_id}).one()
    steps = [(t.what, t.step, t.authority) for t in r.timeline]
    service = steps[2][0]
    assert steps == [
        ("Incident", "standby", "opened"), ("Incident", "declared", "M/ETHANE received"),
        (service, "requested", f"authorised by entry 1 (Ch Supt Khan, decided {show(start)})"),
        (service, "stood down", f"authorised by entry 2 (ACC Jones, decided {show(start + timedelta(days=2, hours=4))})")]
    assert service.endswith("(Victim Support)")
    (line,) = r.staffing
    assert (line.agency, line.person_days_asked, line.given.shifts, line.given.hours, line.given.person_days) == (
        "Victim Support", 4, 1, 8.0, 1)
    assert r.figure("How quickly", "Time to the first hub shift staffed") == "3 h 00 min"
    assert [r.figure("How quickly", f) for f in ("Call-outs sent", "Call-outs that reached their quorum",
                                                 "Quickest call-out to quorum", "Median call-out to quorum",
                                                 "Slowest call-out to quorum")] == [3, 2, "0 h 40 min", "0 h 40 min",
                                                                                    "1 h 30 min"]
    assert {f.label: f.value for f in r.figures if f.section == "Victims' Code referrals"} == \
        _expected_referrals(db, incident_id, r.generated_at)
    assert r.figure("Victims' Code referrals", "People registered") == 30
    assert (r.figure("Screening", "Screens done"), r.figure("Screening", "Positive screens")) == (
        int(screens[0]), int(screens[1] or 0))
    assert [r.figure("Complaints", f) for f in ("Received", "Answered", "Not answered yet",
                                                "Median time to answer")] == [2, 1, 1, "2 days 0 h"]
    assert r.figure("People reached", "Invited by outreach") == 0


def test_md_and_pdf_read_back_and_each_is_a_disclosure_with_its_recipient(db, built, make_actor, tmp_path):
    require_pdftotext()
    incident_id, gold, _ = built
    scrutiny = make_actor("scrutiny")
    with unit_of_work(db.engine) as s:
        md = export_after_action(s, scrutiny, incident_id, "md", recipient=" Police and crime  panel ").decode()
        pdf = export_after_action(s, gold, incident_id, "pdf", recipient="Strategic coordinating group")
    assert md.startswith("# After-action report: Arena explosion\n\n**LIVE INCIDENT**")
    assert "for Police and crime panel" in md and "| Victim Support | 2 a day from" in md
    assert "| Time to the first hub shift staffed | 3 h 00 min |" in md
    assert "authorised by entry 2 (ACC Jones" in md
    assert pdf.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf)
    words = " ".join(subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                                    check=True).stdout.split())
    for expected in ("LIVE INCIDENT", "After-action report: Arena explosion", "Strategic coordinating group",
                     "authorised by entry 1 (Ch Supt Khan", "Victim Support", "Time to the first hub shift staffed",
                     "3 h 00 min", "Median time to answer", "2 days 0 h"):
        assert expected in words, expected
    with unit_of_work(db.engine) as s:
        events = [(e.action, e.recipient, e.incident_id)
                  for e in s.query(AuditEvent).filter_by(entity="after_action").order_by(AuditEvent.id)]
    assert events == [("export", "Police and crime panel", incident_id),
                                                    ("export", "Strategic coordinating group", incident_id)]


def test_who_may_make_it_and_what_is_refused(db, built, make_actor):
    incident_id, gold, _ = built
    auditor = make_actor("auditor")
    refused = [make_actor(role) for role in ("caseworker", "agency_coordinator", "admin", "advocate")]
    with unit_of_work(db.engine) as s:
        assert export_after_action(s, auditor, incident_id, "md", recipient="Internal audit")
        for actor in refused:
            with pytest.raises(PermissionDenied):
                export_after_action(s, actor, incident_id, "md", recipient="someone")
        with pytest.raises(InputError, match="No incident 999"):
            export_after_action(s, gold, 999, "pdf", recipient="the panel")
        with pytest.raises(InputError, match="Say who the after-action report is for"):
            export_after_action(s, gold, incident_id, "pdf", recipient="  ")
        with pytest.raises(InputError, match="Unknown report format 'csv'"):
            export_after_action(s, gold, incident_id, "csv", recipient="the panel")
        assert s.query(AuditEvent).filter_by(entity="after_action").count() == 1  # the auditor's alone


def test_the_command_writes_the_report_and_refuses_an_unknown_incident(db, built, tmp_path, capsys):
    incident_id, _, _ = built
    out = tmp_path / "aar.md"
    assert main(["after-action", "--incident", str(incident_id), "--recipient", "Police and crime panel",
                 "--output", str(out)]) == 0
    assert out.read_text().startswith("# After-action report: Arena explosion")
    assert main(["after-action", "--incident", "999", "--recipient", "the panel"]) == 1
    assert "No incident 999" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # the recipient is required: argparse's usage error
        main(["after-action", "--incident", str(incident_id)])
    assert usage.value.code == 2
    with unit_of_work(db.engine) as s:
        assert [(e.actor, e.recipient) for e in s.query(AuditEvent).filter_by(entity="after_action")] == [
            ("system:cli", "Police and crime panel")]
