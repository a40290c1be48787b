"""The situation report's figures for ONE incident, read across the four domains with aggregate
SQL (COUNT / SUM / GROUP BY): the database counts, Python only lays out the few result rows, so
50,000 people cost the same handful of queries as 50. Every query filters on the incident, so
exercise data never mixes with live data.

"Since the last report" (decisions, handovers, the change in each count) starts at the last report
made: see standup/sitrep/last_report.py. Decisions are picked by when they were *recorded*, so a
late entry recorded after the last report still appears in the next one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.audit.chain_head import decision_log_chain, head_of
from core.audit.service import disclosure_recipient, record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now, show
from core.errors import InputError
from incident.methane import PART_LABELS
from incident.model import (
    ActivationService,
    DecisionLogEntry,
    Incident,
    IncidentStatus,
    MethaneReport,
    ServiceActivation,
)
from notifications.model import CallOut, CallOutRecipient, CallOutStatus, OutboundMessage, OutboundStatus
from outreach.model import SelfReferral
from outreach.response_queries import Responses, response_counts
from outreach.vocabulary import ReferralStatus
from pathways.clinicians import duty_for
from pathways.model import (
    Enrolment,
    FollowUp,
    InformTask,
    JusticeMilestone,
    Pathway,
    PathwayStage,
    Person,
    SafetyAlert,
    Screening,
)
from pathways.pathway_service import LIVE_FOLLOW_UP
from pathways.safety_alert_rules import escalates_if_raised_before
from pathways.schedule import OVERDUE_AFTER
from pathways.vocabulary import PersonRole, label
from rosters.coverage_queries import ShiftCoverage, shift_coverage
from standup.sitrep.hubs_and_command import command_now, handovers_since, hub_lines
from standup.sitrep.last_report import last_report, report_detail
from standup.sitrep.render import FORMATS, render
from standup.sitrep.report import Decision, DecisionLogHead, EntryRef, Figure, Sitrep
from standup.sitrep.trends import trends

NEXT_HOURS = timedelta(hours=24)
FAILED_MESSAGES = (OutboundStatus.FAILED.value, OutboundStatus.UNDELIVERED.value)
_CLOSED_INCIDENT = (IncidentStatus.STOOD_DOWN.value, IncidentStatus.CANCELLED.value)


def count_if(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def people_scope(incident_id: int):
    """The incident's people, each once: a merged duplicate counts through its surviving record."""
    return (Person.incident_id == incident_id, Person.merged_into_id.is_(None))


def people_figures(session: Session, incident_id: int, at: datetime) -> list[Figure]:
    today = london(at).date()
    try:
        adult_born_by = today.replace(year=today.year - 18)
    except ValueError:  # 29 February: an 18th birthday on 29 Feb falls on 1 March in other years
        adult_born_by = today.replace(year=today.year - 18, day=28) + timedelta(days=1)
    total, open_, under_18 = (int(v) for v in session.execute(select(
        func.count(Person.id), count_if(Person.status == "open"), count_if(Person.date_of_birth > adult_born_by),
    ).where(*people_scope(incident_id))).one())
    # One group per combination of roles (a few dozen), split here: cheaper than a LIKE per role per person.
    by_role: Counter[str] = Counter()
    for roles, n in session.execute(select(Person.roles, func.count(Person.id))
                                    .where(*people_scope(incident_id)).group_by(Person.roles)):
        for role in set(roles.split(",")):
            by_role[role] += int(n)
    figures = [Figure("People", "People registered", total), Figure("People", "Open cases", open_),
               Figure("People", "Discharged", total - open_), Figure("People", "Under 18", under_18)]
    figures += [Figure("People by role", label(r.value), by_role[r.value]) for r in PersonRole]
    return figures


