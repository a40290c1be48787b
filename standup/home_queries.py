"""What needs me now: each role's home page, read across the domains (the composition layer's
job, as the situation report is). Each line says what is waiting and links where it is dealt with.

- Gold: the risks the situation report would read out, services asked for and not yet standing
  up, and the decisions logged since the last report was made.
- Hub manager: shifts in the next 24 hours not fully staffed, call-outs still asking, replies a
  person must read.
- Caseworker: my day's counts (due today, overdue, positives to review, referrals due, messages).
- Agency coordinator: staff requests waiting for the agency's answer.
A role sees what its permissions reach; an account with several shows each part."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.auth.roles import Actor, Permission
from core.clock import show
from incident.activation_service import activations_board
from incident.model import ActivationStage
from notifications.board_queries import callouts_for_incident
from notifications.console_service import inbound_messages
from notifications.mobilisation_service import requests_for_my_agency
from notifications.model import CallOutStatus
from pathways.my_day_queries import my_day
from rosters.coverage_queries import gaps
from standup.sitrep.figures import NEXT_HOURS, build_sitrep


@dataclass(frozen=True)
class Waiting:
    text: str
    page: str  # where it is dealt with
    urgent: bool = False


@dataclass(frozen=True)
class Home:
    heading: str
    waiting: tuple[Waiting, ...]
    all_clear: str  # said when nothing waits


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _gold(session: Session, actor: Actor, incident_id: int) -> list[Waiting]:
    report = build_sitrep(session, actor, incident_id)
    lines = [Waiting(risk[0].upper() + risk[1:], "standup/pages/dashboard.py", urgent=True) for risk in report.risks]
    requested = [c for c in activations_board(session, actor, incident_id) if c.stage == ActivationStage.REQUESTED]
    lines += [Waiting(f"{c.service} (lead {c.lead_agency}) asked for {show(c.since)}: not yet standing up",
                      "incident/pages/gold.py") for c in requested]
    since = f"since the last report ({show(report.decisions_since, '%H:%M')})" if report.decisions_since \
        else "and no situation report made yet"
    lines.append(Waiting(f"{_plural(len(report.decisions), 'decision', 'decisions')} logged {since}",
                         "standup/pages/dashboard.py"))
    return lines


def _hub_manager(session: Session, actor: Actor, incident_id: int) -> list[Waiting]:
    short = gaps(session, actor, incident_id, within=NEXT_HOURS)
    lines = [Waiting(f"{g.hub_name} {show(g.starts_at, '%a %H:%M')}–{show(g.ends_at, '%H:%M')} {g.role}: "
                     f"{g.filled} of {g.needed}" + (f", needs {', '.join(g.unmet_needs)}" if g.unmet_needs else ""),
                     "rosters/pages/coverage.py", urgent=True) for g in short]
    asking = [c for c in callouts_for_incident(session, actor, incident_id) if c.status == CallOutStatus.OPEN]
    lines += [Waiting(f"Call-out {c.code} still asking (next wave {show(c.next_wave_at, '%H:%M') or 'none planned'})",
                      "notifications/pages/callouts.py") for c in asking]
    replies = inbound_messages(session, actor, incident_id, attention_only=True, limit=100)
    if replies:
        lines.append(Waiting(f"{_plural(len(replies), 'SMS reply needs', 'SMS replies need')} a person to read",
                             "notifications/pages/outbox.py", urgent=True))
    return lines


def _caseworker(session: Session, actor: Actor, incident_id: int) -> list[Waiting]:
    day = my_day(session, actor, incident_id)
    counts = ((day.overdue_total, "screening overdue", "screenings overdue", True),
              (day.due_today_total, "screening due today", "screenings due today", False),
              (day.to_review_total, "positive screen waiting for a clinician", "positive screens waiting for a clinician",
               True),
              (day.referrals_due_total, "Victims' Code referral due", "Victims' Code referrals due", True),
              (day.to_inform_overdue, "person not yet told of a justice milestone, past the Victims' Code time",
               "people not yet told of a justice milestone, past the Victims' Code time", True),
              (day.to_inform_total - day.to_inform_overdue, "person to tell of a justice milestone",
               "people to tell of a justice milestone", False),
              (day.plans_due_total, "support plan review or action due", "support plan reviews and actions due",
               False),
              (day.messages_total, "unread message from a person", "unread messages from people", False))
    return [Waiting(_plural(n, one, many), "pathways/pages/my_day.py", urgent) for n, one, many, urgent in counts if n]


def _coordinator(session: Session, actor: Actor) -> list[Waiting]:
    waiting = [r for r in requests_for_my_agency(session, actor) if r.request.answered_at is None]
    return [Waiting(f"{'EXERCISE · ' if r.is_exercise else ''}{r.incident_name}: the hub asks how many staff your "
                    f"agency can send (request {r.request.code}, {show(r.request.requested_at)})",
                    "notifications/pages/requests.py", urgent=not r.is_exercise) for r in waiting]


def home_for(session: Session, actor: Actor, incident_id: int | None) -> Home:
    """The lines waiting for this person now, most pressing first."""
    lines: list[Waiting] = []
    if actor.can(Permission.MOBILISATION_ANSWER):
        lines += _coordinator(session, actor)
    if incident_id is not None:
        if actor.can(Permission.INCIDENT_COMMAND):
            lines += _gold(session, actor, incident_id)
        if actor.can(Permission.CALLOUT_RUN):
            lines += _hub_manager(session, actor, incident_id)
        if actor.can(Permission.PEOPLE_VIEW):
            lines += _caseworker(session, actor, incident_id)
    lines.sort(key=lambda w: not w.urgent)
    return Home("What needs you now", tuple(lines), "Nothing is waiting for you in this incident.")
