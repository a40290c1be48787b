"""How fast the wellbeing check's pages answer. `standup bench` calls bench_public_pages on a
migrated scratch database; it returns core.bench.BenchRow rows.

The pages are served as in production (within core.public's guards, as standup/routes.py has them) by uvicorn
in a process of its own on loopback, beside a bare Starlette POST route (the reference); the
clients are asyncio tasks in this process, each with its own connection and a bare HTTP/1.1 client.
- check page p95: CLIENTS people at once, each opening their check's page again and again with no
  pause (a closed loop: the harshest reading of "50 at once"). Target: p95 < 300 ms.
- form posts: the consent page posted with its form token (the answer kept in the draft, 303 to
  the next page) per second by POST_CLIENTS at once, next to the bare route's rate in the same
  run. Target: at least half the bare route's rate. Beside it, reported, the ceiling that target
  leaves on this machine: the same post read and handed to a writer thread that keeps nothing.
- while a round is queued: the same CLIENTS keep opening check pages while a round of invitations
  to a cohort of `rows` contacts is queued in this process. Target: every page answered 200, p95
  under 1 s (the pages keep answering; a person waits a little).
Correctness: answers other than 200 (303 for a post), drafts not kept, invitations not one per contact.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time

from sqlalchemy import Engine, func, select
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from core.bench import BenchRow, p95_ms, why_below_ratio
from core.bench_client import ClientRequest, load
from core.bench_server import bench_environment, serving, writing_nothing
from core.db import get_engine, unit_of_work
from core.public import form_token
from core.public.posted_form import read_posted_form
from core.public.rendering import in_language, language_of
from core.public.routes import public_routes
from outreach.bench import ACTOR, scratch_incident, ticket_export
from outreach.cohort_service import import_cohort
from outreach.invitation_service import send_invitations
from outreach.model import CheckDraft, Invitation
from outreach.public import ROUTES as PUBLIC_ROUTES

CLIENTS = 50
POST_CLIENTS = 8
PAGE_TARGET_MS, DURING_ROUND_TARGET_MS = 300.0, 1000.0
POST_TARGET_RATIO = 0.5
LINKS = 200  # personal links the clients use, each opened before the timings (the first opening is a write)


async def _bare(request: Request) -> Response:
    await request.body()
    return HTMLResponse("<!DOCTYPE html><title>ok</title>")


_NOTHING_KEPT = writing_nothing("bench: nothing kept", "about")
CEILING_PATH = "/bench-nothing-kept"  # under /support, inside the public pages' guards


async def _form_nothing_kept(request: Request) -> Response:
    """The consent post's own work (the form and its token read, the redirect), handed to a writer
    thread that keeps nothing."""
    form = await read_posted_form(request)
    following = await _NOTHING_KEPT.submit(get_engine(), form)
    return RedirectResponse(in_language(request.url.path, language_of(request), {"page": following}), status_code=303)


def _links(engine: Engine, incident_id: int, cohort: str, rows: int, seed: int) -> list[str]:
    with unit_of_work(engine) as session:
        import_cohort(session, ACTOR, incident_id, cohort, ticket_export(rows, seed), "links.csv", source="Bench")
    links: dict[int, str] = {}
    with unit_of_work(engine) as session:
        send_invitations(session, ACTOR, incident_id, cohort, channel="email", links=links)
    return list(links.values())


def _opening(links: list[str]) -> ClientRequest:
    return lambda n, k: ("GET", f"/support/check/{links[(n + k * CLIENTS) % len(links)]}", None)


def bench_public_pages(engine: Engine, *, rows: int = 20_000, requests_each: int = 10) -> list[BenchRow]:
    incident_id = scratch_incident(engine)
    links = _links(engine, incident_id, "Bench check links", LINKS, seed=41)
    with bench_environment(engine, EMAIL_BACKEND="console", SMS_BACKEND="console"):
        routes = [public_routes(*PUBLIC_ROUTES, Route(CEILING_PATH + "/{token}", _form_nothing_kept, methods=["POST"])),
                  Route("/bare", _bare, methods=["POST"])]
        with serving(routes) as base:
            # Each link opened once (a first opening is a write), and the templates compiled, before the timings.
            warm = asyncio.run(load(base, CLIENTS, _opening(links), each=LINKS // CLIENTS))
            pages = asyncio.run(load(base, CLIENTS, _opening(links), each=requests_each))

            tokens = {link: form_token.issue(f"/support/check/{link}") for link in links}
            posts = POST_CLIENTS * requests_each * 5

            def consent(n: int, k: int):
                link = links[(n + k * POST_CLIENTS) % len(links)]
                return "POST", f"/support/check/{link}?page=consent", {form_token.FIELD: tokens[link], "consent": "yes"}

            def bare(n: int, k: int):
                return "POST", "/bare", {form_token.FIELD: tokens[links[0]], "consent": "yes"}

            unkept_path = f"/support{CEILING_PATH}/{links[0]}"
            unkept_token = form_token.issue(unkept_path)

            def unkept(n: int, k: int):
                return "POST", f"{unkept_path}?page=consent", {form_token.FIELD: unkept_token, "consent": "yes"}

            def post_all(request) -> tuple[list, float]:
                """The answers to `posts` of `request` from POST_CLIENTS at once, and how many a second."""
                started = time.perf_counter()
                answers = asyncio.run(load(base, POST_CLIENTS, request, each=posts // POST_CLIENTS))
                return answers, len(answers) / (time.perf_counter() - started)

            bare_answers, bare_rate = post_all(bare)
            form_answers, form_rate = post_all(consent)
            unkept_answers, unkept_rate = post_all(unkept)

            cohort = "Bench second round cohort"
            with unit_of_work(engine) as session:
                import_cohort(session, ACTOR, incident_id, cohort, ticket_export(rows, 15), "round.csv", source="Bench")
            queued = threading.Event()
            report: list = []

            def queue_round() -> None:
                try:
                    with unit_of_work(engine) as session:
                        report.append(send_invitations(session, ACTOR, incident_id, cohort))
                finally:
                    queued.set()

            queuing = threading.Thread(target=queue_round)
            started = time.perf_counter()
            queuing.start()
            during = asyncio.run(load(base, CLIENTS, _opening(links), until=queued))
            queuing.join()
            round_s = time.perf_counter() - started

    with unit_of_work(engine) as session:
        # Drafts a post kept (an opening begins each link's draft empty, at no page).
        drafts = session.scalar(select(func.count()).select_from(CheckDraft).where(CheckDraft.page != ""))
        invited = session.scalar(select(func.count(Invitation.id)).where(Invitation.incident_id == incident_id))
    page_bad = sum(1 for a in warm + pages if a.status != 200)
    post_bad = (sum(1 for a in form_answers + unkept_answers if a.status != 303)
                + sum(1 for a in bare_answers if a.status != 200))
    post_bad += abs(drafts - len({links[(n + k * POST_CLIENTS) % len(links)] for n in range(POST_CLIENTS)
                                  for k in range(posts // POST_CLIENTS)}))
    during_bad = sum(1 for a in during if a.status != 200) + abs(invited - LINKS - rows)
    page_p95 = p95_ms([a.seconds for a in pages])
    during_p95 = p95_ms([a.seconds for a in during]) if during else float("nan")
    ratio = form_rate / bare_rate
    where = f"uvicorn (1 process) on loopback, {engine.dialect.name}"
    return [
        BenchRow(f"wellbeing-check page, {CLIENTS} clients at once",
                 f"p95 {page_p95:.0f} ms, median {statistics.median(a.seconds for a in pages) * 1000:.0f} ms",
                 f"< {PAGE_TARGET_MS:.0f} ms", page_p95 < PAGE_TARGET_MS and page_bad == 0, correctness=page_bad,
                 note=f"{len(pages)} GETs of {LINKS} personal links, no pause between them; {where}"),
        BenchRow("bare Starlette POST route (public pages' reference)", f"{bare_rate:,.0f} req/s", "reference", None,
                 note=f"{len(bare_answers)} posts, {POST_CLIENTS} clients; {where}"),
        BenchRow("wellbeing-check form post (consent page)", f"{form_rate:,.0f} req/s (×{ratio:.2f} of bare)",
                 f"≥ {POST_TARGET_RATIO} × the bare route", ratio >= POST_TARGET_RATIO and post_bad == 0,
                 correctness=post_bad, note="; ".join(filter(None, [
                     f"form token checked, draft kept encrypted, 303; {len(form_answers)} posts",
                     why_below_ratio(bare_rate, form_rate, unkept_rate, POST_TARGET_RATIO)]))),
        BenchRow("wellbeing-check form post with nothing kept (the target's ceiling here)",
                 f"{unkept_rate:,.0f} req/s (×{unkept_rate / bare_rate:.2f} of bare)", "reported", None,
                 note="the same post read and its token checked, handed to a writer thread that keeps nothing, 303: "
                      "what the row above loses beyond this is its write, which is committed before the answer"),
        BenchRow(f"check pages while {rows:,} invitations are queued", f"p95 {during_p95:.0f} ms",
                 f"< {DURING_ROUND_TARGET_MS:.0f} ms, all answered", during_p95 < DURING_ROUND_TARGET_MS
                 and during_bad == 0, correctness=during_bad,
                 note=f"{len(during)} GETs by {CLIENTS} clients during the {round_s:.1f} s the round took to queue"
                      + (f" ({report[0].summary})" if report else "")),
    ]