def stage_figures(session: Session, incident_id: int) -> list[Figure]:
    counts = dict(session.execute(
        select(Enrolment.stage_id, func.count(Enrolment.id))
        .join(Person, Person.id == Enrolment.person_id)
        .where(*people_scope(incident_id), Person.status == "open", Enrolment.ended_at.is_(None))
        .group_by(Enrolment.stage_id)).all())
    if not counts:
        return []
    stages = session.execute(
        select(PathwayStage.id, Pathway.name, PathwayStage.name)
        .join(Pathway, Pathway.id == PathwayStage.pathway_id)
        .where(PathwayStage.id.in_(list(counts))).order_by(Pathway.name, PathwayStage.position)).all()
    return [Figure("Pathway stages", f"{pathway} · {stage}", int(counts[stage_id])) for stage_id, pathway, stage in stages]


@dataclass(frozen=True)
class ReferralDeadlines:
    """The incident's people against the Victims' Code referral deadline at a moment."""

    people: int
    due: int  # not referred, deadline not yet passed
    due_24h: int  # of which due within NEXT_HOURS
    overdue: int  # not referred, deadline passed
    in_time: int
    late: int


def referral_deadlines(session: Session, incident_id: int, at: datetime, *where) -> ReferralDeadlines:
    """Counted over the incident's people (each once) and `where` (the sitrep: open cases only)."""
    not_referred = Person.first_referred_at.is_(None)
    row = session.execute(select(
        func.count(Person.id),
        count_if(not_referred & (Person.referral_due_at >= at)),
        count_if(not_referred & (Person.referral_due_at >= at) & (Person.referral_due_at < at + NEXT_HOURS)),
        count_if(not_referred & (Person.referral_due_at < at)),
        count_if(Person.first_referred_at.is_not(None) & (Person.first_referred_at <= Person.referral_due_at)),
        count_if(Person.first_referred_at > Person.referral_due_at),
    ).where(*people_scope(incident_id), *where)).one()
    return ReferralDeadlines(*(int(v) for v in row))


def victims_code_figures(session: Session, incident_id: int, at: datetime) -> list[Figure]:
    c = referral_deadlines(session, incident_id, at, Person.status == "open")
    return [
        Figure("Victims' Code", "Referrals due (deadline not yet passed)", c.due),
        Figure("Victims' Code", "of which due in the next 24 hours", c.due_24h),
        Figure("Victims' Code", "Referrals overdue (deadline passed, not referred)", c.overdue),
        Figure("Victims' Code", "Referred within the deadline", c.in_time),
        Figure("Victims' Code", "Referred late", c.late),
    ]


JUSTICE = "Justice process"
JUSTICE_OVERDUE = "Inform tasks overdue (person not told within the Victims' Code time)"


def justice_figures(session: Session, incident_id: int, at: datetime) -> list[Figure]:
    """The investigation's and prosecution's milestones entered, and the inform tasks they made (one
    per person and milestone; a merged duplicate's through its surviving record): open in time,
    overdue, done in time, done late."""
    told = InformTask.closed_at.is_not(None)
    row = session.execute(select(
        count_if(~told & (InformTask.due_at >= at)), count_if(~told & (InformTask.due_at < at)),
        count_if(told & InformTask.told_late.is_(False)), count_if(told & InformTask.told_late.is_(True)),
    ).select_from(InformTask).join(Person, Person.id == InformTask.person_id)
        .where(InformTask.incident_id == incident_id, Person.merged_into_id.is_(None))).one()
    to_tell, overdue, in_time, late = (int(v) for v in row)
    milestones = session.scalar(select(func.count(JusticeMilestone.id))
                                .where(JusticeMilestone.incident_id == incident_id)) or 0
    return [
        Figure(JUSTICE, "Milestones entered (arrest, charge, hearings…)", int(milestones)),
        Figure(JUSTICE, "Inform tasks open (Victims' Code time not yet passed)", to_tell),
        Figure(JUSTICE, JUSTICE_OVERDUE, overdue),
        Figure(JUSTICE, "Inform tasks done within the time", in_time),
        Figure(JUSTICE, "Inform tasks done late", late),
    ]


