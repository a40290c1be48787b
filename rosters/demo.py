"""The rosters part of `standup demo`: partner agencies' staff (Faker en_GB, mobiles in the
07400 range, which phonenumbers accepts), 14 days of shifts at the exercise's hubs (30 at
large scale), filled by auto-fill for the first days with some places left open."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import insert, select

from core.agencies.model import Agency, AgencyKind
from core.clock import london, now
from core.demo_context import DemoContext
from incident.hub_service import HubDetails, save_hub
from incident.queries import HubFacts, hubs_of
from rosters.autofill_service import accept_fill, propose_fill
from rosters.contact_preferences import DEFAULT_CONTACT_BY, ContactBy
from rosters.contribution import Agreement
from rosters.contribution_service import record_contribution
from rosters.model import Availability, StaffMember
from rosters.patterns import evenly_spaced_starts
from rosters.requirement_service import plan_shifts
from rosters.skills import SKILLS

EXTRA_AGENCIES_LARGE = (
    ("Salford City Council", AgencyKind.LOCAL_AUTHORITY),
    ("Trafford Council", AgencyKind.LOCAL_AUTHORITY),
    ("Mind in Salford", AgencyKind.CHARITY),
    ("St John Ambulance", AgencyKind.CHARITY),
)
# (role, share of staff)
ROLES = (("support worker", 0.6), ("mental health practitioner", 0.15), ("family liaison", 0.15),
         ("coordinator", 0.1))
LANGUAGES = ("Arabic", "Urdu", "Polish", "Punjabi", "Somali", "Bengali", "British Sign Language", "French")
# Greater Manchester and neighbours: home postcode districts, nearer ones more often.
HOME_DISTRICTS = ("M1", "M4", "M8", "M13", "M14", "M16", "M20", "M21", "M40", "OL1", "OL6", "SK1", "SK4", "BL1",
                  "BL9", "WN1", "WA1", "BB1", "LS6", "L8")
DEMO_HUBS = (("Manchester Victim and Witness Hub", "M3 3EB"), ("Etihad Humanitarian Assistance Centre", "M11 3FF"))
# Shift patterns per hub: role, headcount, shifts a day, first start, hours, needs
PATTERNS = (
    ("support worker", 4, 3, time(7, 0), 8.0, {("skill", "trauma-informed"): 1}),
    ("mental health practitioner", 1, 2, time(8, 0), 12.0, {}),
    ("family liaison", 2, 1, time(9, 0), 8.0, {("language", "Arabic"): 1}),
    ("coordinator", 1, 2, time(8, 0), 12.0, {}),
)
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def demo_hubs(ctx: DemoContext) -> list[HubFacts]:
    """The exercise's hubs in the order they were added; when the incident seeder made none, the
    demo's own two."""
    if not hubs_of(ctx.session, ctx.incident_id):
        for name, postcode in DEMO_HUBS:
            save_hub(ctx.session, ctx.actor, ctx.incident_id, HubDetails(name, postcode=postcode))
    return sorted(hubs_of(ctx.session, ctx.incident_id), key=lambda hub: hub.id)


def _agencies(ctx: DemoContext) -> list[Agency]:
    if ctx.large:
        for name, kind in EXTRA_AGENCIES_LARGE:
            agency = ctx.session.scalar(select(Agency).where(Agency.name == name))
            if agency is None:
                agency = Agency(name=name, kind=kind.value, contact_name=ctx.faker.name())
                ctx.session.add(agency)
                ctx.session.flush()
            ctx.agencies[name] = agency.id
    agencies = list(ctx.session.scalars(select(Agency).where(Agency.id.in_(list(ctx.agencies.values())))
                                        .order_by(Agency.id)))
    for number, agency in enumerate(agencies):
        if not agency.coordinator_mobile:
            agency.coordinator_mobile = f"+4474000000{number:02d}"
    return agencies


def _contact_by(n: int) -> str:
    """One in ten asked for SMS only and one in ten for a call first, so call-outs have preferences
    to honour and the board to show (by number, not drawn: the rest of the demo draws as before)."""
    return {3: ContactBy.SMS_ONLY, 7: ContactBy.CALL_FIRST}.get(n % 10, DEFAULT_CONTACT_BY).value


