"""The notifications part of `standup demo`: one finished call-out and one still running (which
phones those who have not answered), on shifts rosters' demo created, plus one mobilisation
request answered by SMS."""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import islice

from sqlalchemy import select

from core.agencies.model import Agency
from core.clock import now
from core.demo_context import DemoContext
from notifications.callout_service import calls_can_be_made, preview_callout, start_callout
from notifications.channels import channels
from notifications.channels.console import ConsoleSender
from notifications.dispatcher import send_due_in
from notifications.inbound_service import handle_inbound
from notifications.mobilisation_service import request_staff
from notifications.simulated_responders import answer_for_simulated_responders
from rosters.coverage_queries import gaps

# The demo is built before any worker runs: each channel's console "sends" its messages at once.
CONSOLE = {name: ConsoleSender("DM") for name in channels()}


def seed_callouts(ctx: DemoContext) -> None:
    # Gaps someone could be texted for: which those are depends on the hour the demo is built.
    open_gaps = list(islice((g for g in gaps(ctx.session, ctx.actor, ctx.incident_id)
                             if g.starts_at > now() + timedelta(hours=1)
                             and preview_callout(ctx.session, ctx.actor, g.requirement_id).eligible), 2))
    if len(open_gaps) < 2:
        return  # rosters' demo made no gaps to call out for
    rng = random.Random(ctx.rng.random())
    start_callout(ctx.session, ctx.actor, open_gaps[0].requirement_id, quorum=1,
                  exercise_yes_share=1.0, exercise_reply_seconds=0, rng=rng)
    send_due_in(ctx.session, CONSOLE)
    answer_for_simulated_responders(ctx.session)
    # Still asking: its simulated responders take ten minutes to text back, so at three minutes the
    # worker phones them and the outbox shows calls to answer with a key.
    start_callout(ctx.session, ctx.actor, open_gaps[1].requirement_id, quorum=max(1, open_gaps[1].open_places),
                  reminder_after_minutes=3, call_if_unanswered=calls_can_be_made(),
                  exercise_yes_share=0.4, exercise_reply_seconds=600, rng=rng)
    send_due_in(ctx.session, CONSOLE)
    coordinator = ctx.session.scalar(select(Agency).where(Agency.id == ctx.agencies.get("Victim Support")))
    if coordinator is not None and coordinator.coordinator_mobile:
        request = request_staff(ctx.session, ctx.actor, ctx.incident_id, coordinator.id)
        handle_inbound(ctx.session, sid=f"SMdemo{request.id:026d}", from_=coordinator.coordinator_mobile,
                       to="console", body="We can send 3")
    send_due_in(ctx.session, CONSOLE)