def screening_figures(session: Session, incident_id: int, at: datetime) -> list[Figure]:
    late_before, week_ahead = at - OVERDUE_AFTER, at + timedelta(days=7)
    # Live statuses by name and due within the week: the (incident, status, due) index then reads
    # only those rows, not the year of rescreens every person has planned.
    due = session.execute(select(
        count_if((FollowUp.due_at <= at) & (FollowUp.due_at >= late_before)),
        count_if(FollowUp.due_at < late_before),
        count_if(FollowUp.due_at > at),
    ).where(FollowUp.incident_id == incident_id, FollowUp.status.in_(LIVE_FOLLOW_UP),
            FollowUp.due_at <= week_ahead)).one()
    done = session.execute(select(
        func.count(Screening.id), count_if(Screening.positive.is_(True)),
        count_if(Screening.review_status == "pending"),
    ).where(Screening.incident_id == incident_id)).one()
    return [
        Figure("Screening", "Screenings due now", int(due[0])),
        Figure("Screening", "Screenings overdue (more than 7 days late)", int(due[1])),
        Figure("Screening", "Screenings due in the next 7 days", int(due[2])),
        Figure("Screening", "Screenings done", int(done[0])),
        Figure("Screening", "Positive screens", int(done[1])),
        Figure("Screening", "Positive screens awaiting a clinician", int(done[2])),
    ]


def alert_figures(session: Session, incident_id: int, at: datetime) -> list[Figure]:
    """Open alerts, those past the incident's escalation time (counted from the clock, so Gold sees
    them even while the worker is down), and whether anyone is duty clinician."""
    duty = duty_for(session, incident_id)
    counts = session.execute(select(
        func.count(SafetyAlert.id),
        count_if(SafetyAlert.raised_at <= escalates_if_raised_before(duty.escalate_after_minutes, at)),
    ).where(SafetyAlert.incident_id == incident_id, SafetyAlert.acknowledged_at.is_(None))).one()
    return [Figure("Safety", "Urgent safety alerts not acknowledged", int(counts[0])),
            Figure("Safety", "Urgent safety alerts escalated (not acknowledged in time)", int(counts[1])),
            Figure("Safety", "No duty clinician named", 0 if duty.named else 1)]


def next_shifts(session: Session, incident_id: int, at: datetime) -> list[ShiftCoverage]:
    """The shifts under way or starting in the next 24 hours, counted as the coverage board counts
    them (rosters.coverage_queries.shift_coverage): a place held by someone without the skill the
    shift still lacks is not filled."""
    return sorted(shift_coverage(session, incident_id, at=at, within=NEXT_HOURS),
                  key=lambda c: (c.starts_at, c.hub_name, c.requirement_id))


def staffing_figures(shifts: list[ShiftCoverage]) -> list[Figure]:
    needed = sum(c.needed for c in shifts)
    short = sum(c.places_short for c in shifts)
    figures = [
        Figure("Staffing, next 24 hours", "Shifts", len(shifts)),
        Figure("Staffing, next 24 hours", "Places needed", needed),
        Figure("Staffing, next 24 hours", "Places filled", needed - short),
        Figure("Staffing, next 24 hours", "Shifts not fully staffed", sum(c.is_gap for c in shifts)),
        Figure("Staffing, next 24 hours", "Places open", short),
    ]
    figures += [Figure("Shifts, next 24 hours",
                       f"{c.hub_name} · {c.role} · {show(c.starts_at, '%a %H:%M')}–{show(c.ends_at, '%H:%M')}",
                       f"{c.filled} of {c.needed}" + (f", needs {', '.join(c.unmet_needs)}" if c.unmet_needs else ""),
                       quiet=not c.is_gap)
                for c in shifts]
    return figures


_WAITING = (OutboundStatus.PENDING.value, OutboundStatus.SENDING.value)


