"""The situation report as a briefing: every risk the figures show is said under Risks; the order
Gold reads it out (M/ETHANE, risks, decisions, hubs and command, figures, trends) in every format;
the PDF's first page carries the header, M/ETHANE, the risks and the decisions, and every page the
exercise or live marking; counts with nothing to report fold into one line; each count's change
since the last report, measured against the counts that report recorded in the audit trail."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest

from core.agencies.service import agency_named
from core.audit.service import record
from core.auth.roles import Actor
from core.clock import now
from core.db import unit_of_work
from incident.command_service import assign_commander, hand_over
from notifications.model import OutboundStatus
from standup.sitrep.briefing import figure_groups
from standup.sitrep.figures import build_sitrep, export_sitrep, risks_from
from standup.sitrep.render import to_csv, to_json, to_markdown, to_pdf
from standup.sitrep.report import Decision, Figure, PreviousReport, Sitrep
from standup.sitrep.trends import Trends
from tests import factories
from tests.infrastructure import require_pdftotext

# Every figure that is a risk when it is not 0, and words its risk must carry: written out here,
# not read from the code under test, so a risk dropped from the report fails its case.
RISK_FIGURES = (
    ("Safety", "No duty clinician named", "No duty clinician named"),
    ("Safety", "Urgent safety alerts not acknowledged", "urgent safety alert"),
    ("Safety", "Urgent safety alerts escalated (not acknowledged in time)", "escalated"),
    ("Victims' Code", "Referrals overdue (deadline passed, not referred)", "Victims' Code referral deadline"),
    ("Justice process", "Inform tasks overdue (person not told within the Victims' Code time)",
     "not told of a justice milestone"),
    ("Staffing, next 24 hours", "Shifts not fully staffed", "not fully staffed"),
    ("Messages", "Text messages failed or undelivered", "failed or undelivered"),
    ("Messages", "Text messages to check by hand (send interrupted)", "interrupted mid-send"),
    ("Screening", "Screenings overdue (more than 7 days late)", "overdue by more than 7 days"),
    ("Screening", "Positive screens awaiting a clinician", "awaiting a clinician"),
)
AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _zeros() -> list[Figure]:
    """A report's counts with nothing wrong: the risk figures and the others beside them at 0."""
    return [Figure("People", "People registered", 0), Figure("People", "Open cases", 0),
            *(Figure(section, label, 0) for section, label, _ in RISK_FIGURES),
            Figure("Staffing, next 24 hours", "Places open", 0)]


def _with(figures: list[Figure], section: str, label: str, value: int) -> list[Figure]:
    return [Figure(f.section, f.label, value) if (f.section, f.label) == (section, label) else f for f in figures]


def _report(figures, *, risks=None, **changes) -> Sitrep:
    values = dict(
        incident_id=1, incident_name="Arena", is_exercise=False, status="response", generated_at=AT, declared_at=AT,
        figures=tuple(figures), risks=risks_from(list(figures)) if risks is None else risks,
        methane=(("M — Major incident", "Declared"), ("E — Exact location", "Arena foyer")),
        decisions=(Decision(AT, "Gold", "Open the reception centre", "People at the scene", sequence=1),),
        recipient="strategic coordinating group",
    )
    return Sitrep(**(values | changes))


def _pdf_pages(pdf: bytes, tmp_path, *, layout: bool = False) -> list[str]:
    """The PDF's text page by page; `layout` keeps a row of figures (label, value, change) on one line."""
    require_pdftotext()
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def _flat(text: str) -> str:
    return " ".join(text.split())


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) + len(start):text.index(end, text.index(start))]


def test_nothing_at_risk_says_so():
    assert risks_from(_zeros()) == ()


@pytest.mark.parametrize(("section", "label", "said"), RISK_FIGURES)
def test_every_risk_figure_above_zero_is_said_under_risks_in_every_format(section, label, said, tmp_path):
    figures = _with(_zeros(), section, label, 1)  # no open cases: a missing duty clinician is a risk all the same
    (risk,) = risks_from(figures)
    assert said in risk
    report = _report(figures)
    assert said in _between(to_markdown(report), "## Risks", "## Decisions")
    assert said in json.loads(to_json(report))["risks"][0]
    assert ["Risks", "risk", risk, ""] in list(csv.reader(io.StringIO(to_csv(report))))
    first = _flat(_pdf_pages(to_pdf(report), tmp_path)[0])
    assert _flat(risk) in _between(first, "Risks", "Decisions")


