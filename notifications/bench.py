"""How fast the SMS paths are. `standup bench` calls these on a migrated scratch database; each
returns core.bench.BenchRow rows.

- bench_webhooks: signed inbound webhooks (POST /twilio/sms, signature checked, stored with one
  INSERT for the worker, empty TwiML answer) per second next to a bare Starlette POST route on the
  same uvicorn server on loopback, 8 clients at once (core.bench_client), a bounded number of requests. Every tenth
  request is replayed: the stored rows must equal the distinct SIDs (correctness: lost +
  duplicated rows). Target: at least half the bare route's rate. Beside it, reported, the ceiling
  that target leaves on this machine: the same signed posts checked and handed to a writer thread
  that stores nothing (what the real row loses beyond it is the write). How soon the worker then
  answers is standup.wake_bench's.
- bench_dispatch_rate: the dispatcher sending to a fake gateway, paced at SMS_RATE_PER_SECOND,
  against the configured rate (within 5%); and the same unpaced, to show what the
  claim-send-record cycle itself costs. Correctness: messages sent twice or never.
- bench_call_answers: a surge call-out that phoned everyone it asked; each of them presses 1, as
  signed gather callbacks (POST /twilio/voice/gather) from 8 clients at once on the same
  server, every tenth a replay. Measured: each callback's time until its answer came back, which is
  after the assignment was committed. Target: p95 under 1 s (the person waits in silence on the
  line). Correctness: assignments and stored key presses other than one per distinct call, a replay
  answered differently, a callback not answered 200.
"""

from __future__ import annotations

import secrets
import statistics
import time
from collections import Counter
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session
from starlette.requests import Request as Received
from starlette.responses import Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from core.agencies.model import Agency
from core.auth.roles import Actor
from core.bench import BenchRow, p95_ms, why_below_ratio
from core.bench_client import Request, send_all
from core.bench_server import bench_environment, serving, writing_nothing
from core.clock import now
from core.csv_safe import write_csv
from core.db import get_engine, unit_of_work
from core.settings import get_settings
from incident.hub_service import HubDetails, save_hub
from incident.lifecycle_service import open_incident
from notifications.callout_service import advance_callouts, start_surge_callout
from notifications.channels import Accepted, Outgoing
from notifications.dispatcher import dispatch
from notifications.model import CallOut, CallOutRecipient, InboundMessage, OutboundMessage
from notifications.outbox_service import queue_sms
from notifications.pacing import TokenBucket
from notifications.webhooks import GATHER_PATH, ROUTES, twilio_signed
from rosters.assignment_service import live_assignments
from rosters.import_service import import_roster

PUBLIC = "https://bench.standup.invalid"
TOKEN = "bench-auth-token"
CLIENTS = 8
WEBHOOK_TARGET_RATIO = 0.5  # of the bare route's rate, same server, same run
RATE_TOLERANCE = 0.05  # the paced send rate within 5% of SMS_RATE_PER_SECOND
CALL_ANSWER_TARGET_MS = 1000.0
ACTOR = Actor.system("bench")


async def _bare(_request: Received) -> Response:
    return Response('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', media_type="application/xml")


CEILING_PATH = "/bench/nothing-stored"
_NOTHING_STORED = writing_nothing("bench: nothing stored", True)


@twilio_signed
async def _signed_nothing_stored(request: Received, form: dict[str, str]) -> Response:
    await _NOTHING_STORED.submit(get_engine(), form.get("MessageSid", ""))
    return await _bare(request)


def webhook_server(processes: int = 1):
    """The webhooks, a bare POST route beside them (the reference) and the webhook's work without its
    write (the ceiling) under uvicorn."""
    return serving([*ROUTES, Route("/bare", _bare, methods=["POST"]),
                    Route(CEILING_PATH, _signed_nothing_stored, methods=["POST"])], processes)


def webhook_bench_environment(engine: Engine):
    """The scratch database, the webhook's token and base URL, and the console backends: a
    benchmark never texts or phones anyone."""
    return bench_environment(engine, TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=PUBLIC, SMS_BACKEND="console",
                             VOICE_BACKEND="console")


def _post_all(base: str, requests: list[Request]) -> tuple[float, Counter]:
    """Send the prepared requests from CLIENTS connections at once; (seconds, status counts)."""
    took, answers = send_all(base, CLIENTS, requests)
    return took, Counter(a.status for a in answers)


def _signed_requests(path: str, count: int, prefix: str) -> tuple[list[Request], set[str]]:
    """Signed requests, every tenth a replay of the one before, and the distinct SIDs among them."""
    validator = RequestValidator(TOKEN)
    prepared, sids = [], set()
    for n in range(count):
        sid = f"SM{prefix}{n - 1 if n % 10 == 9 else n:031d}"
        sids.add(sid)
        params = {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": f"+4474009{n % 100000:05d}",
                  "To": "+447400000000", "Body": "YES K7QX"}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": validator.compute_signature(PUBLIC + path, params)}
        prepared.append(Request("POST", path, body=urlencode(params).encode(), headers=headers))
    return prepared, sids


