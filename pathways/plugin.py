"""How the pathways domain plugs into the shell (PAGES), the worker (make_sweeps) and the demo (seed_demo).

Messages: the sweeps exist only as `make_sweeps(sender, pager)`, with the `PersonMessages` (screening
reminders to people, by the channel each chose) and the `ClinicianPager` (urgent alerts to the duty clinician) that
`standup/bootstrap.py` builds at start-up (the notifications outbox): built without either they
refuse, so no reminder or alert is ever silently left unsent.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.auth.roles import Permission
from core.clock import london, now
from core.db import unit_of_work
from core.demo_context import DemoContext
from core.plugin_shapes import PageSpec, Sweep
from pathways.clinicians import name_clinician, set_duty_clinician
from pathways.consent_service import record_consent
from pathways.demo_compliance import seed_compliance
from pathways.demo_justice import seed_justice
from pathways.demo_people import DEMO_FORCE_AREA, DEMO_NATIONWIDE, DEMO_TIERS, bulk_people
from pathways.demo_support import seed_support
from pathways.follow_up_sweep import sweep_follow_ups
from pathways.model import IncidentServiceArea, Person
from pathways.person_messages import PersonMessages
from pathways.person_replies import take_reply
from pathways.referral_coverage import set_coverage, set_service_tiers
from pathways.registration_service import NewPerson, register_person
from pathways.retention import RETENTION  # noqa: F401  gathered by standup/retention.py
from pathways.safety_alert_sweep import WAKE_TOPIC as ALERT_TOPIC
from pathways.safety_alert_sweep import ClinicianPager, sweep_safety_alerts
from pathways.screening_service import record_screening

UPDATES_COHORT_SLOT = "pathways.updates.cohort"  # the Updates page leaves room for an update to an outreach cohort

PAGES: tuple[PageSpec, ...] = (
    PageSpec("pathways/pages/my_day.py", "My day", ":material/today:", "Pathways", Permission.PEOPLE_VIEW),
    PageSpec("pathways/pages/people.py", "People", ":material/groups:", "Pathways", Permission.PEOPLE_VIEW),
    PageSpec("pathways/pages/person.py", "Person record", ":material/person:", "Pathways", Permission.PEOPLE_VIEW),
    PageSpec("pathways/pages/review.py", "Clinician review", ":material/clinical_notes:", "Pathways",
             Permission.CLINICAL_REVIEW),
    PageSpec("pathways/pages/updates.py", "Updates to people", ":material/campaign:", "Pathways",
             Permission.PEOPLE_EDIT),
    PageSpec("pathways/pages/advocate.py", "Public Advocate", ":material/record_voice_over:", "Pathways",
             Permission.ADVOCATE_WORK),
    # Police users with command of the incident enter the milestones; support teams tell people (My day).
    PageSpec("pathways/pages/justice.py", "Justice process", ":material/gavel:", "Incident", Permission.INCIDENT_COMMAND),
    PageSpec("pathways/pages/admin.py", "Pathway settings", ":material/account_tree:", "Administration",
             Permission.PATHWAYS_MANAGE),
)


def make_sweeps(sender: PersonMessages, pager: ClinicianPager) -> tuple[Sweep, ...]:
    missing = [name for name, port in (("screening-reminder sender", sender), ("clinician pager", pager))
               if port is None]
    if missing:
        raise RuntimeError(f"pathways' sweeps are built only with their ports; no {' and no '.join(missing)} "
                           "(reminders and urgent alerts would never be sent): the worker builds them "
                           "from standup.bootstrap.start()")

    def follow_ups() -> None:
        with unit_of_work() as session:
            sweep_follow_ups(session, sender)

    def safety_alerts() -> None:
        with unit_of_work() as session:
            sweep_safety_alerts(session, pager)

    # Urgent alerts: the sweep runs as soon as a screening raises one, and every 30 seconds besides.
    return (Sweep("pathways.follow_ups", 300, follow_ups), Sweep("pathways.safety_alerts", 30, safety_alerts,
                                                                     wake_topic=ALERT_TOPIC))


SMALL_PEOPLE, LARGE_PEOPLE = 160, 50_000
DEMO_CLINICIAN_MOBILE = "+447400100200"  # fixed, so the demo's random people stay as they were


def seed_demo(ctx: DemoContext) -> None:
    """160 people (50,000 at the large scale) on every pathway and stage, some overdue, one person
    whose PHQ-9 item 9 raised an urgent alert for the duty clinician (the demo caseworker), referral
    services' areas and tiers of support, an unread text from one of the caseworker's people, a short
    justice timeline (a charge, a first hearing) with the people to tell of it, support plans, an advocate,
    complaints and equality-monitoring answers (the compliance report)."""
    ctx.session.add(IncidentServiceArea(incident_id=ctx.incident_id, force_area=DEMO_FORCE_AREA))
    for name, agency_id in ctx.agencies.items():
        nationwide = name in DEMO_NATIONWIDE
        set_coverage(ctx.session, ctx.actor, agency_id, nationwide=nationwide,
                     force_areas=() if nationwide else (DEMO_FORCE_AREA,))
        set_service_tiers(ctx.session, ctx.actor, agency_id, DEMO_TIERS.get(name, ()))
    caseworker = ctx.users.get("caseworker")
    if caseworker is not None:  # the demo caseworker is also the demo's designated duty clinician
        name_clinician(ctx.session, ctx.actor, caseworker, DEMO_CLINICIAN_MOBILE)
        set_duty_clinician(ctx.session, ctx.actor, ctx.incident_id, caseworker)
    bulk_people(ctx.session, ctx.rng, ctx.faker, ctx.incident_id, ctx.pick(SMALL_PEOPLE, 5_000, LARGE_PEOPLE),
                # The demo caseworker's list is a caseload (about 50 people, 170 at scale); the rest have no key worker yet.
                now(), key_worker_ids=[caseworker] + [None] * ctx.pick(2, 29, 299))
    person = register_person(ctx.session, ctx.actor, ctx.incident_id, NewPerson(
        ctx.faker.first_name(), ctx.faker.last_name(), ["survivor"], "reception_centre",
        date_of_birth=london(now()).date() - timedelta(days=365 * 29), mobile=f"+447400{ctx.rng.randint(0, 999_999):06d}",
        postcode="M4 5AB", victim_of_terrorism=True, key_worker_id=caseworker))
    record_consent(ctx.session, ctx.actor, person.id, "sms", given=True, lawful_basis="consent")
    record_screening(ctx.session, ctx.actor, person.id, "PHQ-9", [2, 2, 1, 2, 1, 1, 1, 0, 1],
                     notes="Disclosed passive thoughts of not wanting to be here; no plan.")
    texter = ctx.session.scalar(select(Person.mobile).where(
        Person.incident_id == ctx.incident_id, Person.key_worker_id == caseworker, Person.mobile.is_not(None),
        Person.id != person.id).order_by(Person.id).limit(1))
    if texter is not None:
        take_reply(ctx.session, mobile=texter, body="Got your text. Can someone ring me after 5? Still not sleeping.",
                   received_at=now() - timedelta(minutes=40), provider_sid=f"SMDEMO{ctx.incident_id:026d}")
    seed_justice(ctx)
    seed_support(ctx)
    seed_compliance(ctx)