@pytest.mark.parametrize(("section", "label", "said"), [r for r in RISK_FIGURES if r[1] != "No duty clinician named"])
def test_a_risk_says_how_many(section, label, said):
    (risk,) = risks_from(_with(_zeros(), section, label, 1_234))
    assert risk.startswith("1,234 ") and said in risk


def test_every_risk_figure_at_once_is_said_once_each():
    figures = _zeros()
    for section, label, _ in RISK_FIGURES:
        figures = _with(figures, section, label, 1)
    risks = risks_from(figures)
    assert len(risks) == len(RISK_FIGURES)
    assert all(sum(said in risk for risk in risks) >= 1 for _, _, said in RISK_FIGURES)
    assert risks[0].startswith("No duty clinician named")  # safety first


def test_a_new_incident_with_no_duty_clinician_names_it_as_a_risk(db, frozen_clock, make_actor):
    """The figure the issue found beside "Risks: none flagged"; and the list above is the report's."""
    incident_id = factories.incident(db, "Live", is_exercise=False)
    with unit_of_work(db.engine) as s:
        report = build_sitrep(s, make_actor("gold"), incident_id)
    labels = {(f.section, f.label) for f in report.figures}
    assert {(section, label) for section, label, _ in RISK_FIGURES} <= labels
    assert report.value("Safety", "No duty clinician named") == 1 and report.value("People", "Open cases") == 0
    assert report.risks == ("No duty clinician named: urgent safety alerts are texted to nobody",)


def test_the_pdf_first_page_carries_the_header_methane_risks_and_decisions(db, frozen_clock, two_incidents,
                                                                          make_actor, tmp_path):
    two = two_incidents()
    gold = make_actor("gold")
    with unit_of_work(db.engine) as s:
        report = build_sitrep(s, gold, two.exercise_id)
        pdf = export_sitrep(s, gold, two.exercise_id, "pdf", recipient="Cabinet Office briefing")
    assert report.methane and report.risks and report.decisions  # the demo has each
    pages = _pdf_pages(pdf, tmp_path)
    first = _flat(pages[0])
    assert "Situation report: " in first and "generated " in first and "for Cabinet Office briefing" in first
    methane = _between(first, "M/ETHANE now", "Risks")
    assert all(_flat(text) in methane for _, text in report.methane)
    risks = _between(first, "Risks", "Decisions")
    assert all(_flat(risk) in risks for risk in report.risks)
    decisions = first[first.index("Decisions"):]
    assert f"1. {report.decisions[0].decision}" in decisions
    assert first.index("M/ETHANE now") < first.index("Risks") < first.index("Decisions")
    assert len(pages) > 1 and all("EXERCISE — EXERCISE — EXERCISE" in page for page in pages)
    with unit_of_work(db.engine) as s:
        live_pages = _pdf_pages(export_sitrep(s, gold, two.live_id, "pdf", recipient="SCG"), tmp_path)
    assert all("LIVE INCIDENT" in page and "EXERCISE" not in page for page in live_pages)


def test_every_format_follows_the_briefing_order(db, frozen_clock, two_incidents, make_actor):
    two = two_incidents()
    gold = make_actor("gold")
    with unit_of_work(db.engine) as s:
        made = {fmt: export_sitrep(s, gold, two.exercise_id, fmt, recipient="SCG").decode()
                for fmt in ("md", "json", "csv")}
    markdown = made["md"]
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert [h.split(" (")[0].split(" since")[0] for h in headings] == [
        "## M/ETHANE now", "## Risks", "## Decisions", "## Hubs and command", "## Figures", "## Trends"]
    assert list(json.loads(made["json"])) == [
        "incident", "generated_at", "recipient", "methane", "risks", "decisions_since", "decisions", "decision_log",
        "hubs", "command", "handovers", "figures", "changes", "previous_report", "trends"]
    sections = list(dict.fromkeys(row[0] for row in list(csv.reader(io.StringIO(made["csv"])))[1:]))
    order = [s.split(" (")[0].split(" since")[0] for s in sections]
    assert order[:7] == ["M/ETHANE now", "Risks", "Decisions", "Decision log", "Hubs", "Command", "Handovers"]
    assert order[7] == "People" and order[-1].startswith("Trend: ")