def callout_figures(session: Session, incident_id: int) -> list[Figure]:
    in_progress = CallOut.status == CallOutStatus.OPEN.value
    opened = session.scalar(select(func.count(CallOut.id)).where(CallOut.incident_id == incident_id, in_progress)) or 0
    states = dict(session.execute(
        select(CallOutRecipient.state, func.count(CallOutRecipient.id))
        .join(CallOut, CallOut.id == CallOutRecipient.callout_id)
        .where(CallOut.incident_id == incident_id, in_progress).group_by(CallOutRecipient.state)).all())
    messages = session.execute(select(
        count_if(OutboundMessage.status.in_(FAILED_MESSAGES)),
        count_if(OutboundMessage.status.in_(_WAITING)),
        count_if(OutboundMessage.status == OutboundStatus.UNKNOWN.value),
    ).where(OutboundMessage.incident_id == incident_id,  # only what is counted: the index skips the delivered mass
            OutboundMessage.status.in_((*FAILED_MESSAGES, *_WAITING, OutboundStatus.UNKNOWN.value)))).one()
    return [
        Figure("Call-outs", "Call-outs in progress", int(opened)),
        Figure("Call-outs", "Asked, waiting for a reply", int(states.get("asked", 0))),
        Figure("Call-outs", "Confirmed", int(states.get("confirmed", 0))),
        Figure("Call-outs", "Declined", int(states.get("declined", 0))),
        Figure("Messages", "Text messages failed or undelivered", int(messages[0])),
        Figure("Messages", "Text messages waiting to go", int(messages[1])),
        Figure("Messages", "Text messages to check by hand (send interrupted)", int(messages[2])),
    ]


def outreach_figures(session: Session, incident_id: int) -> list[Figure]:
    """How the cohorts answered (counted as the outreach responses page counts them), and the
    self-referrals waiting for a caseworker."""
    rounds = response_counts(session, incident_id)
    total = sum((r.counts for r in rounds), Responses())
    waiting = session.scalar(select(func.count(SelfReferral.id)).where(
        SelfReferral.incident_id == incident_id, SelfReferral.status == ReferralStatus.NEW.value)) or 0
    figures = [Figure("Outreach", label_, value) for label_, value in (
        ("Invited", total.invited), ("Invitations delivered", total.delivered), ("Link opened", total.opened),
        ("Check completed", total.completed), ("Positive screens", total.positive),
        ("Urgent alerts", total.urgent_alerts), ("Opted out", total.opted_out), ("Bounced", total.bounced),
        ("Opened, not finished (to call)", total.unfinished), ("Self-referrals waiting for triage", int(waiting)))]
    figures += [Figure("Outreach by cohort", f"{r.cohort} · round {r.round}",
                       f"{r.counts.invited:,} invited, {r.counts.completed:,} completed, "
                       f"{r.counts.positive:,} positive") for r in rounds]
    return figures


def service_figures(session: Session, incident_id: int) -> list[Figure]:
    rows = session.execute(
        select(ActivationService.name, ServiceActivation.stage)
        .join(ActivationService, ActivationService.id == ServiceActivation.service_id)
        .where(ServiceActivation.incident_id == incident_id).order_by(ActivationService.name)).all()
    return [Figure("Services", name, label(stage)) for name, stage in rows]


def latest_methane(session: Session, incident_id: int) -> MethaneReport | None:
    return session.scalar(select(MethaneReport).where(MethaneReport.incident_id == incident_id)
                          .order_by(MethaneReport.version.desc()).limit(1))


def methane_parts(report: MethaneReport | None) -> tuple[tuple[str, str], ...]:
    if report is None:
        return ()
    parts = [(f"Version {report.version}", f"{show(report.created_at)} by {report.created_by_name}")]
    for name, part in PART_LABELS.items():
        value = getattr(report, name)
        if value is not None:
            parts.append((part, label(value) if name == "major_incident" else str(value)))
    return tuple(parts)


