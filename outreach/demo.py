"""The exercise's outreach (`standup demo`, synthetic people only): the concert's ticket purchasers
imported as a cohort (a few rows the same buyer again, a few with nothing to reach them by), the
first round of checks sent by SMS and email, and some of the invitations answered through the same
services the public pages call: opened, a few stopped half-way (the call list), checks completed with
some positive screens (none raises an urgent alert: the demo has its one), an unsubscribe, and
self-referrals waiting for triage."""

from __future__ import annotations

import random

from core.csv_safe import write_csv
from core.demo_context import DemoContext
from outreach.check_rules import instruments_for
from outreach.check_service import PUBLIC_ROLES, AboutYou, submit_check
from outreach.cohort_service import import_cohort
from outreach.invitation_service import send_invitations
from outreach.link_service import mark_opened, save_draft, unsubscribe
from outreach.self_referral_service import ReferralForm, submit_self_referral
from outreach.settings_service import SettingsChanges, save_outreach_settings

COHORT = "Concert ticket purchasers"
SERVICE_NAME = "Northern Light Resilience Hub"
POSTCODES = ("M4 5AB", "M20 2LR", "OL1 3AA", "SK4 1AA", "BL1 1AA", "LS6 2AA", "CF10 1AA", "EH1 2NG", "L1 8JQ", "")


def _ticket_list(ctx: DemoContext, buyers: int) -> bytes:
    rows = []
    for n in range(buyers):
        first, last = ctx.faker.first_name(), ctx.faker.last_name()
        email = f"{first}.{last}{n}@example.org".lower().replace("'", "")
        mobile = f"07400 {ctx.rng.randint(0, 999_999):06d}" if ctx.rng.random() < 0.8 else ""
        rows.append([f"NL{n:06d}", first, last, email if ctx.rng.random() < 0.9 or not mobile else "", mobile,
                     ctx.rng.choice(POSTCODES)])
    for n in range(max(1, buyers // 40)):  # the same buyer again, on another order
        ref, first, last, email, mobile, postcode = ctx.rng.choice(rows)
        rows.append([f"NL9{n:05d}", first.upper(), last, email.upper(), mobile, postcode])
    rows += [["NL800001", "Ola", "Nowak", "ola.nowak@localhost", "0161 496 0000", "M4 5AB"]]  # nothing usable
    return write_csv(rows, ["Order No", "Purchaser First Name", "Surname", "E-mail", "Phone Number", "Post Code"]
                     ).encode("utf-8-sig")


def _answers(rng: random.Random, instruments: tuple[str, ...], *, positive: bool) -> dict[str, list[int]]:
    answers = {
        "PCL-5": [rng.choice((2, 3)) if positive else rng.choice((0, 1)) for _ in range(20)],
        "PHQ-9": [rng.choice((0, 1, 2)) for _ in range(8)] + [0],  # item 9 never: the demo has its one alert
        "GAD-7": [rng.choice((0, 1)) for _ in range(7)],
        "CRIES-8": [rng.choice((0, 1)) for _ in range(8)],
    }
    return {name: answers[name] for name in instruments}


def seed_outreach(ctx: DemoContext) -> None:
    save_outreach_settings(ctx.session, ctx.actor, ctx.incident_id, SettingsChanges(SERVICE_NAME, "0161 496 0000"))
    import_cohort(ctx.session, ctx.actor, ctx.incident_id, COHORT, _ticket_list(ctx, ctx.pick(120, 600, 2_000)),
                  "ticket-purchasers.csv", source="Ticket agency export of the concert's purchasers")
    links: dict[int, str] = {}
    send_invitations(ctx.session, ctx.actor, ctx.incident_id, COHORT, round_number=1, links=links)
    tokens = [links[contact_id] for contact_id in sorted(links)]
    ctx.rng.shuffle(tokens)
    answered, halfway = ctx.pick(14, 30, 60), ctx.pick(5, 10, 20)
    for n, token in enumerate(tokens[:answered + halfway]):
        state = mark_opened(ctx.session, token)
        # A buyer who is a registered person already answers at the age their record gives.
        age = state.known_age if state.known_age is not None else ctx.rng.choice((16, 24, 31, 38, 45, 52, 67))
        if n >= answered:  # stopped half-way: for a phone call
            save_draft(ctx.session, token, {"consent": True, "age": age}, "about-you")
            continue
        instruments = instruments_for(age, state.settings.trauma_instrument)
        submit_check(ctx.session, token, _answers(ctx.rng, instruments, positive=n % 4 == 0), AboutYou(
            consent=True, age=age, roles=(ctx.rng.choice(PUBLIC_ROLES).value,)))
    unsubscribe(ctx.session, tokens[-1])
    for n in range(3):
        submit_self_referral(ctx.session, ReferralForm(
            ctx.incident_id, "self" if n else "someone_else", ctx.faker.first_name(), ctx.faker.last_name(),
            phone=f"07400 {ctx.rng.randint(0, 999_999):06d}", postcode=ctx.rng.choice(POSTCODES[:-1]),
            message="I was at the concert and have not been sleeping since.", agreement_confirmed=not n,
            referrer_name="" if n else ctx.faker.name()))
