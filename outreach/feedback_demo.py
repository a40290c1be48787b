"""The exercise's feedback survey (`standup demo`): a few of the incident's people discharged (those
whose case may be closed), the sweep texting them the survey, and most answering it through the same
service the public page calls, so the Governance page has figures to show (and hide)."""

from __future__ import annotations

from datetime import timedelta

from core.clock import now
from core.demo_context import DemoContext
from core.errors import InputError
from outreach.feedback_service import FeedbackAnswers, offer_feedback, submit_feedback
from pathways.caseload_service import discharge
from pathways.queries import people_registered_or_discharged


def seed_feedback(ctx: DemoContext) -> None:
    at = now()
    people = [c.id for c in people_registered_or_discharged(
        ctx.session, registered_from=at - timedelta(days=3650), registered_to=at, discharged_since=at)
        if c.incident_id == ctx.incident_id]
    for person_id in ctx.rng.sample(people, min(len(people), ctx.pick(20, 60, 150))):
        try:
            discharge(ctx.session, ctx.actor, person_id, "recovered", "Support completed; no further needs")
        except InputError:  # a positive screen or an alert waits for a clinician: the case stays open
            continue
    links: dict[int, str] = {}
    offer_feedback(ctx.session, links=links)
    for n, (_person_id, token) in enumerate(sorted(links.items())[: int(len(links) * 0.7)]):
        satisfaction = ctx.rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 2, 5, 5))[0]
        submit_feedback(ctx.session, token, FeedbackAnswers(
            satisfaction, kept_informed=ctx.rng.random() < 0.75, treated_with_respect=ctx.rng.random() < 0.9,
            contact_wanted=n % 5 == 0,
            comment="It would have helped to hear sooner about the court dates." if n % 4 == 1 else ""))
