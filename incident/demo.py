"""The incident's part of `standup demo`: an exercise some four hours into its response.

The story is replayed through the services on a clock that starts in the past and steps
forward, so Gold's page shows a believable timeline (declared hours ago, M/ETHANE updated,
decisions spread out, one recorded late, one corrected) and every row went through the same
rules as a real one. The caller's clock is restored afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core import clock
from core.auth.model import User
from core.auth.roles import Actor
from core.auth.service import actor_for
from core.demo_context import DemoContext
from incident.activation_service import Authority, catalogue, move_activation, request_activation
from incident.command_service import assign_commander, hand_over
from incident.decision_service import Decision, correct_decision, log_decision
from incident.delegation_service import record_delegation
from incident.delegation_terms import DelegationTerms
from incident.hub_service import HubDetails, save_hub
from incident.lifecycle_service import change_status, open_incident
from incident.methane import Methane
from incident.methane_service import submit_methane
from incident.model import Incident
from incident.team_service import assign_to_team

DECLARED_HOURS_AGO = 4.5


class _Replay:
    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at

    def to(self, minutes_after: float, origin: datetime) -> None:
        self.at = origin + timedelta(minutes=minutes_after)


@contextmanager
def _replayed_clock(start: datetime) -> Iterator[_Replay]:
    previous = clock._now  # the caller's clock (a test's frozen one), put back afterwards
    replay = _Replay(start)
    clock.set_clock(replay)
    try:
        yield replay
    finally:
        clock.set_clock(previous)


def open_exercise(session: Session, actor: Actor, name: str, summary: str) -> Incident:
    """The demo's exercise incident: opened on standby, then declared, a few hours ago."""
    declared = clock.now() - timedelta(hours=DECLARED_HOURS_AGO)
    with _replayed_clock(declared - timedelta(minutes=3)) as replay:
        incident = open_incident(session, actor, name, is_exercise=True, summary=summary)
        replay.to(3, declared - timedelta(minutes=3))
        return change_status(session, actor, incident.id, "declared",
                             "EXERCISE: M/ETHANE from the first officer on scene; major incident declared")


FIRST_METHANE = Methane(
    major_incident="declared", exact_location="Victoria Station concourse and arena foyer, Manchester M3 1AR",
    incident_type="Explosion at the end of a concert (EXERCISE)",
    hazards="Secondary device not ruled out; crowd crush on the station stairs",
    access="RVP Great Ducie Street; access via Trinity Way; Hunts Bank closed",
    casualties="Not known; many walking wounded, several P1 casualties reported",
    emergency_services="Police, fire and ambulance on scene; HART and specialist search requested",
    latitude=53.4875, longitude=-2.2429, cordon_radius_m=400.0,
)
HUBS = (
    HubDetails("Manchester Victim and Witness Hub", "victim_and_witness_hub", "1 Trinity Way, Salford", "M3 3EB",
               53.4853, -2.2521, "08:00–22:00 daily", 60, "Hub duty manager 0161 496 0101"),
    HubDetails("Etihad Humanitarian Assistance Centre", "humanitarian_assistance_centre",
               "Etihad Campus, Ashton New Road, Manchester", "M11 3FF", 53.4831, -2.2004, "24 hours", 250,
               "HAC coordinator 0161 496 0102"),
)


