"""Synthetic affected people for `standup demo` (Faker en_GB only), built as plain rows so the
large scale (50,000 people) goes in with bulk inserts.

The picture is a caseload some weeks into the incident: people registered over the last ten
weeks, on every pathway and stage, screenings done, due today and overdue, positives waiting
for a clinician, referrals in every status and a few Victims' Code deadlines still to meet.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from faker import Faker
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.clock import london
from core.db import bulk_insert
from core.lookalikes import fold
from core.settings import get_settings
from pathways.equality_monitoring import PREFER_NOT_TO_SAY
from pathways.geography import place_of
from pathways.instruments import instrument_named
from pathways.model import (
    Consent,
    Enrolment,
    FollowUp,
    Pathway,
    PathwayStage,
    Person,
    Referral,
    Screening,
    StageEvent,
)
from pathways.pathway_service import ensure_standard_pathways
from pathways.referral_coverage import coverage_by_agency
from pathways.referral_rules import NOT_RECORDED, route
from pathways.schedule import due_dates, is_overdue
from pathways.screening import score
from pathways.victims_code import referral_due
from pathways.vocabulary import PersonRole, Source, is_under_18

STORY_DAYS = 70
HOME_AREAS = ("M", "M", "M", "OL", "BL", "SK", "WN", "WA")  # Greater Manchester and around it
DEMO_FORCE_AREA = "Greater Manchester"  # the demo incident's (seed_demo sets it)
# Partner agencies that take referrals from the whole UK; the demo's others cover Greater Manchester.
DEMO_NATIONWIDE = ("Victim Support", "British Red Cross", "Samaritans", "Cruse Bereavement Support")
# The tiers of support each demo agency gives (pathways.referral_rules.TIER_GIVES): the victim service
# and the police hub targeted support, the NHS trust specialist care, the charities and the council
# everyone's. Pathway settings changes them.
DEMO_TIERS = {"Victim Support": ("targeted",), "Greater Manchester Police": ("targeted",),
              "Pennine Care NHS Foundation Trust": ("specialist",), "Manchester City Council": ("universal",),
              "British Red Cross": ("universal",), "Samaritans": ("universal",),
              "Cruse Bereavement Support": ("universal", "targeted"), "Citizens Advice Manchester": ("universal",)}
AWAY_AREAS = ("CF", "EH", "BT", "LS", "L", "B", "NE", "G")  # people who came from elsewhere
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"
CHUNK = 5000
# Send NULLs as values: otherwise rows are grouped by which fields are empty and the inserts
# fall apart into many small statements (minutes instead of seconds at 50,000 people).
_ONE_BATCH = {"render_nulls": True}


@dataclass(frozen=True)
class Catalogue:
    pathways: dict[str, int]  # code -> id
    months: dict[int, tuple[int, ...]]
    stages: dict[int, list[int]]  # pathway id -> stage ids in order
    first_stage: dict[int, int]


def load_catalogue(session: Session) -> Catalogue:
    pathways = {p.code: p for p in session.scalars(select(Pathway))}
    stages: dict[int, list[int]] = {p.id: [] for p in pathways.values()}
    for stage in session.scalars(select(PathwayStage).order_by(PathwayStage.position)):
        stages[stage.pathway_id].append(stage.id)
    return Catalogue({c: p.id for c, p in pathways.items()},
                     {p.id: tuple(int(m) for m in p.screening_months.split(",")) for p in pathways.values()},
                     stages, {pid: ids[0] for pid, ids in stages.items()})


def _postcode(rng: random.Random, away: bool) -> str:
    area = rng.choice(AWAY_AREAS if away else HOME_AREAS)
    return f"{area}{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice(_INWARD)}{rng.choice(_INWARD)}"


def _roles(rng: random.Random, index: int) -> list[str]:
    # Every role appears: walk through them, then add a second role to some people.
    roles = [list(PersonRole)[index % len(PersonRole)].value]
    if rng.random() < 0.2:
        roles.append(rng.choice(list(PersonRole)).value)
    return list(dict.fromkeys(roles))


def person_rows(rng: random.Random, faker: Faker, incident_id: int, count: int, at: datetime,
                key_worker_ids: list[int | None]) -> list[dict]:
    """`count` people as insert rows, registered over the last STORY_DAYS days."""
    working_days = get_settings().referral_working_days
    # Its own generator, so the answers leave the rest of the demo's story as it was.
    monitoring = random.Random(f"equality {incident_id} {count}")
    rows = []
    for i in range(count):
        registered = at - timedelta(days=rng.uniform(0, STORY_DAYS))
        if i < count // 30:  # a few registered today: their Victims' Code referral is still to do
            registered = at - timedelta(hours=rng.uniform(0, 6))
        roles = _roles(rng, i)
        child = rng.random() < 0.15
        born = faker.date_of_birth(minimum_age=6 if child else 18, maximum_age=17 if child else 85)
        place = place_of(_postcode(rng, away=rng.random() < 0.12))
        given, family = faker.first_name(), faker.last_name()
        rows.append(dict(
            incident_id=incident_id, given_name=given, family_name=family, given_key=fold(given),
            family_key=fold(family), date_of_birth=born,
            mobile=f"+447400{rng.randint(0, 999_999):06d}" if rng.random() < 0.85 else None,
            email="", postcode=place.postcode, nation=place.nation, force_area=place.force_area,
            roles=",".join(roles), source=list(Source)[i % len(Source)].value,
            language=rng.choice(("English",) * 8 + ("Polish", "Urdu")), interpreter_needed=rng.random() < 0.05,
            easy_read=rng.random() < 0.03, accessibility_needs="", victim_of_terrorism=True,
            sexual_or_domestic_abuse=False, enhanced_rights=True,
            key_worker_id=rng.choice(key_worker_ids), status="open", discharge_outcome="",
            registered_at=registered, registered_by_id=None,
            referral_due_at=referral_due(registered, nation=place.nation, working_days=working_days),
            first_referred_at=None if i < count // 30 else registered + timedelta(hours=rng.uniform(2, 40)),
        ))
        rows[-1] |= _monitoring(monitoring, rows[-1], at)
    return rows


_SEXES = (("female",) * 50 + ("male",) * 42 + (PREFER_NOT_TO_SAY,) * 2 + (None,) * 6)
_ETHNIC = (("white_british",) * 62 + ("white_irish", "white_other", "white_other", "white_other", "white_roma")
           + ("asian_pakistani",) * 5 + ("asian_indian", "asian_indian", "asian_bangladeshi", "asian_chinese",
                                         "asian_other") + ("black_african",) * 3 + ("black_caribbean", "black_other")
           + ("mixed_white_black_caribbean", "mixed_white_asian", "mixed_other", "other_arab", "other_any")
           + (PREFER_NOT_TO_SAY,) * 2 + (None,) * 9)
_DISABILITY = (("no",) * 70 + ("yes",) * 18 + (PREFER_NOT_TO_SAY,) * 2 + (None,) * 10)


def _monitoring(rng: random.Random, row: dict, at: datetime) -> dict:
    """Equality-monitoring answers (some declined, some never asked), and the day an interpreter or
    easy read was given to most who need one."""
    met = None
    if (row["interpreter_needed"] or row["easy_read"]) and rng.random() < 0.8:
        met = min(london(row["registered_at"] + timedelta(days=rng.uniform(0, 4))).date(), london(at).date())
    return dict(sex=rng.choice(_SEXES), ethnic_group=rng.choice(_ETHNIC), disability=rng.choice(_DISABILITY),
                communication_met_on=met)


def _pathway_for(row: dict, at: datetime, catalogue: Catalogue, rng: random.Random) -> int:
    if is_under_18(row["date_of_birth"], london(at).date()):
        return catalogue.pathways["children_young_people"]
    if "bereaved" in row["roles"]:
        return catalogue.pathways["bereaved"]
    code = "practical_support" if rng.random() < 0.2 else "adult_trauma"
    return catalogue.pathways[code]


def _answers(rng: random.Random, instrument: str, positive: bool) -> list[int]:
    form = instrument_named(instrument)
    high = form.allowed_answers[-2:] if positive else form.allowed_answers[:2]
    answers = [rng.choice(high) for _ in range(form.item_count)]
    for alert in form.alerts:
        answers[alert.item - 1] = form.allowed_answers[0]  # the one urgent alert is raised through the service, on purpose
    return answers


def insert_people(session: Session, rng: random.Random, incident_id: int, rows: list[dict], at: datetime,
                  story_start: datetime, catalogue: Catalogue) -> list[int]:
    """Bulk-inserts people with their enrolments, moves, schedule, screenings, consents and referrals."""
    ids = bulk_insert(session, Person, rows)
    enrolments, plans = [], []
    on_pathway = dict.fromkeys(catalogue.stages, 0)
    for person_id, row in zip(ids, rows, strict=True):
        pathway_id = _pathway_for(row, at, catalogue, rng)
        stage_ids = catalogue.stages[pathway_id]
        stage_id = stage_ids[on_pathway[pathway_id] % len(stage_ids)]  # round the stages: every one occupied
        on_pathway[pathway_id] += 1
        enrolments.append(dict(person_id=person_id, pathway_id=pathway_id, stage_id=stage_id,
                               started_at=row["registered_at"]))
        plans.append((person_id, row, pathway_id, stage_id))
    enrolment_ids = bulk_insert(session, Enrolment, enrolments)
    events, follow_ups, screenings, consents, referrals = [], [], [], [], []
    agencies, coverage = _agencies(session), coverage_by_agency(session)
    for enrolment_id, (person_id, row, pathway_id, stage_id) in zip(enrolment_ids, plans, strict=True):
        first = catalogue.first_stage[pathway_id]
        caseworker_id = row["key_worker_id"]  # their key worker did the work so far
        events.append(dict(enrolment_id=enrolment_id, from_stage_id=None, to_stage_id=first,
                           at=row["registered_at"], by_id=caseworker_id, reason="registered"))
        if stage_id != first:
            events.append(dict(enrolment_id=enrolment_id, from_stage_id=first, to_stage_id=stage_id,
                               at=row["registered_at"] + timedelta(days=1), by_id=caseworker_id,
                               reason="assessed at first contact"))
        child = is_under_18(row["date_of_birth"], london(at).date())
        for month, due in due_dates(story_start, row["registered_at"], catalogue.months[pathway_id]):
            status = "planned"
            if due <= at:
                status = "overdue" if is_overdue(due, at) else "open"
                if rng.random() < 0.6:
                    status = "done"
            follow_ups.append(dict(incident_id=incident_id, person_id=person_id, month=month, due_at=due,
                                   status=status, opened_at=due if status != "planned" else None,
                                   done_at=due + timedelta(days=2) if status == "done" else None))
            if status == "done":
                instrument = "CRIES-8" if child else "PHQ-9"
                positive = rng.random() < 0.25
                answers = _answers(rng, instrument, positive)
                result = score(instrument, answers)
                screenings.append(dict(
                    incident_id=incident_id, person_id=person_id, instrument=instrument,
                    answers=json.dumps(answers), result=f"{result.total}; {result.band}",
                    notes="", positive=result.positive, taken_at=due + timedelta(days=2), taken_by_id=caseworker_id,
                    review_status="pending" if result.positive and rng.random() < 0.5 else
                    ("decided" if result.positive else "not_needed"),
                    decision="watchful_waiting" if result.positive else "", decision_note=""))
        if row["mobile"] and rng.random() < 0.7:
            consents.append(dict(person_id=person_id, purpose="sms", given=True, explicit=False,
                                 lawful_basis="consent", recorded_at=row["registered_at"], recorded_by_id=caseworker_id))
        if "bereaved" in row["roles"]:
            consents.append(dict(person_id=person_id, purpose="referral", given=True, explicit=True,
                                 lawful_basis="explicit_consent", recorded_at=row["registered_at"],
                                 recorded_by_id=caseworker_id))
        if row["first_referred_at"] is not None and agencies:
            home = row["force_area"]  # to a service covering it (any, when no coverage is recorded)
            agency = rng.choice([a for a in agencies if coverage.get(a.id, NOT_RECORDED).covers(home)] or agencies)
            routing = route(agency.name, coverage.get(agency.id, NOT_RECORDED), home_force_area=home,
                            incident_force_area=DEMO_FORCE_AREA)
            referrals.append(dict(
                incident_id=incident_id, person_id=person_id, agency_id=agency.id,
                service="Needs assessment and support", status=rng.choice(("sent", "accepted", "declined", "completed")),
                due_at=row["referral_due_at"], sent_at=row["first_referred_at"], sent_by_id=caseworker_id,
                status_changed_at=row["first_referred_at"], out_of_area=routing.out_of_area,
                for_force_area=routing.for_force_area, area_note=routing.note, notes=""))
    for model, batch in ((StageEvent, events), (FollowUp, follow_ups), (Screening, screenings), (Consent, consents),
                         (Referral, referrals)):
        for start in range(0, len(batch), CHUNK):
            session.execute(insert(model), batch[start:start + CHUNK], execution_options=_ONE_BATCH)
    session.flush()
    return ids


def _agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).where(Agency.active).order_by(Agency.id)))


def bulk_people(session: Session, rng: random.Random, faker: Faker, incident_id: int, count: int, at: datetime,
                *, key_worker_ids: list[int | None]) -> list[int]:
    """`count` people with their whole history, in bulk; key workers drawn from `key_worker_ids`
    (None: no key worker yet)."""
    ensure_standard_pathways(session)
    catalogue = load_catalogue(session)
    rows = person_rows(rng, faker, incident_id, count, at, key_worker_ids)
    return insert_people(session, rng, incident_id, rows, at, at - timedelta(days=STORY_DAYS), catalogue)

