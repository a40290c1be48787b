"""How the outreach domain plugs into the shell (PAGES), the worker (SWEEPS), the demo (seed_demo)
and retention (RETENTION)."""

from __future__ import annotations

from core.auth.roles import Permission
from core.db import unit_of_work
from core.demo_context import DemoContext
from core.plugin_shapes import PageSpec, Sweep
from outreach.demo import seed_outreach
from outreach.feedback_demo import seed_feedback
from outreach.feedback_service import offer_feedback
from outreach.invitation_service import send_reminders
from outreach.retention import RETENTION  # noqa: F401  gathered by standup/retention.py

P = Permission
PAGES: tuple[PageSpec, ...] = (
    PageSpec("outreach/pages/cohorts.py", "Outreach cohorts", ":material/group_add:", "Outreach", P.OUTREACH_RUN),
    PageSpec("outreach/pages/invitations.py", "Invitations", ":material/outgoing_mail:", "Outreach", P.OUTREACH_RUN),
    PageSpec("outreach/pages/responses.py", "Outreach responses", ":material/insights:", "Outreach", P.OUTREACH_RUN),
    PageSpec("outreach/pages/self_referrals.py", "Self-referrals", ":material/person_search:", "Outreach",
             P.PEOPLE_EDIT),
    PageSpec("outreach/pages/settings.py", "Outreach settings", ":material/tune:", "Outreach", P.OUTREACH_SETTINGS),
)


def remind() -> None:
    with unit_of_work() as session:
        send_reminders(session)


def offer_surveys() -> None:
    with unit_of_work() as session:
        offer_feedback(session)


SWEEPS: tuple[Sweep, ...] = (Sweep("outreach.reminders", 300, remind),
                             Sweep("outreach.feedback_offers", 900, offer_surveys))


def seed_demo(ctx: DemoContext) -> None:
    """The ticket purchasers' cohort, its first round of checks sent and partly answered, and
    self-referrals waiting for triage (outreach.demo); people discharged and answering the feedback
    survey (outreach.feedback_demo)."""
    seed_outreach(ctx)
    seed_feedback(ctx)