def _staff_rows(ctx: DemoContext, agencies: list[Agency], count: int) -> list[dict]:
    rng, faker, today = ctx.rng, ctx.faker, london(now()).date()
    rows = []
    for n in range(count):
        agency = agencies[n % len(agencies)]
        role = rng.choices([r for r, _ in ROLES], [w for _, w in ROLES])[0]
        skills = rng.sample(SKILLS, rng.randint(1, 4))
        if rng.random() < 0.5 and "trauma-informed" not in skills:
            skills.append("trauma-informed")
        dbs = rng.choices(["enhanced", "standard", None], [0.85, 0.1, 0.05])[0]
        # A few checks lapse during the exercise, so the rules have something to refuse.
        expiry = today + timedelta(days=rng.choice([5, 9, 400, 500, 700, 900]))
        district = rng.choice(HOME_DISTRICTS)
        rows.append({
            "agency_id": agency.id, "staff_ref": f"{agency.name[:3].upper()}{n:05d}",
            "first_name": faker.first_name(), "last_name": faker.last_name(),
            "mobile": f"+447400{100000 + n:06d}", "email": None, "role": role, "skills": skills,
            "languages": rng.sample(LANGUAGES, 1) if rng.random() < 0.25 else [],
            "dbs_level": dbs, "dbs_expiry": expiry if dbs else None,
            "pfa_trained_on": today - timedelta(days=rng.randint(30, 900)) if "psychological first aid" in skills
            else None,
            "home_postcode": f"{district} {rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}",
            "max_hours_per_week": rng.choice([None, 20.0, 37.5, 37.5, 48.0]),
            "active": rng.random() > 0.03, "sms_opted_out": False, "contact_by": _contact_by(n),
            "created_at": now(), "updated_at": now(),
        })
    return rows


def seed_rosters(ctx: DemoContext) -> None:
    hubs = demo_hubs(ctx)
    agencies = _agencies(ctx)
    staff_count, days, filled_days = ctx.pick((240, 14, 6), (1000, 14, 3), (5000, 30, 3))
    # Rosters belong to agencies, not incidents: a second demo reuses the people already there.
    existing = set(ctx.session.execute(select(StaffMember.agency_id, StaffMember.staff_ref)).all())
    rows = [r for r in _staff_rows(ctx, agencies, staff_count) if (r["agency_id"], r["staff_ref"]) not in existing]
    if rows:
        ctx.session.execute(insert(StaffMember), rows)
    staff_ids = list(ctx.session.scalars(select(StaffMember.id).where(
        StaffMember.agency_id.in_([a.id for a in agencies]))))
    today = london(now()).date()
    away = ctx.rng.sample(staff_ids, len(staff_ids) // 20)
    ctx.session.execute(insert(Availability), [
        {"staff_id": staff_id, "starts_at": now() + timedelta(days=ctx.rng.randint(0, days - 3)),
         "ends_at": now() + timedelta(days=ctx.rng.randint(days - 2, days)), "available": False,
         "note": "annual leave", "recorded_at": now(), "recorded_by": ctx.actor.username}
        for staff_id in away
    ])
    for hub in hubs:
        for role, headcount, per_day, first, hours, needs in PATTERNS:
            plan_shifts(ctx.session, ctx.actor, ctx.incident_id, hub.id, role=role, headcount=headcount,
                        first_day=today, days=days, start_times=evenly_spaced_starts(first, per_day), hours=hours,
                        needs=needs, needs_enhanced_dbs=role != "coordinator", briefing_minutes=15,
                        debrief_minutes=15)
    proposal = propose_fill(ctx.session, ctx.actor, ctx.incident_id, within=timedelta(days=filled_days),
                            time_limit_s=ctx.pick(4.0, 6.0, 10.0))
    # Leave some places open for the call-outs and the coverage board to show.
    kept = [(p.requirement_id, p.staff_id) for p in proposal.placements if ctx.rng.random() > 0.12]
    accept_fill(ctx.session, ctx.actor, kept)
    # What each agency agreed to give the exercise, for Agency contributions to set against what it
    # gave (no draw from ctx.rng: the domains seeded after this one keep their figures).
    for n, agency in enumerate(agencies):
        record_contribution(ctx.session, ctx.actor, ctx.incident_id, agency.id,
                            Agreement(4 + 2 * (n % 3), today, today + timedelta(days=days - 1),
                                      "support workers and a team leader"))
