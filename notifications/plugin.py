"""How the notifications domain plugs into the shell (PAGES), the worker (SWEEPS) and the demo (seed_demo)."""

from __future__ import annotations

from functools import lru_cache

from core.auth.roles import Permission
from core.db import get_engine, unit_of_work
from core.demo_context import DemoContext
from core.plugin_shapes import PageSpec, Sweep
from core.settings import Settings, get_settings
from notifications.callout_service import advance_callouts
from notifications.channels import Sender, channel_named, channels
from notifications.demo import seed_callouts
from notifications.dispatcher import dispatch
from notifications.inbound_service import WAKE_TOPIC, claim, process_batch
from notifications.pacing import TokenBucket
from notifications.retention import RETENTION  # noqa: F401  gathered by standup/retention.py
from notifications.simulated_responders import answer_for_simulated_responders

# Stored messages handled in one unit of work: fewer commits at load, while the row locks a batch
# holds (call-outs, shifts) stay a fraction of a second.
INBOUND_BATCH = 20

PAGES: tuple[PageSpec, ...] = (
    PageSpec("notifications/pages/callouts.py", "Call-outs", ":material/campaign:", "Hub staffing",
             Permission.CALLOUT_RUN),
    PageSpec("notifications/pages/outbox.py", "SMS outbox", ":material/sms:", "Hub staffing", Permission.OUTBOX_VIEW),
    PageSpec("notifications/pages/requests.py", "Staff requests", ":material/forward_to_inbox:", "Hub staffing",
             Permission.MOBILISATION_ANSWER),
)


@lru_cache(maxsize=16)
def _sender(channel: str, settings: Settings) -> tuple[Sender, TokenBucket]:
    # One sender and one bucket per channel and worker process, so each pace holds across sweep runs.
    kind = channel_named(channel)
    return kind.sender(settings), TokenBucket(kind.rate(settings))


def dispatch_sweep(channel: str) -> Sweep:
    """The sweep that sends `channel`'s outbox at its own provider's pace."""
    def send() -> object:
        sender, bucket = _sender(channel, get_settings())
        return dispatch(get_engine(), channel, sender, bucket)

    return Sweep(f"{channel}_dispatch", 2, send)


def advance() -> int:
    with unit_of_work() as session:
        return advance_callouts(session)


def handle_stored_messages() -> int:
    """Handle every message the webhook stored, INBOUND_BATCH to a unit of work (one commit, and on
    PostgreSQL other workers take the next batch meanwhile); how many were handled. One that fails
    is rolled back alone and left for the next run, until it is parked (inbound_service.process_claimed)."""
    handled, tried = 0, set()
    while True:
        with unit_of_work() as session:
            batch = claim(session, INBOUND_BATCH, skip=tried)
            if not batch:
                return handled
            tried.update(row.id for row in batch)
            handled += process_batch(session, batch)


def simulate_exercise_responders() -> int:
    with unit_of_work() as session:
        return answer_for_simulated_responders(session)


SWEEPS: tuple[Sweep, ...] = (
    *(dispatch_sweep(name) for name in channels()),
    # Woken by the webhook as each message is stored; the interval is the safety net.
    Sweep("inbound_sms", 10, handle_stored_messages, wake_topic=WAKE_TOPIC),
    Sweep("callout_waves", 15, advance),
    Sweep("exercise_responders", 5, simulate_exercise_responders),
)


def seed_demo(ctx: DemoContext) -> None:
    """One finished call-out and one in progress, on the rosters' demo shifts."""
    seed_callouts(ctx)
