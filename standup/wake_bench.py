"""How soon the worker acts on what it is woken for (core.wakeup), with a worker of its own running
(forked from `standup bench`, the webhook server likewise) on a scratch database.

- bench_inbound_answers: signed SMS to POST /twilio/sms at a steady pace, a YES to a surge call-out
  from each of the staff it asked and a HELP from as many others, alternately. Measured from the
  moment each webhook's answer came back: its reply queued in the outbox (every message; target p95
  under 1 s) and, for each YES, its assignment made (target p95 under 2 s). Correctness: messages
  not handled, handled twice, replies other than one each, assignments other than one per YES.
- bench_alert_texts: screenings that raise an urgent safety alert, saved one after another at a
  steady pace; measured from each save's commit to the duty clinician's SMS queued in the outbox
  (target p95 under 2 s). Correctness: alerts not texted, or texted twice.
A reply or a text queued before the client heard back counts as 0 ms.
"""

from __future__ import annotations

import logging
import multiprocessing
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import urlencode

import httpx
from sqlalchemy import Engine, func, select
from twilio.request_validator import RequestValidator

from core.audit.model import AuditEvent
from core.auth.model import User
from core.auth.roles import Actor, Role
from core.auth.service import actor_for
from core.bench import BenchRow, p95_ms
from core.db import forget_engines, unit_of_work
from incident.lifecycle_service import open_incident
from incident.team_service import assign_to_team
from notifications.bench import (
    PUBLIC,
    TOKEN,
    surge_callout_for_bench,
    webhook_bench_environment,
    webhook_server,
)
from notifications.model import CallOutRecipient, InboundMessage, OutboundMessage
from pathways.clinicians import name_clinician, set_duty_clinician
from pathways.registration_service import NewPerson, register_person
from pathways.screening_service import record_screening
from rosters.model import Assignment, StaffMember

REPLY_TARGET_MS = 1000.0
ASSIGNED_TARGET_MS = 2000.0
ALERT_TARGET_MS = 2000.0
PACE_PER_SECOND = 20.0  # inbound SMS: a busy call-out's answers arriving
ALERTS_PER_SECOND = 4.0
ALERT_ANSWERS = [2, 2, 1, 2, 1, 1, 1, 0, 1]  # PHQ-9 with item 9 (thoughts of self-harm) above 0
CLINICIAN_MOBILE = "+447400100200"
ACTOR = Actor.system("bench")


def _worker() -> None:
    from notifications import plugin as notifications
    from pathways import plugin as pathways
    from standup.bootstrap import start
    from standup.worker import serve

    ports = start("the bench's worker")
    # "skipped: maximum number of running instances": the senders pacing the call-out's own texts.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    # What answers inbound SMS and urgent alerts, and what competes with it for the database (the
    # senders, call-out waves); not the nightly, checkpoint or statistics jobs.
    serve(notifications.SWEEPS + pathways.make_sweeps(ports.person_messages, ports.clinician_pager))


@contextmanager
def _worker_running(engine: Engine) -> Iterator[None]:
    """The worker in a process of its own, listening for wake-ups before this yields."""
    forget_engines()  # a forked child must not share the parent's database connections
    child = multiprocessing.get_context("fork").Process(target=_worker, daemon=True)
    child.start()
    try:
        time.sleep(2.0)  # its first run of every sweep, and LISTEN (or the socket) set up
        if not child.is_alive():
            raise RuntimeError("the bench's worker did not start")
        yield
    finally:
        child.terminate()
        child.join(timeout=10)


def _paced(count: int, per_second: float, each: Callable[[int], None]) -> None:
    started = time.monotonic()
    for n in range(count):
        wait = started + n / per_second - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        each(n)


def _wait_until(done: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)


def _latencies_ms(answered: dict[str, float], done: dict[str, datetime]) -> list[float]:
    return [max(0.0, done[key].timestamp() - at) * 1000 for key, at in answered.items() if key in done]


def _figure(latencies: list[float]) -> str:
    if not latencies:
        return "none measured"
    ordered = sorted(latencies)
    return f"p95 {p95_ms([ms / 1000 for ms in latencies]):,.0f} ms, median {ordered[len(ordered) // 2]:,.0f} ms"


def _asked_callout(engine: Engine, answers: int) -> tuple[str, list[str]]:
    """A surge call-out for `answers` people from a roster of twice that many, which asks them all:
    (its code, the mobiles it asked)."""
    with unit_of_work(engine) as session:
        callout = surge_callout_for_bench(session, answers, reminder_after_minutes=60)
        return callout.code, list(session.scalars(select(CallOutRecipient.mobile).where(
            CallOutRecipient.callout_id == callout.id, CallOutRecipient.wave.is_not(None))
            .order_by(CallOutRecipient.rank)))


def _signed_sms(n: int, mobile: str, body: str) -> tuple[bytes, dict]:
    params = {"MessageSid": f"SMwake{n:030d}", "AccountSid": "AC" + "0" * 32, "From": mobile,
              "To": "+447400000000", "Body": body}
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(PUBLIC + "/twilio/sms", params)}
    return urlencode(params).encode(), headers