def decisions_since(session: Session, incident_id: int, since: datetime | None) -> tuple[Decision, ...]:
    """The entries recorded since `since`, each saying what it corrects and what (by now) strikes it
    through, by entry number and time, wherever in the log the other entry is."""
    log = session.execute(select(DecisionLogEntry.id, DecisionLogEntry.sequence, DecisionLogEntry.decided_at,
                                 DecisionLogEntry.recorded_at, DecisionLogEntry.corrects_id)
                          .where(DecisionLogEntry.incident_id == incident_id)).all()
    decided = {row.id: EntryRef(row.sequence, row.decided_at) for row in log}
    struck_by = {row.corrects_id: EntryRef(row.sequence, row.recorded_at) for row in log if row.corrects_id}
    q = select(DecisionLogEntry).where(DecisionLogEntry.incident_id == incident_id)
    if since is not None:
        q = q.where(DecisionLogEntry.recorded_at > since)
    return tuple(
        Decision(e.decided_at, e.decision_maker, e.decision, e.rationale, sequence=e.sequence,
                 corrects=decided.get(e.corrects_id), struck_through_by=struck_by.get(e.id),
                 correction_reason=e.correction_reason)
        for e in session.scalars(q.order_by(DecisionLogEntry.sequence)))


def decision_log_head(session: Session, incident_id: int) -> DecisionLogHead | None:
    head = head_of(session, decision_log_chain(incident_id))
    return None if head is None else DecisionLogHead(head.length, head.hash)


@dataclass(frozen=True)
class RiskFigure:
    """A figure that is a risk whenever it is not 0, and how Gold hears it: `one` and `many` hold
    {n} where the count goes (a figure that is 0 or 1, like a missing duty clinician, says it once)."""

    section: str
    label: str
    one: str
    many: str


# Every risk the figures show, in the order the meeting hears them: safety first.
RISK_FIGURES = (
    RiskFigure("Safety", "No duty clinician named", "No duty clinician named: urgent safety alerts are texted "
               "to nobody", "No duty clinician named: urgent safety alerts are texted to nobody"),
    RiskFigure("Safety", "Urgent safety alerts not acknowledged", "{n} urgent safety alert not acknowledged",
               "{n} urgent safety alerts not acknowledged"),
    RiskFigure("Safety", "Urgent safety alerts escalated (not acknowledged in time)",
               "{n} urgent safety alert escalated: not acknowledged in time",
               "{n} urgent safety alerts escalated: not acknowledged in time"),
    RiskFigure("Victims' Code", "Referrals overdue (deadline passed, not referred)",
               "{n} person past their Victims' Code referral deadline, not yet referred",
               "{n} people past their Victims' Code referral deadline, not yet referred"),
    RiskFigure(JUSTICE, JUSTICE_OVERDUE,
               "{n} inform task overdue: a person not told of a justice milestone (an arrest, a charge, a "
               "hearing…) within the Victims' Code time", "{n} inform tasks overdue: people not told of a justice "
               "milestone (an arrest, a charge, a hearing…) within the Victims' Code time"),
    RiskFigure("Staffing, next 24 hours", "Shifts not fully staffed", "{n} shift in the next 24 hours not fully "
               "staffed", "{n} shifts in the next 24 hours not fully staffed"),
    RiskFigure("Messages", "Text messages failed or undelivered", "{n} text message failed or undelivered",
               "{n} text messages failed or undelivered"),
    RiskFigure("Messages", "Text messages to check by hand (send interrupted)",
               "{n} text message interrupted mid-send: check it before resending",
               "{n} text messages interrupted mid-send: check them before resending"),
    RiskFigure("Screening", "Screenings overdue (more than 7 days late)", "{n} screening overdue by more than 7 days",
               "{n} screenings overdue by more than 7 days"),
    RiskFigure("Screening", "Positive screens awaiting a clinician", "{n} positive screen awaiting a clinician",
               "{n} positive screens awaiting a clinician"),
)
_PLACES_OPEN = ("Staffing, next 24 hours", "Places open")  # said beside the shifts short


def risks_from(figures: list[Figure]) -> tuple[str, ...]:
    """What Gold must hear about first: every risk figure that is not 0, each on its own."""
    value = {(f.section, f.label): f.value for f in figures}
    risks = []
    for risk in RISK_FIGURES:
        n = int(value.get((risk.section, risk.label), 0))
        if n:
            text = (risk.one if n == 1 else risk.many).format(n=f"{n:,}")
            if (risk.section, risk.label) == ("Staffing, next 24 hours", "Shifts not fully staffed"):
                text += f" ({_plural(int(value.get(_PLACES_OPEN, 0)), 'place')} open)"
            risks.append(text)
    return tuple(risks)