def bench_webhooks(engine: Engine, *, requests: int = 2000, processes: int = 1) -> list[BenchRow]:
    signed, sids = _signed_requests("/twilio/sms", requests, f"b{processes}")
    warm_up, warm_sids = _signed_requests("/twilio/sms", 50, f"w{processes}")  # imports, connection pools
    bare = [r._replace(path="/bare") for r in signed]
    unstored, _ = _signed_requests(CEILING_PATH, requests, f"c{processes}")
    with unit_of_work(engine) as session:
        before = session.scalar(select(func.count()).select_from(InboundMessage))
    with webhook_bench_environment(engine), webhook_server(processes) as base:
        _post_all(base, warm_up)
        bare_s, bare_codes = _post_all(base, bare)
        hook_s, hook_codes = _post_all(base, signed)
        ceiling_s, ceiling_codes = _post_all(base, unstored)
        with unit_of_work(engine) as session:
            stored = session.scalar(select(func.count()).select_from(InboundMessage)) - before
    expected = len(sids) + len(warm_sids)
    bad = (sum(codes.total() - codes[200] for codes in (bare_codes, hook_codes, ceiling_codes))
           + abs(stored - expected))
    bare_rate, hook_rate, ceiling_rate = requests / bare_s, requests / hook_s, requests / ceiling_s
    ratio = hook_rate / bare_rate
    server = f"uvicorn ({processes} process{'es' if processes > 1 else ''})"
    suffix = "" if processes == 1 else f", {server}"
    why = why_below_ratio(bare_rate, hook_rate, ceiling_rate, WEBHOOK_TARGET_RATIO) if processes == 1 else ""
    return [
        BenchRow(f"bare Starlette POST route{suffix}", f"{bare_rate:,.0f} req/s", "reference", None,
                 note=f"{requests} requests, {CLIENTS} clients at once, {server} on loopback"),
        BenchRow(f"signed inbound webhook /twilio/sms{suffix}", f"{hook_rate:,.0f} req/s (×{ratio:.2f} of bare)",
                 f"≥ {WEBHOOK_TARGET_RATIO} × the bare route" if processes == 1 else "reported",
                 ratio >= WEBHOOK_TARGET_RATIO if processes == 1 else None, correctness=bad,
                 note="; ".join(filter(None, [f"signature check, one INSERT, empty TwiML (the worker answers); {stored} rows "
                                             f"for {expected} distinct SIDs ({engine.dialect.name})", why]))),
        BenchRow(f"signed webhook with nothing stored (the target's ceiling here){suffix}",
                 f"{ceiling_rate:,.0f} req/s (×{ceiling_rate / bare_rate:.2f} of bare)", "reported", None,
                 note="signature checked, handed to a writer thread that writes nothing: what the row above "
                      "loses beyond this is its write, which is committed before the answer"),
    ]


class _CountingGateway:
    name = "bench"

    def __init__(self) -> None:
        self.sent: Counter = Counter()

    def send(self, message: Outgoing) -> Accepted:
        self.sent[message.reference] += 1
        return Accepted(f"SMbench{message.reference:027d}", "queued")


def _queue(engine: Engine, messages: int) -> list[int]:
    with unit_of_work(engine) as session:
        return [queue_sms(session, to=f"+4474008{n % 100000:05d}", body=f"Bench message {n}", purpose="notice",
                          incident_id=None).id for n in range(messages)]


def _run(engine: Engine, messages: int, rate: float) -> tuple[float, int]:
    ids = _queue(engine, messages)
    gateway = _CountingGateway()
    started = time.perf_counter()
    dispatch(engine, "sms", gateway, TokenBucket(rate), max_messages=messages + 1, time_budget_s=3600)
    took = time.perf_counter() - started
    wrong = sum(1 for i in ids if gateway.sent[i] != 1) + sum(1 for i in gateway.sent if i not in set(ids))
    return took, wrong


def bench_dispatch_rate(engine: Engine, *, messages: int = 2000, rate: float | None = None) -> list[BenchRow]:
    rate = rate or get_settings().sms_rate_per_second
    paced_s, paced_wrong = _run(engine, messages, rate)
    achieved = messages / paced_s
    free_s, free_wrong = _run(engine, messages, 1e9)
    return [
        BenchRow("dispatcher send rate (paced)", f"{achieved:.2f} msg/s", f"{rate:g}/s ± 5% (SMS_RATE_PER_SECOND)",
                 abs(achieved - rate) <= RATE_TOLERANCE * rate, correctness=paced_wrong,
                 note=f"{messages} one-segment messages to a fake gateway ({engine.dialect.name}); "
                      f"the bucket starts full, so the first {rate:g} go at once"),
        BenchRow("dispatcher cycle (unpaced)", f"{messages / free_s:,.0f} msg/s", "reference", None,
                 correctness=free_wrong, note="claim, commit, send, record: two transactions per message"),
    ]