def test_hubs_commanders_and_the_handovers_since_the_last_report(db, frozen_clock, two_incidents, make_actor):
    two = two_incidents()
    gold = make_actor("gold")
    with unit_of_work(db.engine) as s:
        police = agency_named(s, "Greater Manchester Police").id
        first = assign_commander(s, gold, two.live_id, police, "tactical", "Supt A. Early").id
        assign_commander(s, gold, two.live_id, police, "strategic", "Ch Supt B. Gold")
    frozen_clock.advance(timedelta(minutes=5))
    with unit_of_work(db.engine) as s:
        second = hand_over(s, gold, first, "Supt C. Middle", now(), "Before the last report").incoming_id
        export_sitrep(s, gold, two.live_id, "md", recipient="SCG")
    frozen_clock.advance(timedelta(hours=1))
    with unit_of_work(db.engine) as s:
        hand_over(s, gold, second, "Supt D. Late", now() - timedelta(minutes=2), "Cordon reduced; hub open 24 h")
        report = build_sitrep(s, gold, two.live_id)
    assert [(c.level, c.name) for c in report.command] == [("Strategic (Gold)", "Ch Supt B. Gold"),
                                                           ("Tactical (Silver)", "Supt D. Late")]
    (handover,) = report.handovers  # the one recorded before the last report was in that report
    assert (handover.outgoing, handover.incoming, handover.briefing) == (
        "Supt C. Middle", "Supt D. Late", "Cordon reduced; hub open 24 h")
    (hub,) = report.hubs
    # The shift under way needs 2 and has 1 (one withdrew); the later one needs 3 and has 1.
    assert (hub.name, hub.on_shift_now, hub.needed_now, hub.shifts_short_24h, hub.places_open_24h) == (
        "Deansgate reception centre", 1, 2, 2, 3)
    markdown = to_markdown(report)
    section = _between(markdown, "## Hubs and command", "## Figures")
    assert "Deansgate reception centre" in section and "on shift now 1 of 2" in section
    assert "Before the last report" not in section
    assert "Supt C. Middle to Supt D. Late. Briefing: Cordon reduced; hub open 24 h" in section


def test_each_count_shows_its_change_since_the_counts_the_last_report_recorded(db, frozen_clock, two_incidents,
                                                                              make_actor, tmp_path):
    two = two_incidents()
    gold = make_actor("gold")
    with unit_of_work(db.engine) as s:
        export_sitrep(s, gold, two.live_id, "pdf", recipient="SCG")
    made_at = now()
    frozen_clock.advance(timedelta(minutes=10))
    with unit_of_work(db.engine) as s:  # the same meeting's next format: not yet "the last report"
        assert build_sitrep(s, gold, two.live_id).previous is None
    frozen_clock.advance(timedelta(minutes=30))
    factories.text_message(db, to="+447400900002", body="x", incident_id=two.live_id, status=OutboundStatus.FAILED)
    with unit_of_work(db.engine) as s:
        report = build_sitrep(s, gold, two.live_id, with_trends=True)
    failed = next(f for f in report.figures if f.label == "Text messages failed or undelivered")
    registered = next(f for f in report.figures if f.label == "People registered")
    assert report.previous.made_at == made_at
    assert (failed.value, report.change(failed), report.change(registered)) == (3, 1, 0)
    markdown = to_markdown(report)
    assert "| Text messages failed or undelivered | 3 | +1 |" in markdown
    assert "| People registered | 45 | ±0 |" in markdown
    data = json.loads(to_json(report))
    assert data["changes"]["Messages"]["Text messages failed or undelivered"] == 1
    assert data["previous_report"]["figures"]["Messages"]["Text messages failed or undelivered"] == 2
    assert ["Messages", "Text messages failed or undelivered", "3", "2"] in list(csv.reader(io.StringIO(to_csv(report))))
    pdf = _flat(" ".join(_pdf_pages(to_pdf(report), tmp_path, layout=True)))
    assert "Change since the last report" in pdf and "Text messages failed or undelivered 3 +1" in pdf


