"""How fast a cohort goes in and a round of invitations goes out, at the size of a large incident's
ticket list. `standup bench` calls these on a migrated scratch database; each returns
core.bench.BenchRow rows.

- bench_cohort: a 20,000-row ticketing export (its own headers, postcodes across the nations)
  imported into a cohort, then imported again (which must import nobody and merge every row).
- bench_invitations: a round of invitations to that cohort by SMS and email, queued in the outbox;
  every contact must get exactly one invitation with its own link and a message by each channel.
"""

from __future__ import annotations

import random
import secrets

from faker import Faker
from sqlalchemy import Engine, func, select

from core.auth.roles import Actor
from core.bench import BenchRow, timed
from core.csv_safe import write_csv
from core.db import unit_of_work
from incident.lifecycle_service import open_incident
from outreach.cohort_service import import_cohort
from outreach.invitation_service import send_invitations
from outreach.model import Contact, Invitation, InvitationMessage
from outreach.settings_service import SettingsChanges, save_outreach_settings

IMPORT_TARGET_S, INVITE_TARGET_S = 20.0, 30.0
ACTOR = Actor.system("bench")
COHORT = "Bench ticket purchasers"


def ticket_export(rows: int, seed: int) -> bytes:
    rng, faker = random.Random(seed), Faker("en_GB")
    faker.seed_instance(seed)
    body = [[f"T{n:07d}", faker.first_name(), faker.last_name(), f"buyer{n}@example.org", f"07400 {n:06d}",
             rng.choice(["M4 5AB", "M20 2LR", "OL1 3AA", "SK4 1AA", "LS6 2AA", "CF10 1AA", "EH1 2NG", ""])]
            for n in range(rows)]
    header = ["Order No", "Purchaser First Name", "Surname", "E-mail", "Phone Number", "Post Code"]
    return write_csv(body, header).encode("utf-8-sig")


def scratch_incident(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        incident_id = open_incident(session, ACTOR, f"Bench {secrets.token_hex(4)}", is_exercise=True).id
        save_outreach_settings(session, ACTOR, incident_id, SettingsChanges("Bench Resilience Hub", "0161 496 0000"))
    return incident_id


def bench_cohort(engine: Engine, rows: int = 20_000, *, seed: int = 14) -> tuple[list[BenchRow], int]:
    """The rows, and the incident the cohort went into (for bench_invitations)."""
    data = ticket_export(rows, seed)
    incident_id = scratch_incident(engine)
    reports = []

    def run() -> None:
        with unit_of_work(engine) as session:
            reports.append(import_cohort(session, ACTOR, incident_id, COHORT, data, "tickets.csv",
                                         source="Bench ticket agency export"))

    first, again = timed(run), timed(run)
    with unit_of_work(engine) as session:
        stored = session.scalar(select(func.count(Contact.id)).where(Contact.incident_id == incident_id))
    wrong = (abs(stored - rows) + abs(reports[0].imported - rows) + reports[1].imported
             + abs(reports[1].merged - rows) + len(reports[0].rejected))
    return [
        BenchRow(f"outreach: import a cohort of {rows:,} rows (CSV)", f"{first:.1f} s", f"< {IMPORT_TARGET_S:.0f} s",
                 first < IMPORT_TARGET_S and wrong == 0, correctness=wrong, note=reports[0].summary),
        BenchRow(f"outreach: re-import the same {rows:,} rows", f"{again:.1f} s", f"< {IMPORT_TARGET_S:.0f} s",
                 again < IMPORT_TARGET_S and wrong == 0, note=reports[1].summary),
    ], incident_id


def bench_invitations(engine: Engine, incident_id: int) -> list[BenchRow]:
    reports = []

    def run() -> None:
        with unit_of_work(engine) as session:
            reports.append(send_invitations(session, ACTOR, incident_id, COHORT))

    seconds = timed(run)
    with unit_of_work(engine) as session:
        contacts = session.scalar(select(func.count(Contact.id)).where(Contact.incident_id == incident_id))
        invitations, links = session.execute(select(func.count(Invitation.id), func.count(Invitation.token_hash.distinct()))
                                             .where(Invitation.incident_id == incident_id)).one()
        messages = session.scalar(select(func.count(InvitationMessage.id)).join(
            Invitation, Invitation.id == InvitationMessage.invitation_id).where(Invitation.incident_id == incident_id))
    wrong = abs(invitations - contacts) + abs(links - contacts) + abs(messages - 2 * contacts)
    return [BenchRow(f"outreach: queue {invitations:,} invitations (SMS and email)", f"{seconds:.1f} s",
                     f"< {INVITE_TARGET_S:.0f} s", seconds < INVITE_TARGET_S and wrong == 0, correctness=wrong,
                     note=reports[0].summary)]
