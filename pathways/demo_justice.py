"""The demo's short justice timeline: this morning's charge, which every affected person is to be told
of, and tomorrow's first hearing, which the witnesses are; the demo caseworker has told a few of
their people already and keeps one witness's care details."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.auth.model import User
from core.auth.service import actor_for
from core.clock import london, now
from core.demo_context import DemoContext
from pathways.justice_service import (
    NewMilestone,
    WitnessCareDetails,
    close_inform_task,
    record_milestone,
    save_witness_care,
)
from pathways.model import InformTask, Person
from pathways.victims_code import is_working_day

TOLD_ALREADY = 3


def seed_justice(ctx: DemoContext) -> None:
    gold_id, caseworker_id = ctx.users.get("gold"), ctx.users.get("caseworker")
    if gold_id is None:
        return
    police = actor_for(ctx.session.get(User, gold_id))
    today = london(now()).date()
    hearing_day = today + timedelta(days=1)
    while not is_working_day(hearing_day, "england"):
        hearing_day += timedelta(days=1)
    charge = record_milestone(ctx.session, police, ctx.incident_id, NewMilestone(
        "charge", today, "EXERCISE: a man, 24, charged with murder and attempted murder; remanded in custody"))
    record_milestone(ctx.session, police, ctx.incident_id, NewMilestone(
        "first_hearing", hearing_day, "EXERCISE: Manchester Magistrates' Court, 10:00, court 3",
        audience="roles", roles=("witness",)))
    if caseworker_id is None:
        return
    caseworker = actor_for(ctx.session.get(User, caseworker_id))
    theirs = list(ctx.session.scalars(select(InformTask.id).join(Person, Person.id == InformTask.person_id).where(
        InformTask.milestone_id == charge.id, Person.key_worker_id == caseworker_id).order_by(InformTask.id)
        .limit(TOLD_ALREADY)))
    for task_id, method in zip(theirs, ("phone", "in_person", "phone"), strict=False):
        close_inform_task(ctx.session, caseworker, task_id, method=method, note="Asked to hear about the hearing too.")
    witness = ctx.session.scalar(select(Person.id).where(
        Person.incident_id == ctx.incident_id, Person.key_worker_id == caseworker_id, Person.merged_into_id.is_(None),
        Person.roles.like("%witness%")).order_by(Person.id).limit(1))
    if witness is not None:
        save_witness_care(ctx.session, caseworker, witness, WitnessCareDetails(
            officer="PC Sam Okoro, GMP Witness Care Unit", contact="0161 496 0150",
            measures_needed=("screens", "evidence_in_private"), measures_requested=("screens",), requested_on=today,
            notes="Would rather not see the defendant's family."))
