"""The demo picture: 150+ people in every role and stage, some overdue, one urgent alert for the
duty clinician, referral services' areas with out-of-area referrals routed by them, and an unread
text from one of the caseworker's people."""

import random

from faker import Faker
from sqlalchemy import func, select

from core.auth.roles import Actor
from core.db import unit_of_work
from core.demo_context import DemoContext
from pathways import plugin
from pathways.clinicians import clinical_duty, is_clinician
from pathways.model import (
    Enrolment,
    FollowUp,
    PathwayStage,
    Person,
    PersonReply,
    Referral,
    SafetyAlert,
    Screening,
)
from pathways.my_day_queries import my_day
from pathways.referral_coverage import coverage_by_agency
from pathways.vocabulary import PersonRole
from tests import factories


def test_the_demo_has_every_role_and_stage_overdue_screens_and_one_urgent_alert(
        db, frozen_clock, incident_id, caseworker):
    agencies = {name: factories.agency(db, name) for name in ("Victim Support", "Manchester City Council")}
    with unit_of_work(db.engine) as s:
        faker = Faker("en_GB")
        faker.seed_instance(1)
        ctx = DemoContext(s, Actor.system("demo"), incident_id, "small", random.Random(1), faker,
                          users={"caseworker": caseworker.user_id}, agencies=agencies)
        s.query(plugin.IncidentServiceArea).delete()  # the seeder sets its own force area
        plugin.seed_demo(ctx)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count(Person.id))) >= 150
        roles = {r for joined in s.scalars(select(Person.roles)) for r in joined.split(",")}
        assert roles == {r.value for r in PersonRole}
        occupied = set(s.scalars(select(Enrolment.stage_id).where(Enrolment.ended_at.is_(None))))
        assert occupied == set(s.scalars(select(PathwayStage.id)))
        assert s.scalar(select(func.count(FollowUp.id)).where(FollowUp.status == "overdue")) > 0
        assert s.scalar(select(func.count(Screening.id)).where(Screening.review_status == "pending")) > 0
        assert s.scalar(select(func.count(SafetyAlert.id)).where(SafetyAlert.acknowledged_at.is_(None))) == 1
        mine = s.scalar(select(func.count(Person.id)).where(Person.key_worker_id == caseworker.user_id))
        assert mine > 20  # the demo caseworker has a caseload to open "my day" on

        duty = clinical_duty(s, caseworker, incident_id)  # the demo caseworker is the duty clinician
        assert duty.clinician_id == caseworker.user_id and is_clinician(s, caseworker)
        assert s.scalar(select(SafetyAlert.assigned_to_id)) == caseworker.user_id
        coverage = coverage_by_agency(s)
        assert coverage[agencies["Victim Support"]].nationwide
        referrals = s.scalars(select(Referral)).all()
        out_of_area = [r for r in referrals if r.out_of_area]
        assert out_of_area and all(coverage[r.agency_id].covers(r.for_force_area) for r in referrals)
        assert all("where the person lives" in r.area_note for r in out_of_area)
        day = my_day(s, caseworker, incident_id)
        assert day.messages_total == 1 and s.scalar(select(func.count(PersonReply.id))) == 1


def test_the_demo_carries_a_justice_timeline_support_plans_preferred_channels_and_an_advocate(
        db, frozen_clock, incident_id, caseworker, make_actor):
    from pathways.advocate_service import advocate_requests, advocate_victims
    from pathways.model import (
        AdvocateAppointment,
        InformTask,
        JusticeMilestone,
        Person,
        PersonMessage,
        SupportAction,
        SupportPlan,
    )

    advocate = make_actor("advocate")
    users = {"caseworker": caseworker.user_id, "gold": make_actor("gold").user_id, "advocate": advocate.user_id}
    agencies = {"Citizens Advice Manchester": factories.agency(db, "Citizens Advice Manchester")}
    with unit_of_work(db.engine) as s:
        faker = Faker("en_GB")
        faker.seed_instance(1)
        s.query(plugin.IncidentServiceArea).delete()
        plugin.seed_demo(DemoContext(s, Actor.system("demo"), incident_id, "small", random.Random(1), faker,
                                     users=users, agencies=agencies))
    with unit_of_work(db.engine) as s:
        assert set(s.scalars(select(JusticeMilestone.kind))) == {"charge", "first_hearing"}
        assert s.scalar(select(func.count(InformTask.id)).where(InformTask.closed_at.is_(None))) > 0
        assert sorted(s.scalars(select(SupportPlan.review_every_days))) == [7, 7, 14, 14, 28, 28]
        owners = s.execute(select(SupportAction.owner_user_id, SupportAction.owner_agency_id)).all()
        assert {u for u, _ in owners} >= {caseworker.user_id} and any(a for _, a in owners)
        assert s.get(AdvocateAppointment, incident_id).advocate_user_id == advocate.user_id
        assert len(advocate_victims(s, advocate, incident_id)) == 4
        [request] = advocate_requests(s, advocate, incident_id)
        assert request.victims.count(";") == 1  # two victims
        assert my_day(s, caseworker, incident_id).plans_due_total > 0  # an action due today
        chosen = s.execute(select(Person.contact_by, PersonMessage.channel).outerjoin(
            PersonMessage, PersonMessage.person_id == Person.id).where(Person.contact_by != "")).all()
        assert sorted(chosen, key=str) == [("email", "email"), ("phone", None), ("sms", "sms")]
