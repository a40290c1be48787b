"""The after-action report for one incident (issue 16, DOMAIN.md "Oversight"): how the stand-up went
and whether it worked, read across the domains once the response is under way or over. The timeline
of the incident's status and its services' activations and stand-downs, each against the decision
that authorised it; what each agency agreed to give and gave; how soon the first hub shift was
staffed and each call-out reached its quorum; referrals within the Victims' Code deadline; people
reached; screens done; complaints.

Figures are counted with aggregate SQL, filtered on the incident (an exercise never mixes with live
data); a merged duplicate counts through its surviving record, as the situation report counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from incident.activation_service import activation_cards, authority_words
from incident.lifecycle import label
from incident.model import Incident, IncidentStatusChange
from notifications.model import CallOut
from outreach.response_queries import Responses, response_counts
from pathways.model import Complaint, Screening
from rosters.contribution_service import ContributionLine, contribution_lines
from rosters.model import Assignment, ShiftRequirement
from standup.sitrep.figures import count_if, referral_deadlines
from standup.sitrep.report import Figure


@dataclass(frozen=True)
class TimelineLine:
    at: datetime
    what: str  # "Incident" or the service and its lead agency
    step: str  # "declared", "requested", "stood down"…
    by: str
    authority: str  # the decision that authorised it or why none is named; an incident's status: its reason


@dataclass(frozen=True)
class AfterAction:
    incident_id: int
    incident_name: str
    is_exercise: bool
    status: str
    declared_at: datetime | None
    generated_at: datetime
    recipient: str
    timeline: tuple[TimelineLine, ...]
    staffing: tuple[ContributionLine, ...]
    figures: tuple[Figure, ...]

    def figure(self, section: str, label_: str) -> int | str:
        return next(f.value for f in self.figures if (f.section, f.label) == (section, label_))


def timeline(session: Session, incident_id: int) -> tuple[TimelineLine, ...]:
    """The incident's status changes and every step of its services' activations, in time order."""
    lines = [TimelineLine(c.at, "Incident", label(c.to_status), c.by_name, c.reason)
             for c in session.scalars(select(IncidentStatusChange).where(IncidentStatusChange.incident_id == incident_id)
                                      .order_by(IncidentStatusChange.id))]
    lines += [TimelineLine(step.at, f"{card.service} ({card.lead_agency})", label(step.stage), step.by,
                           authority_words(step))
              for card in activation_cards(session, incident_id) for step in card.steps]
    return tuple(sorted(lines, key=lambda line: line.at))


def duration(span: timedelta | None) -> str:
    """A span as a reader says it: "2 h 05 min", "3 days 4 h"; "not yet" when there is none."""
    if span is None:
        return "not yet"
    minutes = max(0, int(span.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    return f"{hours} h {minutes:02d} min"


TIMES = "How quickly"


def _median(ordered: list[timedelta]) -> timedelta:
    """The lower middle of a sorted list: a time someone actually waited."""
    return ordered[(len(ordered) - 1) // 2]


def time_figures(session: Session, incident: Incident) -> list[Figure]:
    """From the declaration (or the opening, when never declared) to the first hub shift anyone was on,
    and each call-out's time from being sent to its quorum."""
    start = incident.declared_at or incident.created_at
    first_shift = session.scalar(
        select(func.min(ShiftRequirement.starts_at)).join(Assignment, Assignment.requirement_id == ShiftRequirement.id)
        .where(ShiftRequirement.incident_id == incident.id, Assignment.withdrawn_at.is_(None)))
    callouts = session.execute(select(CallOut.created_at, CallOut.quorum_met_at)
                               .where(CallOut.incident_id == incident.id).order_by(CallOut.created_at)).all()
    met = sorted(met_at - sent for sent, met_at in callouts if met_at is not None)
    figures = [
        Figure(TIMES, "Time to the first hub shift staffed", duration(first_shift - start if first_shift else None)),
        Figure(TIMES, "Call-outs sent", len(callouts)),
        Figure(TIMES, "Call-outs that reached their quorum", len(met)),
    ]
    if met:
        figures += [Figure(TIMES, "Quickest call-out to quorum", duration(met[0])),
                    Figure(TIMES, "Median call-out to quorum", duration(_median(met))),
                    Figure(TIMES, "Slowest call-out to quorum", duration(met[-1]))]
    return figures


def referral_figures(session: Session, incident_id: int, at: datetime) -> list[Figure]:
    """Everyone registered, open or discharged: referred within the Victims' Code deadline or late,
    not referred with the deadline passed, or not yet due."""
    counted = referral_deadlines(session, incident_id, at)
    section = "Victims' Code referrals"
    return [Figure(section, "People registered", counted.people),
            Figure(section, "Referred within the deadline", counted.in_time),
            Figure(section, "Referred late", counted.late),
            Figure(section, "Not referred, deadline passed", counted.overdue),
            Figure(section, "Not referred, deadline not yet passed", counted.due)]


def reach_figures(session: Session, incident_id: int) -> list[Figure]:
    """People reached: the outreach invitations delivered and the checks completed, as the outreach
    responses page counts them; and the screens done (outreach's and caseworkers')."""
    total = sum((r.counts for r in response_counts(session, incident_id)), Responses())
    screens, positive = (int(v) for v in session.execute(select(
        func.count(Screening.id), count_if(Screening.positive.is_(True))).where(
        Screening.incident_id == incident_id)).one())
    return [Figure("People reached", "Invited by outreach", total.invited),
            Figure("People reached", "Invitations delivered", total.delivered),
            Figure("People reached", "Online checks completed", total.completed),
            Figure("Screening", "Screens done", screens), Figure("Screening", "Positive screens", positive)]


def complaint_figures(session: Session, incident_id: int) -> list[Figure]:
    answered = Complaint.answered_at.is_not(None)
    received, done = (int(v) for v in session.execute(select(func.count(Complaint.id), count_if(answered))
                                                      .where(Complaint.incident_id == incident_id)).one())
    spans = sorted(a - r for r, a in session.execute(select(Complaint.received_at, Complaint.answered_at)
                                                    .where(Complaint.incident_id == incident_id, answered)))
    figures = [Figure("Complaints", "Received", received), Figure("Complaints", "Answered", done),
               Figure("Complaints", "Not answered yet", received - done)]
    if spans:
        figures.append(Figure("Complaints", "Median time to answer", duration(_median(spans))))
    return figures


def build_after_action(session: Session, actor: Actor, incident_id: int, *, recipient: str = "") -> AfterAction:
    """The report as it stands now. Gold and those who hold the force to account (the commissioner's
    office, the auditor) read it."""
    if not actor.can(Permission.GOVERNANCE_VIEW):
        require(actor, Permission.SITREP_VIEW)
    incident = session.get(Incident, incident_id) if isinstance(incident_id, int) else None
    if incident is None:
        raise InputError(f"No incident {incident_id}.")
    at = now()
    figures = (time_figures(session, incident) + referral_figures(session, incident_id, at)
               + reach_figures(session, incident_id) + complaint_figures(session, incident_id))
    return AfterAction(incident.id, incident.name, incident.is_exercise, incident.status, incident.declared_at, at,
                       recipient, timeline(session, incident_id), tuple(contribution_lines(session, incident_id)),
                       tuple(figures))