def _roster(people: int) -> bytes:
    header = ["Staff ID", "Forename", "Surname", "Mobile Number", "Job Title", "DBS", "DBS Expiry"]
    return write_csv([[f"V{n:05d}", "Bench", f"Caller{n:05d}", f"07400 {n:06d}", "support worker", "Enhanced",
                       "01/01/2030"] for n in range(people)], header).encode("utf-8-sig")


def surge_callout_for_bench(session: Session, answers: int, **callout_options) -> CallOut:
    """A surge call-out for `answers` support workers in a new exercise incident, asking all of a
    roster of twice that many."""
    incident = open_incident(session, ACTOR, f"Bench call-out {secrets.token_hex(4)}", is_exercise=True)
    hub = save_hub(session, ACTOR, incident.id, HubDetails("Bench hub", postcode="M3 3EB"))
    agency = Agency(name=f"Bench agency {secrets.token_hex(4)}", kind="other")
    session.add(agency)
    session.flush()
    import_roster(session, ACTOR, agency.id, _roster(2 * answers), "bench.csv")
    return start_surge_callout(session, ACTOR, incident.id, hub.id, role="support worker", more=answers, hours=4,
                               **callout_options)


def _phoned_callout(engine: Engine, answers: int) -> tuple[int, list[int]]:
    """A surge call-out for `answers` people that texted 2 × that many and then phoned them all, as
    it does once nobody has answered by the reminder time: (its requirement, the calls' outbox ids)."""
    with unit_of_work(engine) as session:
        callout = surge_callout_for_bench(session, answers, reminder_after_minutes=1, call_if_unanswered=True)
        # Nobody answered the texts: the reminder time has passed.
        session.execute(update(CallOutRecipient).where(CallOutRecipient.callout_id == callout.id)
                        .values(asked_at=now() - timedelta(minutes=2)))
        advance_callouts(session)
        calls = list(session.scalars(select(OutboundMessage.id).where(
            OutboundMessage.callout_id == callout.id, OutboundMessage.channel == "voice").order_by(OutboundMessage.id)))
        return callout.requirement_id, calls


def _key_presses(calls: list[int], requests: int) -> tuple[list[Request], set[int]]:
    """Signed gather callbacks pressing 1 on the first calls, every tenth a replay of the one before,
    and the calls answered."""
    validator = RequestValidator(TOKEN)
    prepared, answered = [], set()
    for n in range(requests):
        which = n - 1 if n % 10 == 9 else n
        answered.add(calls[which])
        path = f"{GATHER_PATH}?{urlencode({'ref': calls[which], 'attempt': 1})}"
        params = {"CallSid": f"CAbench{which:025d}", "AccountSid": "AC" + "0" * 32, "Digits": "1",
                  "From": "+447400000000", "To": f"+447400{which:06d}", "CallStatus": "in-progress"}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": validator.compute_signature(PUBLIC + path, params)}
        prepared.append(Request("POST", path, body=urlencode(params).encode(), headers=headers))
    return prepared, answered


def bench_call_answers(engine: Engine, *, requests: int = 200) -> list[BenchRow]:
    distinct = requests - requests // 10
    with webhook_bench_environment(engine):  # the console backends, whatever this machine's settings say
        requirement_id, calls = _phoned_callout(engine, distinct)
        presses, answered = _key_presses(calls, requests)
        with webhook_server() as base:
            took, answers = send_all(base, CLIENTS, presses)
    with unit_of_work(engine) as session:
        assigned = len(live_assignments(session, [requirement_id])[requirement_id])
        stored = session.scalar(select(func.count()).select_from(InboundMessage).where(InboundMessage.channel == "voice"))
    confirmed = sum(b"You are confirmed" in a.body for a in answers)
    replayed_differently = sum(answers[n].body != answers[n - 1].body for n in range(9, requests, 10))
    bad = (sum(a.status != 200 for a in answers) + abs(assigned - len(answered)) + abs(stored - len(answered))
           + replayed_differently)
    latencies = [a.seconds for a in answers]
    p95 = p95_ms(latencies)
    return [BenchRow(
        "call answered: gather callback (press 1) to assignment", f"p95 {p95:,.0f} ms, median "
        f"{statistics.median(latencies) * 1000:,.0f} ms", f"p95 < {CALL_ANSWER_TARGET_MS:,.0f} ms",
        p95 < CALL_ANSWER_TARGET_MS, correctness=bad,
        note=f"{requests} signed callbacks ({len(answered)} calls, every tenth replayed), {CLIENTS} clients "
             f"at once; {assigned} assignments, {confirmed} told confirmed, {took:.1f} s ({engine.dialect.name})")]
