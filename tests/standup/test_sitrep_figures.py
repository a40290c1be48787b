"""The situation report's figures against counts worked out here from raw rows (plain SQL and
Python, not the report's queries), for a live incident and an exercise in the same database."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from core.auth.roles import Actor, PermissionDenied
from core.clock import london, now
from core.db import unit_of_work
from core.errors import InputError
from incident.decision_service import Decision, correct_decision, log_decision
from pathways.vocabulary import PersonRole, is_under_18, label
from standup.sitrep.figures import build_sitrep, default_incident_id, export_sitrep
from standup.sitrep.last_report import counts_in
from standup.sitrep.trends import trends


def _rows(engine, sql: str, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def _at(value) -> datetime | None:
    """SQLite hands back text, PostgreSQL an aware datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _day(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def expected_figures(engine, incident_id: int, at: datetime) -> dict[tuple[str, str], object]:
    """Each figure recomputed from raw rows."""
    people = [p for p in _rows(engine, "SELECT id, roles, status, date_of_birth, merged_into_id, referral_due_at, "
                                       "first_referred_at FROM person WHERE incident_id = :i", i=incident_id)
              if p.merged_into_id is None]
    today = london(at).date()
    out: dict[tuple[str, str], object] = {
        ("People", "People registered"): len(people),
        ("People", "Open cases"): sum(p.status == "open" for p in people),
        ("People", "Under 18"): sum(is_under_18(_day(p.date_of_birth), today) for p in people),
    }
    roles = Counter(r for p in people for r in set(p.roles.split(",")))
    out |= {("People by role", label(r.value)): roles[r.value] for r in PersonRole}
    open_people = [p for p in people if p.status == "open"]
    unreferred = [p for p in open_people if p.first_referred_at is None]
    out[("Victims' Code", "Referrals overdue (deadline passed, not referred)")] = sum(
        _at(p.referral_due_at) < at for p in unreferred)
    out[("Victims' Code", "Referrals due (deadline not yet passed)")] = sum(
        _at(p.referral_due_at) >= at for p in unreferred)
    out[("Victims' Code", "Referred late")] = sum(
        p.first_referred_at is not None and _at(p.first_referred_at) > _at(p.referral_due_at) for p in open_people)

    out |= expected_justice(engine, incident_id, at)

    follow_ups = [f for f in _rows(engine, "SELECT status, due_at FROM follow_up WHERE incident_id = :i", i=incident_id)
                  if f.status not in ("done", "cancelled")]
    week = timedelta(days=7)
    out[("Screening", "Screenings due now")] = sum(at - week <= _at(f.due_at) <= at for f in follow_ups)
    out[("Screening", "Screenings overdue (more than 7 days late)")] = sum(_at(f.due_at) < at - week for f in follow_ups)
    screenings = _rows(engine, "SELECT positive, review_status FROM screening WHERE incident_id = :i", i=incident_id)
    out[("Screening", "Screenings done")] = len(screenings)
    out[("Screening", "Positive screens")] = sum(bool(s.positive) for s in screenings)
    out[("Screening", "Positive screens awaiting a clinician")] = sum(s.review_status == "pending" for s in screenings)
    out[("Safety", "Urgent safety alerts not acknowledged")] = sum(
        a.acknowledged_at is None for a in _rows(engine, "SELECT acknowledged_at FROM safety_alert "
                                                         "WHERE incident_id = :i", i=incident_id))

    out |= expected_staffing(engine, incident_id, at)

    callouts = {c.id: c.status for c in _rows(engine, "SELECT id, status FROM callout WHERE incident_id = :i",
                                              i=incident_id)}
    out[("Call-outs", "Call-outs in progress")] = sum(s == "open" for s in callouts.values())
    asked = [r for r in _rows(engine, "SELECT callout_id, state FROM callout_recipient")
             if callouts.get(r.callout_id) == "open"]
    out[("Call-outs", "Asked, waiting for a reply")] = sum(r.state == "asked" for r in asked)
    statuses = Counter(m.status for m in _rows(engine, "SELECT status FROM outbound_message WHERE incident_id = :i",
                                               i=incident_id))
    out[("Messages", "Text messages failed or undelivered")] = statuses["failed"] + statuses["undelivered"]
    services = _rows(engine, "SELECT c.name, a.stage FROM service_activation a JOIN activation_service c "
                             "ON c.id = a.service_id WHERE a.incident_id = :i", i=incident_id)
    out |= {("Services", name): label(stage) for name, stage in services}
    stages = Counter(
        (e.pathway, e.stage) for e in _rows(
            engine, "SELECT p.name AS pathway, s.name AS stage, e.ended_at, person.status, person.merged_into_id "
                    "FROM enrolment e JOIN pathway p ON p.id = e.pathway_id JOIN pathway_stage s ON s.id = e.stage_id "
                    "JOIN person ON person.id = e.person_id WHERE person.incident_id = :i", i=incident_id)
        if e.ended_at is None and e.status == "open" and e.merged_into_id is None)
    out |= {("Pathway stages", f"{p} · {s}"): n for (p, s), n in stages.items()}
    return out | expected_outreach(engine, incident_id)


def expected_outreach(engine, incident_id: int) -> dict[tuple[str, str], object]:
    """The outreach figures from raw rows: each invitation of the incident, what its messages came to,
    whether its contact opted out (of the cohort, or of a channel)."""
    invitations = _rows(engine, "SELECT i.id, i.round, i.opened_at, i.completed_at, i.used_at, i.screened_positive, "
                                "i.raised_alert, c.unsubscribed_at, c.email, c.mobile, k.name AS cohort "
                                "FROM invitation i JOIN contact c ON c.id = i.contact_id JOIN cohort k "
                                "ON k.id = i.cohort_id WHERE i.incident_id = :i", i=incident_id)
    statuses = defaultdict(set)
    for m in _rows(engine, "SELECT im.invitation_id, o.status FROM invitation_message im JOIN outbound_message o "
                           "ON o.id = im.message_id"):
        statuses[m.invitation_id].add(m.status)
    stopped = {(o.channel, o.address) for o in _rows(engine, "SELECT channel, address FROM opt_out WHERE opted_out")}
    opted_out = [i for i in invitations if i.unsubscribed_at is not None or ("sms", i.mobile) in stopped
                 or ("email", i.email) in stopped]
    out = {
        ("Outreach", "Invited"): len(invitations),
        ("Outreach", "Invitations delivered"): sum("delivered" in statuses[i.id] for i in invitations),
        ("Outreach", "Link opened"): sum(i.opened_at is not None for i in invitations),
        ("Outreach", "Check completed"): sum(i.completed_at is not None for i in invitations),
        ("Outreach", "Positive screens"): sum(bool(i.screened_positive) for i in invitations),
        ("Outreach", "Urgent alerts"): sum(bool(i.raised_alert) for i in invitations),
        ("Outreach", "Opted out"): len(opted_out),
        ("Outreach", "Bounced"): sum(bool(statuses[i.id] & {"failed", "undelivered"}) for i in invitations),
        ("Outreach", "Opened, not finished (to call)"): sum(
            i.opened_at is not None and i.used_at is None for i in invitations),
        ("Outreach", "Self-referrals waiting for triage"): len(_rows(
            engine, "SELECT id FROM self_referral WHERE incident_id = :i AND status = 'new'", i=incident_id)),
    }
    by_round = defaultdict(list)
    for i in invitations:
        by_round[(i.cohort, i.round)].append(i)
    out |= {("Outreach by cohort", f"{cohort} · round {n}"):
            f"{len(group)} invited, {sum(i.completed_at is not None for i in group)} completed, "
            f"{sum(bool(i.screened_positive) for i in group)} positive" for (cohort, n), group in by_round.items()}
    return out


def expected_justice(engine, incident_id: int, at: datetime) -> dict[tuple[str, str], object]:
    """The justice figures from raw rows: a task is late when the London day told is after the London
    day of its deadline; a merged duplicate's tasks are not counted."""
    merged = {p.id for p in _rows(engine, "SELECT id FROM person WHERE merged_into_id IS NOT NULL")}
    tasks = [t for t in _rows(engine, "SELECT person_id, due_at, told_on, closed_at FROM inform_task "
                                      "WHERE incident_id = :i", i=incident_id) if t.person_id not in merged]
    open_ = [t for t in tasks if t.closed_at is None]
    done = [t for t in tasks if t.closed_at is not None]
    late = sum(_day(t.told_on) > london(_at(t.due_at)).date() for t in done)
    section = "Justice process"
    return {
        (section, "Milestones entered (arrest, charge, hearings…)"): len(_rows(
            engine, "SELECT id FROM justice_milestone WHERE incident_id = :i", i=incident_id)),
        (section, "Inform tasks open (Victims' Code time not yet passed)"): sum(_at(t.due_at) >= at for t in open_),
        (section, "Inform tasks overdue (person not told within the Victims' Code time)"): sum(
            _at(t.due_at) < at for t in open_),
        (section, "Inform tasks done within the time"): len(done) - late,
        (section, "Inform tasks done late"): late,
    }


def _json_list(value) -> list[str]:
    """SQLite hands back a JSON column as text, PostgreSQL as the list."""
    return json.loads(value) if isinstance(value, str) else list(value or ())


def expected_staffing(engine, incident_id: int, at: datetime) -> dict[tuple[str, str], object]:
    """The staffing figures from raw rows, skills counted: a shift is short while a place is empty or
    a need (at least n of its people holding a skill or language) is not met; the places still to
    fill are its empty places, or more when those on it lack a skill the empty places cannot make up."""
    requirements = [r for r in _rows(engine, "SELECT id, headcount, starts_at, ends_at FROM shift_requirement "
                                             "WHERE incident_id = :i", i=incident_id)
                    if _at(r.ends_at) > at and _at(r.starts_at) < at + timedelta(hours=24)]
    held = {s.id: {"skill": set(_json_list(s.skills)), "language": set(_json_list(s.languages))}
            for s in _rows(engine, "SELECT id, skills, languages FROM staff_member")}
    on = defaultdict(list)
    for a in _rows(engine, "SELECT requirement_id, staff_id, withdrawn_at FROM assignment"):
        if a.withdrawn_at is None:
            on[a.requirement_id].append(a.staff_id)
    needs = defaultdict(list)
    for n in _rows(engine, "SELECT requirement_id, kind, name, count FROM requirement_skill"):
        needs[n.requirement_id].append(n)
    short_shifts = places_short = 0
    for r in requirements:
        lacking = [n.count - sum(n.name in held[s][n.kind] for s in on[r.id]) for n in needs[r.id]]
        short_shifts += len(on[r.id]) < r.headcount or any(n > 0 for n in lacking)
        places_short += max(r.headcount - len(on[r.id]), *lacking, 0)
    needed = sum(r.headcount for r in requirements)
    return {("Staffing, next 24 hours", "Shifts"): len(requirements),
            ("Staffing, next 24 hours", "Places needed"): needed,
            ("Staffing, next 24 hours", "Places filled"): needed - places_short,
            ("Staffing, next 24 hours", "Shifts not fully staffed"): short_shifts,
            ("Staffing, next 24 hours", "Places open"): places_short}


def _as_dict(report) -> dict[tuple[str, str], object]:
    return {(f.section, f.label): f.value for f in report.figures}


def test_every_figure_matches_the_rows_and_live_never_mixes_with_exercise(db, frozen_clock, two_incidents,
                                                                          make_actor):
    two = two_incidents()
    gold = make_actor("gold")
    at = now()
    reports = {}
    with unit_of_work(db.engine) as s:
        for incident_id in (two.exercise_id, two.live_id):
            reports[incident_id] = build_sitrep(s, gold, incident_id)
    for incident_id, report in reports.items():
        got = _as_dict(report)
        expected = expected_figures(db.engine, incident_id, at)
        mismatches = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
        assert not mismatches, f"incident {incident_id}: (report, rows) differ: {mismatches}"
        stage_labels = {k for k in got if k[0] == "Pathway stages"}
        assert stage_labels == {k for k in expected if k[0] == "Pathway stages"}

    live, exercise = _as_dict(reports[two.live_id]), _as_dict(reports[two.exercise_id])
    assert live[("People", "People registered")] == two.live_people
    assert exercise[("People", "People registered")] > two.live_people
    assert live[("Staffing, next 24 hours", "Shifts")] == 2  # next week's shift is not in the next 24 hours
    assert live[("Staffing, next 24 hours", "Places filled")] == 2  # the withdrawn assignment does not count
    assert live[("Messages", "Text messages failed or undelivered")] == 2
    assert live[("Safety", "Urgent safety alerts not acknowledged")] == 1
    assert not [k for k in live if k[0] == "Services"]  # the exercise's activations stay in the exercise
    assert live[("Outreach", "Invited")] == 0 < exercise[("Outreach", "Invited")]  # the exercise's cohort stays there
    assert exercise[("Outreach", "Check completed")] > 0 and exercise[("Outreach", "Opened, not finished (to call)")] > 0
    assert reports[two.live_id].is_exercise is False and reports[two.exercise_id].is_exercise is True
    assert reports[two.live_id].methane == ()
    assert any("Version" in part for part, _ in reports[two.exercise_id].methane)
    risks = " ".join(reports[two.live_id].risks)
    assert "2 text messages failed or undelivered" in risks
    assert "1 urgent safety alert not acknowledged" in risks
    assert "2 shifts in the next 24 hours not fully staffed (3 places open)" in risks


def test_decisions_since_the_last_report_made_half_an_hour_or_more_ago(db, frozen_clock, two_incidents, make_actor):
    two = two_incidents()
    gold = make_actor("gold")
    with unit_of_work(db.engine) as s:
        first = build_sitrep(s, gold, two.live_id)
        export_sitrep(s, gold, two.live_id, "md", recipient="strategic coordinating group")
    assert first.decisions_since is None
    assert [(d.sequence, d.decision) for d in first.decisions] == [(1, "Open the reception centre")]
    made_at = now()

    frozen_clock.advance(timedelta(minutes=10))  # the PDF of the same meeting: same baseline, same decisions
    with unit_of_work(db.engine) as s:
        same_meeting = build_sitrep(s, gold, two.live_id)
    assert same_meeting.decisions_since is None and len(same_meeting.decisions) == 1

    frozen_clock.advance(timedelta(minutes=30))
    with unit_of_work(db.engine) as s:
        log_decision(s, Actor.system("test"), two.live_id,
                     Decision(now() - timedelta(minutes=1), "Gold", "Close Deansgate to traffic", "Cordon"))
        log_decision(s, Actor.system("test"), two.exercise_id,
                     Decision(now() - timedelta(minutes=1), "Gold", "Exercise decision", "Exercise"))
        second = build_sitrep(s, gold, two.live_id)
        chosen = build_sitrep(s, gold, two.live_id, since=made_at - timedelta(hours=1))
    assert second.decisions_since == made_at
    assert [(d.sequence, d.decision) for d in second.decisions] == [(2, "Close Deansgate to traffic")]
    assert len(chosen.decisions) == 2


def test_decisions_since_the_last_report_say_what_corrects_what_by_number_and_time(db, frozen_clock, two_incidents,
                                                                                   make_actor):
    """A correction of an entry from before the last report names it by number and time; an entry
    of this period later struck through says so, and by which entry."""
    two = two_incidents()  # entry 1, before the last report
    gold, system = make_actor("gold"), Actor.system("test")
    with unit_of_work(db.engine) as s:
        first_decided = s.scalar(text("SELECT decided_at FROM decision_log_entry WHERE sequence = 1 "
                                      "AND incident_id = :i"), {"i": two.live_id})
        export_sitrep(s, gold, two.live_id, "md", recipient="strategic coordinating group")
    frozen_clock.advance(timedelta(hours=1))
    with unit_of_work(db.engine) as s:
        correct_decision(s, system, two.live_id, 1, Decision(now(), "Gold", "Open the reception centre at the HAC",
                                                             "Space"), "wrong building")  # entry 2
        log_decision(s, system, two.live_id, Decision(now(), "Gold", "Road closed at 10:00", "Cordon"))  # 3
    frozen_clock.advance(timedelta(minutes=5))
    corrected_at = now()
    with unit_of_work(db.engine) as s:
        correct_decision(s, system, two.live_id, 3, Decision(now(), "Gold", "Road closed at 11:00", "Cordon"),
                         "time misheard")  # entry 4
        report = build_sitrep(s, gold, two.live_id)
    by_number = {d.sequence: d for d in report.decisions}
    assert sorted(by_number) == [2, 3, 4]
    assert (by_number[2].corrects.sequence, by_number[2].corrects.at) == (1, _at(first_decided))
    assert by_number[2].correction_reason == "wrong building" and by_number[2].struck_through_by is None
    assert (by_number[3].struck_through_by.sequence, by_number[3].struck_through_by.at) == (4, corrected_at)
    assert by_number[4].corrects.sequence == 3 and by_number[4].struck_through_by is None
    markdown = export_sitrep_text(db, gold, two.live_id)
    assert "corrects entry 1 (decided " in markdown and "(corrects entry earlier)" not in markdown
    assert "~~Road closed at 10:00~~" in markdown and "struck through by entry 4 (recorded " in markdown


def export_sitrep_text(db, actor, incident_id) -> str:
    with unit_of_work(db.engine) as s:
        return export_sitrep(s, actor, incident_id, "md", recipient="strategic coordinating group",
                             since=now() - timedelta(hours=2)).decode()


def test_only_gold_and_hub_managers_may_read_it_and_exports_are_audited(db, frozen_clock, two_incidents,
                                                                        make_actor):
    two = two_incidents()
    for role in ("caseworker", "agency_coordinator", "auditor", "admin"):
        with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
            build_sitrep(s, make_actor(role), two.live_id)
    hub = make_actor("hub_manager")
    with unit_of_work(db.engine) as s:
        assert export_sitrep(s, hub, two.live_id, "json", recipient="Silver control room").startswith(b"{")
    with pytest.raises(InputError, match="allowed: md, json, csv, pdf"), unit_of_work(db.engine) as s:
        export_sitrep(s, hub, two.live_id, "docx", recipient="Silver control room")
    with pytest.raises(InputError, match="No incident 999"), unit_of_work(db.engine) as s:
        build_sitrep(s, hub, 999)
    with pytest.raises(InputError, match="Say who the report is for"), unit_of_work(db.engine) as s:
        export_sitrep(s, hub, two.live_id, "md", recipient=" ")
    with pytest.raises(InputError, match="^The recipient holds a control character"), unit_of_work(db.engine) as s:
        export_sitrep(s, hub, two.live_id, "md", recipient="Silver\x00 control room")  # PostgreSQL stores no NUL
    events = _rows(db.engine, "SELECT actor, detail, incident_id, recipient FROM audit_event "
                              "WHERE action = 'export' AND entity = 'sitrep'")
    assert [(e.actor, e.detail.partition(" · ")[0], e.incident_id, e.recipient) for e in events] == [
        (hub.username, "json", two.live_id, "Silver control room")]
    # After the format, the counts the report gave (what the next report's changes are measured against).
    assert counts_in(events[0].detail)[("People", "People registered")] == two.live_people


def test_the_default_incident_is_the_newest_open_live_one(db, frozen_clock, two_incidents):
    with unit_of_work(db.engine) as s:
        assert default_incident_id(s) is None
    two = two_incidents()
    with unit_of_work(db.engine) as s:
        assert default_incident_id(s) == two.live_id
        s.execute(text("UPDATE incident SET status = 'stood_down' WHERE id = :i"), {"i": two.live_id})
    with unit_of_work(db.engine) as s:
        assert default_incident_id(s) == max(two.live_id, two.exercise_id)  # no open live one: the newest


def test_trends_count_each_london_day_and_week_from_the_rows(db, frozen_clock, two_incidents, make_actor):
    two = two_incidents()
    with unit_of_work(db.engine) as s:
        t = trends(s, make_actor("gold"), two.exercise_id)
    people = [p for p in _rows(db.engine, "SELECT registered_at, first_referred_at, referral_due_at, merged_into_id "
                                          "FROM person WHERE incident_id = :i", i=two.exercise_id)
              if p.merged_into_id is None]
    registered = Counter(london(_at(p.registered_at)).date() for p in people)
    today = london(now()).date()
    # The trend runs to today (the demo dates a few referrals after "now"; those are not drawn).
    referred = Counter(day for p in people if p.first_referred_at
                       and (day := london(_at(p.first_referred_at)).date()) <= today)
    assert dict(registered) == {d: n for d, n in zip(t.days, t.registrations, strict=True) if n}
    assert dict(referred) == {d: n for d, n in zip(t.days, t.referrals_made, strict=True) if n}
    taken = [london(_at(r.taken_at)).date() for r in _rows(db.engine, "SELECT taken_at FROM screening "
                                                                      "WHERE incident_id = :i", i=two.exercise_id)]
    weeks = Counter(d - timedelta(days=d.weekday()) for d in taken)
    assert dict(weeks) == {w: n for w, n in zip(t.weeks, t.screenings_done, strict=True) if n}
    assert t.days[-1] == today and sum(t.registrations) == len(people)
