"""The demo's support plans, people's preferred channels and Independent Public Advocate: three of the
demo caseworker's people who chose a text, an email and a phone call from their caseworker, sent an
update (the outbox shows the channel each went by beside what each chose); needs assessed for a few of the demo
caseworker's people (high, medium and low risk, so plans reviewed weekly to four-weekly), with
actions for the caseworker and for a partner agency; the Secretary of State's declaration and the
demo advocate's appointment, four victims who consented to share with the advocate, and a request
the advocate made for them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.auth.model import User
from core.auth.service import actor_for
from core.clock import london, now
from core.demo_context import DemoContext
from pathways.advocate_service import NewRequest, appoint_advocate, log_request
from pathways.caseload_service import update_contact
from pathways.consent_service import record_consent, set_contact_by
from pathways.model import Person
from pathways.needs_service import assess_needs
from pathways.support_plan_service import NewAction, add_action
from pathways.update_service import send_update_to_people

ASSESSED = (("high", ["emotional", "housing"]), ("medium", ["information"]), ("low", ["financial"]),
            ("high", ["emotional"]), ("medium", ["practical"]), ("low", ["information"]))
CONSENTING = 4


def seed_support(ctx: DemoContext) -> None:
    caseworker_id, gold_id, advocate_id = (ctx.users.get(k) for k in ("caseworker", "gold", "advocate"))
    if caseworker_id is None:
        return
    caseworker = actor_for(ctx.session.get(User, caseworker_id))
    people = list(ctx.session.scalars(select(Person.id).where(
        Person.incident_id == ctx.incident_id, Person.key_worker_id == caseworker_id, Person.status == "open",
        Person.merged_into_id.is_(None)).order_by(Person.id).limit(len(ASSESSED))))
    today = london(now()).date()
    agency_id = ctx.agencies.get("Citizens Advice Manchester")
    for n, (person_id, (risk, needs)) in enumerate(zip(people, ASSESSED, strict=False)):
        assess_needs(ctx.session, caseworker, person_id, needs, risk, "EXERCISE: assessed at the family assistance centre")
        add_action(ctx.session, caseworker, person_id, NewAction(
            "Call back about the support offered", today + timedelta(days=n % 3), owner_user_id=caseworker_id))
        if agency_id is not None and "financial" in needs:
            add_action(ctx.session, caseworker, person_id, NewAction(
                "Help with the compensation claim", today + timedelta(days=14), owner_agency_id=agency_id))
    _preferred_channels(ctx, caseworker, people)
    if gold_id is None or advocate_id is None:
        return
    appoint_advocate(ctx.session, actor_for(ctx.session.get(User, gold_id)), ctx.incident_id, declared_on=today,
                     declaration="EXERCISE: major incident declaration", advocate_user_id=advocate_id,
                     appointed_on=today)
    consenting = people[:CONSENTING]
    for person_id in consenting:
        record_consent(ctx.session, caseworker, person_id, "advocate", given=True, lawful_basis="consent")
    if consenting:
        log_request(ctx.session, actor_for(ctx.session.get(User, advocate_id)), ctx.incident_id, NewRequest(
            "HM Coroner, Manchester City", "EXERCISE: when the inquest will open, and the families' part in it",
            today, today + timedelta(days=20), tuple(consenting[:2])))


def _preferred_channels(ctx: DemoContext, caseworker, people: list[int]) -> None:
    """Three of the caseworker's people with a mobile choose a text, an email and a call."""
    reachable = [person_id for person_id in people if ctx.session.get(Person, person_id).mobile][:3]
    if len(reachable) < 3:
        return
    texted, emailed, phoned = reachable
    person = ctx.session.get(Person, emailed)
    update_contact(ctx.session, caseworker, emailed, mobile=person.mobile or "", postcode=person.postcode,
                   email=f"person{emailed}@example.org")
    for person_id, purpose, contact_by in ((texted, "sms", "sms"), (emailed, "email", "email"), (phoned, "sms", "phone")):
        record_consent(ctx.session, caseworker, person_id, purpose, given=True, lawful_basis="consent")
        set_contact_by(ctx.session, caseworker, person_id, contact_by)
    send_update_to_people(ctx.session, caseworker, ctx.incident_id, "The family assistance centre moves to the "
                          "town hall on Monday. Your key worker will call you with the details.", reachable,
                          group="the demo caseworker's people")