def bench_inbound_answers(engine: Engine, *, answers: int = 100) -> list[BenchRow]:
    with webhook_bench_environment(engine):
        code, asked = _asked_callout(engine, answers)
        # YES from as many as the call-out needs, HELP from as many others it asked, alternately.
        pairs = list(zip(asked[:answers], asked[answers:2 * answers], strict=False))
        traffic, yes = [m for pair in pairs for m in pair], {m for m, _ in pairs}
        prepared = [_signed_sms(n, mobile, f"YES {code}" if mobile in yes else "HELP")
                    for n, mobile in enumerate(traffic)]
        answered: dict[str, float] = {}
        statuses: Counter = Counter()
        with webhook_server() as base, _worker_running(engine), httpx.Client(base_url=base, timeout=30) as client:
            def post(n: int) -> None:
                response = client.post("/twilio/sms", content=prepared[n][0], headers=prepared[n][1])
                answered[traffic[n]] = time.time()
                statuses[response.status_code] += 1

            _paced(len(traffic), PACE_PER_SECOND, post)
            _wait_until(lambda: _waiting(engine) == 0)
            waiting = _waiting(engine)
    with unit_of_work(engine) as session:
        replies = session.execute(select(OutboundMessage.destination, OutboundMessage.created_at).where(
            OutboundMessage.purpose == "reply")).all()
        assignments = dict(session.execute(
            select(StaffMember.mobile, Assignment.assigned_at).join(Assignment, Assignment.staff_id == StaffMember.id)
            .where(StaffMember.mobile.in_(yes))).all())
        handled = Counter(session.scalars(select(AuditEvent.entity_id).where(
            AuditEvent.entity == "inbound_message", AuditEvent.action == "receive")))
    reply_at = dict(replies)
    yes_sent = {m: at for m, at in answered.items() if m in yes}
    bad = (waiting + sum(n - 1 for n in handled.values() if n > 1) + (statuses.total() - statuses[200])
           + abs(len(replies) - len(traffic)) + abs(len(assignments) - len(yes_sent)))
    reply_ms, assigned_ms = _latencies_ms(answered, reply_at), _latencies_ms(yes_sent, assignments)
    note = (f"{len(traffic)} signed SMS at {PACE_PER_SECOND:g}/s ({len(yes_sent)} YES to a surge call-out, the rest "
            f"HELP), a worker woken by {_how_woken(engine)} ({engine.dialect.name})")
    return [
        BenchRow("inbound SMS: reply queued after the webhook's answer", _figure(reply_ms),
                 f"p95 < {REPLY_TARGET_MS:,.0f} ms", bool(reply_ms) and p95_ms([x / 1000 for x in reply_ms])
                 < REPLY_TARGET_MS, correctness=bad, note=note),
        BenchRow("inbound SMS: YES to a call-out assigned", _figure(assigned_ms),
                 f"p95 < {ASSIGNED_TARGET_MS:,.0f} ms", bool(assigned_ms) and p95_ms([x / 1000 for x in assigned_ms])
                 < ASSIGNED_TARGET_MS, correctness=bad,
                 note=f"{len(assignments)} assignments for {len(yes_sent)} YES, each checked against the shift's rules"),
    ]


def _waiting(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(InboundMessage)
                              .where(InboundMessage.processed_at.is_(None)))


def _how_woken(engine: Engine) -> str:
    return "LISTEN/NOTIFY" if engine.dialect.name == "postgresql" else "a datagram beside the database file"


def _screened_person(engine: Engine) -> tuple[Actor, int]:
    """A caseworker who is the incident's duty clinician, and one person registered by them."""
    with unit_of_work(engine) as session:
        incident = open_incident(session, ACTOR, f"Bench alerts {secrets.token_hex(4)}", is_exercise=True)
        user = User(username=f"bench-clinician-{secrets.token_hex(4)}", display_name="Bench clinician",
                    role=Role.CASEWORKER.value, password_hash=None)
        session.add(user)
        session.flush()
        assign_to_team(session, ACTOR, incident.id, user.id)
        name_clinician(session, ACTOR, user.id, CLINICIAN_MOBILE)
        set_duty_clinician(session, ACTOR, incident.id, user.id)
        caseworker = actor_for(user)
        person = register_person(session, caseworker, incident.id, NewPerson(
            given_name="Bench", family_name="Person", roles=["survivor"], source="reception_centre"))
        return caseworker, person.id


def bench_alert_texts(engine: Engine, *, alerts: int = 60) -> list[BenchRow]:
    with webhook_bench_environment(engine):
        caseworker, person_id = _screened_person(engine)
        saved: list[float] = []

        def screen(_n: int) -> None:
            with unit_of_work(engine) as session:
                record_screening(session, caseworker, person_id, "PHQ-9", ALERT_ANSWERS)
            saved.append(time.time())

        with _worker_running(engine):
            _paced(alerts, ALERTS_PER_SECOND, screen)
            _wait_until(lambda: len(_alert_texts(engine)) >= alerts, 30)
    texts = _alert_texts(engine)
    # The sweep texts alerts oldest first, one outbox row each: the n-th text is the n-th alert's.
    latencies = _latencies_ms(dict(enumerate(saved)), dict(enumerate(texts)))
    return [BenchRow("urgent alert: clinician's SMS queued after the screening saved", _figure(latencies),
                     f"p95 < {ALERT_TARGET_MS:,.0f} ms",
                     bool(latencies) and p95_ms([x / 1000 for x in latencies]) < ALERT_TARGET_MS,
                     correctness=abs(len(texts) - alerts),
                     note=f"{alerts} PHQ-9 screenings raising an alert at {ALERTS_PER_SECOND:g}/s, a worker woken "
                          f"by {_how_woken(engine)} ({engine.dialect.name})")]


def _alert_texts(engine: Engine) -> list[datetime]:
    with unit_of_work(engine) as session:
        return list(session.scalars(select(OutboundMessage.created_at).where(
            OutboundMessage.purpose == "safety_alert").order_by(OutboundMessage.id)))