def seed_demo(ctx: DemoContext) -> None:
    session = ctx.session
    gold = actor_for(session.get(User, ctx.users["gold"]))
    incident = session.get(Incident, ctx.incident_id)
    origin = incident.declared_at
    record_delegation(session, actor_for(session.get(User, ctx.users["admin"])), DelegationTerms(
        "Police and Crime Commissioner (demo)", "Chief Constable, Greater Manchester Police",
        "Standing up victim support after a major incident: activating and standing down victim-support services "
        "with partner agencies, within the budget agreed for major incidents",
        clock.london(origin).date() - timedelta(days=200), "PCC decision notice 2026/031 (demo)"))
    services = {s.name: s.id for s in catalogue(session, gold)}
    agency = ctx.agencies
    police, council = agency["Greater Manchester Police"], agency["Manchester City Council"]
    activations: dict[str, int] = {}

    with _replayed_clock(origin) as replay:
        def at(minutes: float) -> None:
            replay.to(minutes, origin)

        latest = Authority()  # the newest decision: each request and stand-down follows the one that authorised it

        def decide(text: str, why: str, options: str = "", *, decided_minutes_ago: float = 2,
                   late: str = "") -> int:
            nonlocal latest
            d = Decision(clock.now() - timedelta(minutes=decided_minutes_ago), gold.display_name, text, why, options,
                         late)
            entry = log_decision(session, gold, ctx.incident_id, d)
            latest = Authority(entry.id)
            return entry.sequence

        def activate(service: str, lead: int, note: str = "", authority: Authority | None = None) -> None:
            activations[service] = request_activation(session, gold, ctx.incident_id, services[service], lead,
                                                      note, authority or latest).id

        def move(service: str, stage: str, note: str = "") -> None:
            move_activation(session, gold, activations[service], stage, note,
                            latest if stage == "stood_down" else Authority())

        at(2)
        submit_methane(session, gold, ctx.incident_id, FIRST_METHANE)
        at(4)
        assign_commander(session, gold, ctx.incident_id, police, "strategic", gold.display_name)
        tactical = assign_commander(session, gold, ctx.incident_id, police, "tactical",
                                    f"Supt {ctx.faker.last_name()} (demo)", "Silver control room")
        assign_commander(session, gold, ctx.incident_id, council, "strategic",
                         f"{ctx.faker.first_name()} {ctx.faker.last_name()}, Chief Executive (demo)")
        assign_commander(session, gold, ctx.incident_id, agency["Victim Support"], "tactical",
                         f"{ctx.faker.first_name()} {ctx.faker.last_name()}, Area Manager (demo)")
        at(6)
        decide("Declare a major incident and convene the Strategic Coordinating Group at 23:30",
               "Explosion with multiple casualties; all three services on scene",
               "Wait for the first full M/ETHANE: rejected, scale already clear")
        at(8)
        change_status(session, gold, ctx.incident_id, "response", "Casualties confirmed; response phase begins")
        at(10)
        decide("Surge the Victim and Witness Hub to 24 hours", "Hundreds of witnesses and families will need contact",
               "Normal hours with overflow to Victim Support: rejected, volume too high")
        activate("Victim and Witness Hub surge", police, "24/7 from tonight")
        at(12)
        decide("Open a dedicated helpline led by Victim Support", "Families are calling 999 and the arena",
               "Casualty bureau line only: rejected, it is for missing-person reports")
        activate("Dedicated helpline", agency["Victim Support"])
        at(20)
        move("Victim and Witness Hub surge", "standing_up", "first staff called in")
        at(25)
        submit_methane(session, gold, ctx.incident_id, replace(
            FIRST_METHANE, casualties="22 dead, 59 taken to hospital, about 250 walking wounded",
            hazards="Secondary device search complete at the station; crowd dispersed", cordon_radius_m=250.0))
        at(30)
        decide("Open a Humanitarian Assistance Centre at the Etihad Campus", "Space for families, parking, transport",
               "Town Hall: rejected, under refurbishment; hotel near the scene: rejected, inside the outer cordon")
        activate("Humanitarian Assistance Centre", council)
        at(35)
        for hub in HUBS:
            save_hub(session, gold, ctx.incident_id, hub)
        at(38)
        assign_to_team(session, gold, ctx.incident_id, ctx.users["caseworker"])
        at(40)
        decide("Coordinate family liaison from the Hub", "Bereaved families need one point of contact each")
        activate("Family liaison coordination", police)
        at(45)
        move("Dedicated helpline", "standing_up")
        move("Humanitarian Assistance Centre", "standing_up")
        at(60)
        move("Dedicated helpline", "operational", "number published on force social media")
        at(70)
        move("Victim and Witness Hub surge", "operational")
        at(75)
        decide("Ask the NHS trust to plan screen-and-treat outreach", "NICE NG116: screen about one month after",
               "Single-session debriefing: rejected, not recommended and may harm")
        activate("Screen-and-treat mental health", agency["Pennine Care NHS Foundation Trust"])
        at(80)
        press = decide("Press conference at 10:00 with the Mayor", "Public reassurance and helpline number")
        at(90)
        decide("Bereavement support from Cruse for families at the HAC", "Bereaved families arriving from tomorrow")
        activate("Bereavement support", agency["Cruse Bereavement Support"])
        at(95)
        correct_decision(session, gold, ctx.incident_id, press, Decision(
            clock.now() - timedelta(minutes=16), gold.display_name, "Press conference at 11:00 with the Mayor",
            "Public reassurance and helpline number", late_reason="Correcting the time misheard on the phone"),
            "The time was misheard on the phone: 11:00, not 10:00")
        at(100)
        submit_methane(session, gold, ctx.incident_id, replace(
            FIRST_METHANE, casualties="22 dead, 59 in hospital (12 critical), about 250 walking wounded",
            hazards="Scene secured; no further hazard", access="Inner cordon only; Victoria Station closed until noon",
            cordon_radius_m=150.0, emergency_services="Police on scene; fire and ambulance stood down from the scene"))
        at(120)
        decide("Practical support desk (housing, finance, employers) at the HAC", "People cannot return home in the cordon")
        activate("Practical support", council)
        move("Practical support", "standing_up")
        move("Humanitarian Assistance Centre", "operational")
        at(130)
        activate("Victims of Terrorism Unit liaison", police, authority=Authority(
            late_reason="Agreed by phone with the Home Office duty officer during the SCG; Gold logs it afterwards"))
        at(150)
        decide("Children and young people's support through CAMHS and schools", "Many concert-goers were under 18",
               decided_minutes_ago=50, late="Written up from Gold's notebook after the SCG meeting")
        activate("Children and young people's support", agency["Pennine Care NHS Foundation Trust"])
        at(180)
        hand_over(session, gold, tactical.id, f"Supt {ctx.faker.last_name()} (demo)", clock.now() - timedelta(minutes=5),
                  "Hub operational 24/7; HAC open; helpline live; press conference 11:00; next SCG 06:00")
        at(200)
        decide("Stand the helpline down overnight; calls divert to the Victim Support national line",
               "Call volume below five an hour since 02:00")
        move("Dedicated helpline", "stood_down", "diverted overnight to the national line")
        at(240)
        decide("Review the hub staffing for the next 72 hours at the 06:00 SCG", "Staff fatigue; rest rules apply")
