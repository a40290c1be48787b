"""The demo picture: 150+ people in every role and stage, some overdue, one urgent alert."""

import random

from faker import Faker
from sqlalchemy import func, select

from core.auth.roles import Actor
from core.db import unit_of_work
from core.demo_context import DemoContext
from pathways import wiring
from pathways.model import Enrolment, FollowUp, PathwayStage, Person, SafetyAlert, Screening
from pathways.vocabulary import PersonRole


def test_the_demo_has_every_role_and_stage_overdue_screens_and_one_urgent_alert(
        db, frozen_clock, incident_id, caseworker):
    with unit_of_work(db.engine) as s:
        faker = Faker("en_GB")
        faker.seed_instance(1)
        ctx = DemoContext(s, Actor.system("demo"), incident_id, "small", random.Random(1), faker,
                          users={"caseworker": caseworker.user_id})
        s.query(wiring.IncidentServiceArea).delete()  # the seeder sets its own force area
        wiring.seed_demo(ctx)
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
