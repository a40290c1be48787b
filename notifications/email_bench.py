"""How fast the email channel sends: `standup bench` calls this on a migrated scratch database.

bench_email_rate: the dispatcher sending through the real SMTP backend (smtplib, one connection
kept) to a real SMTP server on loopback (aiosmtpd, started here), paced at EMAIL_RATE_PER_SECOND,
against that rate (within 5%); and the same unpaced, to show what a claim-send-record cycle over
SMTP costs. The bucket is the worker's: it starts full, so its first second's worth go at once; the
figure counts the emails after those over the time taken, the steady pace. Correctness: emails the
server received twice or never (matched by Message-ID to the outbox rows' ids), and rows not sent.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace

from sqlalchemy import Engine, select

from core.bench import BenchRow
from core.db import unit_of_work
from core.settings import get_settings
from notifications.channels.smtp_sender import SmtpEmail
from notifications.dispatcher import dispatch
from notifications.local_smtp import Mailbox, local_smtp_server
from notifications.model import OutboundMessage
from notifications.outbox_service import queue
from notifications.pacing import TokenBucket

RATE_TOLERANCE = 0.05  # the paced send rate within 5% of EMAIL_RATE_PER_SECOND
SENDER = "bench@standup.example.org"


def _queue(engine: Engine, messages: int) -> list[int]:
    with unit_of_work(engine) as session:
        return [queue(session, channel="email", to=f"person{n}@example.org", subject=f"Bench email {n}",
                      body=f"Bench email {n}.\n\nA second paragraph.", purpose="notice", incident_id=None,
                      payload={"audience": "staff"}).id for n in range(messages)]


def _run(engine: Engine, sender: SmtpEmail, mailbox: Mailbox, messages: int, bucket: TokenBucket) -> tuple[float, int]:
    """Send `messages` new emails; (seconds, emails received twice or never, or not recorded sent)."""
    ids = _queue(engine, messages)
    mailbox.envelopes.clear()
    started = time.perf_counter()
    dispatch(engine, "email", sender, bucket, max_messages=messages + 1, time_budget_s=3600)
    took = time.perf_counter() - started
    with unit_of_work(engine) as session:
        sids = dict(session.execute(select(OutboundMessage.id, OutboundMessage.provider_sid)
                                    .where(OutboundMessage.id.in_(ids))).all())
    received = Counter(m["Message-ID"].strip("<>").partition("@")[0] for m in mailbox.messages)
    wrong = sum(1 for i in ids if sids.get(i) is None or received[sids[i]] != 1)
    return took, wrong + sum(1 for sid in received if sid not in set(sids.values()))


def bench_email_rate(engine: Engine, *, messages: int = 100, rate: float | None = None) -> list[BenchRow]:
    rate = rate or get_settings().email_rate_per_second
    mailbox = Mailbox()
    with local_smtp_server(mailbox) as port:
        sender = SmtpEmail(replace(get_settings(), email_backend="smtp", smtp_url=f"smtp://127.0.0.1:{port}",
                                   email_from=f"Stand Up bench <{SENDER}>"))
        try:
            bucket = TokenBucket(rate)
            burst = min(int(bucket.burst), messages - 1)
            paced_s, paced_wrong = _run(engine, sender, mailbox, messages, bucket)
            free_s, free_wrong = _run(engine, sender, mailbox, messages, TokenBucket(1e9))
        finally:
            sender.close()
    achieved = (messages - burst) / paced_s
    return [
        BenchRow("email dispatcher send rate (paced, SMTP)", f"{achieved:.2f} emails/s",
                 f"{rate:g}/s ± 5% (EMAIL_RATE_PER_SECOND)", abs(achieved - rate) <= RATE_TOLERANCE * rate,
                 correctness=paced_wrong,
                 note=f"{messages} emails, both bodies, to a local SMTP server (aiosmtpd) over one kept connection "
                      f"({engine.dialect.name}); the first {burst} at once from the full bucket, not counted"),
        BenchRow("email dispatcher cycle (unpaced, SMTP)", f"{messages / free_s:,.0f} emails/s", "reference", None,
                 correctness=free_wrong, note="claim, commit, build the email, SMTP transaction, record"),
    ]