@dataclass(frozen=True)
class Counted:
    """An incident's figures and its next 24 hours' shifts, counted at `at`: the report's costly part
    (it reads every person), which open dashboards share (standup/sitrep/dashboard_figures.py)."""

    at: datetime
    figures: tuple[Figure, ...]
    shifts: tuple[ShiftCoverage, ...]


def count_now(session: Session, incident_id: int) -> Counted:
    at = now()
    shifts = next_shifts(session, incident_id, at)
    figures = (people_figures(session, incident_id, at) + stage_figures(session, incident_id)
               + victims_code_figures(session, incident_id, at) + justice_figures(session, incident_id, at)
               + screening_figures(session, incident_id, at)
               + alert_figures(session, incident_id, at) + staffing_figures(shifts)
               + callout_figures(session, incident_id) + outreach_figures(session, incident_id)
               + service_figures(session, incident_id))
    return Counted(at, tuple(figures), tuple(shifts))


def build_sitrep(session: Session, actor: Actor, incident_id: int, *, since: datetime | None = None,
                 recipient: str = "", with_trends: bool = False, counted: Counted | None = None) -> Sitrep:
    """The situation report for one incident as it stands now (as at `counted.at` when the figures
    are given, counted then). Decisions and handovers count from the last report made (see
    standup/sitrep/last_report.py), or from `since` when given; the change in each count is always
    against the last report. `with_trends`: a report made draws them; the dashboard reads its own on
    a slower clock."""
    require(actor, Permission.SITREP_VIEW)
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise InputError(f"No incident {incident_id}.")
    counted = counted or count_now(session, incident_id)
    at, figures, shifts = counted.at, list(counted.figures), list(counted.shifts)
    previous = last_report(session, incident_id, at)
    baseline = since if since is not None else (previous.made_at if previous else None)
    return Sitrep(
        incident_id=incident.id, incident_name=incident.name, is_exercise=incident.is_exercise,
        status=incident.status, generated_at=at, declared_at=incident.declared_at, figures=tuple(figures),
        methane=methane_parts(latest_methane(session, incident_id)),
        decisions=decisions_since(session, incident_id, baseline), decisions_since=baseline,
        risks=risks_from(figures), decision_log_head=decision_log_head(session, incident_id),
        recipient=recipient, hubs=hub_lines(session, incident_id, shifts, at),
        command=command_now(session, incident_id), handovers=handovers_since(session, incident_id, baseline),
        previous=previous, trends=trends(session, actor, incident_id) if with_trends else None,
    )


DEFAULT_RECIPIENT = "strategic coordinating group"  # who Gold takes the report to, unless told otherwise


def export_sitrep(session: Session, actor: Actor, incident_id: int, fmt: str, *, recipient: str,
                  since: datetime | None = None) -> bytes:
    """The report rendered as md, json, csv or pdf; making it is audited with its recipient and the
    counts it gave (which makes it "the last report" the next one compares with)."""
    require(actor, Permission.SITREP_VIEW)
    if fmt not in FORMATS:
        raise InputError(f"Unknown report format {fmt!r}; allowed: {', '.join(FORMATS)}.")
    recipient = disclosure_recipient(recipient, "the report")
    report = build_sitrep(session, actor, incident_id, since=since, recipient=recipient, with_trends=True)
    data = render(report, fmt)
    record(session, actor, "export", "sitrep", incident_id, incident_id=incident_id,
           detail=report_detail(fmt, report.counts()), recipient=recipient)
    return data


def default_incident_id(session: Session) -> int | None:
    """The newest open live incident; else the newest incident of any kind; None when there is none."""
    newest = (Incident.created_at.desc(), Incident.id.desc())
    live = session.scalar(select(Incident.id).where(Incident.is_exercise.is_(False),
                                                    Incident.status.not_in(_CLOSED_INCIDENT))
                          .order_by(*newest).limit(1))
    return live if live is not None else session.scalar(select(Incident.id).order_by(*newest).limit(1))

