"""How many statements the worker sends the database per stored message, for a batch of each
kind: a batch reads its senders and call-outs at once, so a YES must not creep back to a query
for each of them (README's benchmark section: each round trip is 5 to 10 ms on a loaded
PostgreSQL). Every statement counts: reads, writes, savepoints, the audit chain's."""

from __future__ import annotations

from contextlib import contextmanager
from itertools import count

import pytest
from sqlalchemy import event, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.db import get_engine, unit_of_work
from notifications.callout_service import start_callout
from notifications.model import InboundMessage
from notifications.plugin import INBOUND_BATCH, handle_stored_messages
from notifications.replies import help_text
from notifications.webhooks import ROUTES
from rosters.assignment_service import live_assignments
from tests.callout_traffic import HUB, asked_mobiles
from tests.twilio_requests import inbound, post_sms, replies_to

# A batch of 20 sent 44.2 statements a YES and 13.2 a HELP (12.2 on SQLite) while each message read
# its own sender, call-out and shift and queued its own reply; 29.1 and 7.5 (6.7) since.
MOST_PER_YES = 30
MOST_PER_HELP = 8
_sid = count()


@pytest.fixture
def client(db, twilio_env):
    return TestClient(Starlette(routes=ROUTES))


@contextmanager
def counted(engine):
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def per_message(client, messages: list[tuple[str, str]]) -> float:
    """Store `messages` ((sender, body)) through the webhook, then handle them as the worker does: the
    statements the worker sent per message."""
    for sender, body in messages:
        assert post_sms(client, inbound(body, sid=f"SMcount{next(_sid):027d}", sender=sender)).status_code == 200
    with counted(get_engine()) as statements:
        assert handle_stored_messages() == len(messages)
    return len(statements) / len(messages)


def yes_batch(db, client, world) -> tuple[float, int, list[str]]:
    w = world(headcount=INBOUND_BATCH, staff=2 * INBOUND_BATCH)
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=INBOUND_BATCH)
    mobiles = asked_mobiles(db.engine, callout.id)[:INBOUND_BATCH]
    cost = per_message(client, [(m, f"YES {callout.code}") for m in mobiles])
    with unit_of_work(db.engine) as s:
        assigned = len(live_assignments(s, [w.requirement_id])[w.requirement_id])
    return cost, assigned, mobiles


def test_a_yes_in_a_batch_costs_at_most_a_fixed_number_of_statements(db, client, world):
    cost, assigned, mobiles = yes_batch(db, client, world)
    print(f"\n{db.kind}: {cost:.1f} statements a YES")
    assert assigned == INBOUND_BATCH  # every YES assigned, each under the shift's rules
    assert all(r[0].startswith("EXERCISE Confirmed") for r in map(lambda m: replies_to(db.engine, m), mobiles))
    assert cost <= MOST_PER_YES


def test_a_help_in_a_batch_costs_at_most_a_fixed_number_of_statements(db, client, world):
    w = world(headcount=1, staff=INBOUND_BATCH)
    cost = per_message(client, [(w.mobile(n), "HELP") for n in range(INBOUND_BATCH)])
    print(f"\n{db.kind}: {cost:.1f} statements a HELP")
    assert all(replies_to(db.engine, w.mobile(n)) == [help_text()] for n in range(INBOUND_BATCH))
    assert cost <= MOST_PER_HELP


def test_stop_and_unknown_senders_are_counted(db, client, world):
    """Reported, not bounded: a STOP writes the opt-out in two domains; an unknown sender is asked
    of pathways (is it a registered person?) through its port, one at a time."""
    w = world(headcount=1, staff=INBOUND_BATCH)
    stop = per_message(client, [(w.mobile(n), "STOP") for n in range(INBOUND_BATCH)])
    unknown = per_message(client, [(f"+4474009{n:05d}", f"hello {n}") for n in range(INBOUND_BATCH)])
    print(f"\n{db.kind}: {stop:.1f} statements a STOP, {unknown:.1f} an unknown sender's message")
    with unit_of_work(db.engine) as s:
        kinds = list(s.scalars(select(InboundMessage.outcome).order_by(InboundMessage.id)))
    assert kinds == ["opted out"] * INBOUND_BATCH + ["unknown sender: not answered"] * INBOUND_BATCH
