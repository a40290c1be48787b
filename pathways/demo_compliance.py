"""What the demo's Victims' Code compliance report reads beyond the caseload's story: the
enhanced-rights assessment each bulk-built person had at registration (the service makes one for
everyone registered through it), and complaints over the weeks, most answered in time, some late,
a few still open. Its own random generator, so the rest of the demo stays as it was."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from core.clock import now
from core.db import bulk_insert
from core.demo_context import DemoContext
from pathways.enhanced_rights import TERRORISM
from pathways.model import Complaint, EnhancedRightsAssessment, Person

COMPLAINTS = ("EXERCISE: nobody rang back after the first visit.", "EXERCISE: the letter was sent to the wrong address.",
              "EXERCISE: the hub was closed when the website said it was open.",
              "EXERCISE: I was asked the same questions three times.")


def seed_compliance(ctx: DemoContext) -> None:
    rng = random.Random(f"compliance {ctx.incident_id}")
    unassessed = ctx.session.execute(select(Person.id, Person.registered_at).where(
        Person.incident_id == ctx.incident_id, Person.merged_into_id.is_(None),
        Person.id.not_in(select(EnhancedRightsAssessment.person_id))).order_by(Person.id)).all()
    bulk_insert(ctx.session, EnhancedRightsAssessment, [
        dict(person_id=p.id, entitled=True, reasons=TERRORISM, assessed_at=p.registered_at, assessed_by_id=None)
        for p in unassessed])
    at = now()
    complaints = []
    for p in rng.sample(unassessed, min(len(unassessed), ctx.pick(24, 400, 2_000))):
        received = p.registered_at + timedelta(days=rng.uniform(1, 20))
        if received >= at:
            continue
        answered = received + timedelta(days=rng.choice((3, 8, 12, 18, 25, 40)))
        open_ = answered > at or rng.random() < 0.1
        complaints.append(dict(incident_id=ctx.incident_id, person_id=p.id, summary=rng.choice(COMPLAINTS),
                               received_at=received, recorded_by_id=None, status="open" if open_ else "answered",
                               answer="" if open_ else "EXERCISE: apologised and put right.",
                               answered_at=None if open_ else answered, answered_by_id=None))
    bulk_insert(ctx.session, Complaint, complaints)
