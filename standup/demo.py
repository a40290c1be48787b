"""`standup demo`: an EXERCISE incident with synthetic people only (Faker en_GB), built by
each domain's seeder in dependency order, and a demo login for every role."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from faker import Faker
from sqlalchemy import Engine, select

from core.agencies.model import Agency, AgencyKind
from core.audit.sequencing import catch_up
from core.auth.model import User
from core.auth.passwords import hash_password
from core.auth.roles import Actor, Role
from core.db import refresh_statistics, unit_of_work
from core.demo_context import DemoContext
from incident import plugin as incident
from incident.demo import open_exercise
from incident.model import Incident
from notifications import plugin as notifications
from notifications.demo_history import seed_message_history
from outreach import plugin as outreach
from pathways import plugin as pathways
from pathways.model import Consent, Person
from pathways.schedule import REMINDER_TEXT
from rosters import plugin as rosters

PARTNER_AGENCIES = (
    ("Greater Manchester Police", AgencyKind.POLICE),
    ("Victim Support", AgencyKind.CHARITY),
    ("Pennine Care NHS Foundation Trust", AgencyKind.NHS_TRUST),
    ("Manchester City Council", AgencyKind.LOCAL_AUTHORITY),
    ("British Red Cross", AgencyKind.CHARITY),
    ("Samaritans", AgencyKind.CHARITY),
    ("Cruse Bereavement Support", AgencyKind.CHARITY),
    ("Citizens Advice Manchester", AgencyKind.CHARITY),
)

DEMO_USERS = (
    ("gold", Role.GOLD, "Ch Supt Gold (demo)", None),
    ("hub", Role.HUB_MANAGER, "Hub Manager (demo)", None),
    ("coordinator", Role.AGENCY_COORDINATOR, "Victim Support Coordinator (demo)", "Victim Support"),
    ("caseworker", Role.CASEWORKER, "Caseworker (demo)", None),
    ("admin", Role.ADMIN, "Administrator (demo)", None),
    ("auditor", Role.AUDITOR, "Auditor (demo)", None),
    ("pcc", Role.SCRUTINY, "Commissioner's office (demo)", None),
    ("advocate", Role.ADVOCATE, "Independent Public Advocate (demo)", None),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str


@dataclass(frozen=True)
class DemoResult:
    incident_id: int
    logins: tuple[DemoLogin, ...]


def _seed_agencies(ctx: DemoContext) -> None:
    for name, kind in PARTNER_AGENCIES:
        agency = ctx.session.scalar(select(Agency).where(Agency.name == name))
        if agency is None:
            agency = Agency(name=name, kind=kind.value, contact_name=ctx.faker.name(),
                            contact_email=f"duty@{name.lower().replace(' ', '')[:20]}.example.org")
            ctx.session.add(agency)
            ctx.session.flush()
        ctx.agencies[name] = agency.id


def _seed_users(ctx: DemoContext) -> tuple[DemoLogin, ...]:
    logins = []
    for username, role, name, agency in DEMO_USERS:
        user = ctx.session.scalar(select(User).where(User.username == username))
        if user is None:
            password = secrets.token_urlsafe(9)
            user = User(username=username, display_name=name, role=role.value, password_hash=hash_password(password),
                        agency_id=ctx.agencies[agency] if agency else None)
            ctx.session.add(user)
            ctx.session.flush()
            logins.append(DemoLogin(username, role.value, password))
        ctx.users[role.value] = user.id
    return tuple(logins)


# Each domain's seeder, in dependency order (staff before call-outs, incident before everything).
SEEDERS = (incident.seed_demo, rosters.seed_demo, notifications.seed_demo, pathways.seed_demo, outreach.seed_demo)
HISTORY_MESSAGES = {"small": 0, "medium": 20_000, "large": 200_000}  # 30 days of SMS before today


def _seed_sms_history(ctx: DemoContext) -> None:
    """The SMS traffic of the weeks behind the exercise, to staff and to the people who agreed
    to texts (joined here: notifications knows nothing of pathways' people)."""
    mobiles = list(ctx.session.scalars(
        select(Person.mobile).join(Consent, Consent.person_id == Person.id)
        .where(Person.incident_id == ctx.incident_id, Person.mobile.is_not(None), Consent.purpose == "sms",
               Consent.given.is_(True)).distinct().order_by(Person.mobile)))
    seed_message_history(ctx, mobiles, REMINDER_TEXT, messages=HISTORY_MESSAGES[ctx.scale])


def build_demo(engine: Engine, *, scale: str = "small", seed: int = 2017) -> DemoResult:
    rng = random.Random(seed)
    faker = Faker("en_GB")
    faker.seed_instance(seed)
    actor = Actor.system("demo")
    with unit_of_work(engine) as session:
        incident = open_exercise(
            session, actor, f"Exercise Northern Light {seed}",
            summary="Multi-agency exercise: explosion at the end of a concert, large numbers of people affected.",
        )
        ctx = DemoContext(session, actor, incident.id, scale, rng, faker)
        _seed_agencies(ctx)
        logins = _seed_users(ctx)
        for seed_domain in SEEDERS:
            seed_domain(ctx)
        _seed_sms_history(ctx)
        result = DemoResult(incident.id, logins)
    catch_up(engine)  # the demo's audit events into the chain now, as a running worker would within a second
    refresh_statistics(engine)  # a bulk load: the planner should know the tables' new sizes now
    return result


def has_incident(engine: Engine) -> bool:
    with unit_of_work(engine) as session:
        return session.scalar(select(Incident.id).limit(1)) is not None