def test_a_last_report_that_kept_no_counts_gives_its_time_and_no_changes(db, frozen_clock, two_incidents, make_actor):
    two = two_incidents()
    with unit_of_work(db.engine) as s:  # as reports were audited before they kept their counts
        record(s, Actor.system("test"), "export", "sitrep", two.live_id, incident_id=two.live_id, detail="md",
               recipient="SCG")
    frozen_clock.advance(timedelta(hours=1))
    with unit_of_work(db.engine) as s:
        report = build_sitrep(s, make_actor("gold"), two.live_id)
    assert report.previous is not None and report.previous.figures is None
    assert all(report.change(f) is None for f in report.figures)
    assert "made before reports kept their figures" in to_markdown(report)


def test_counts_with_nothing_to_report_fold_into_one_line(tmp_path):
    figures = [Figure("People", "People registered", 12), Figure("People", "Discharged", 0),
               Figure("People", "Under 18", 0), Figure("Call-outs", "Call-outs in progress", 0),
               Figure("Call-outs", "Declined", 0),
               Figure("Shifts, next 24 hours", "Hub · support worker · Mon 09:00–17:00", "1 of 2"),
               Figure("Shifts, next 24 hours", "Hub · coordinator · Mon 09:00–17:00", "1 of 1", quiet=True),
               Figure("Shifts, next 24 hours", "Hub · coordinator · Mon 17:00–23:00", "1 of 1", quiet=True)]
    report = _report(figures, risks=(), previous=PreviousReport(AT - timedelta(hours=2), {
        ("People", "People registered"): 10, ("People", "Under 18"): 4}))
    groups = {g.section: g for g in figure_groups(report)}
    assert [(r.label, r.value, r.change) for r in groups["People"].rows] == [
        ("People registered", 12, 2), ("Under 18", 0, -4)]  # a count that fell to 0 is news
    assert groups["People"].folded == "0: Discharged"
    assert groups["Call-outs"].all_quiet and groups["Call-outs"].folded == "All 0: Call-outs in progress; Declined"
    assert [r.label for r in groups["Shifts, next 24 hours"].rows] == ["Hub · support worker · Mon 09:00–17:00"]
    assert groups["Shifts, next 24 hours"].folded == "2 more shifts fully staffed"
    markdown = to_markdown(report)
    assert "**Call-outs**: All 0: Call-outs in progress; Declined" in markdown and "### Call-outs" not in markdown
    assert "| Under 18 | 0 | −4 |" in markdown and "| People registered | 12 | +2 |" in markdown
    pdf = _flat(" ".join(_pdf_pages(to_pdf(report), tmp_path, layout=True)))
    assert pdf.count("Call-outs in progress") == 1 and "Call-outs: All 0: Call-outs in progress; Declined" in pdf
    assert "Under 18 0 −4" in pdf and "0: Discharged" in pdf


def test_the_pdf_draws_its_trend_charts_itself(tmp_path):
    days = tuple(date(2026, 10, 1) + timedelta(days=i) for i in range(40))
    weeks = tuple(sorted({d - timedelta(days=d.weekday()) for d in days}))
    trends = Trends(days, tuple(range(40)), (1,) * 40, (0,) * 39 + (2,), weeks, (3,) * len(weeks), (1,) * len(weeks))
    pdf = to_pdf(_report(_zeros(), trends=trends))
    assert b"/Subtype /Image" not in pdf and not re.search(rb"https?://", pdf)  # drawn, not fetched or embedded
    text = _flat(" ".join(_pdf_pages(pdf, tmp_path)))
    assert "Registrations per day" in text and "Screenings per week" in text
    assert "13 Oct" in text and "09 Nov" in text  # the last 28 days, first and last labelled
    assert "01 Oct" not in text
