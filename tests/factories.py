"""Rows the tests start from, one builder for each kind of row, so a test of one domain never
writes another domain's tables itself. Each builder goes through the owning domain's use case
where one makes that row (agencies, incidents, hubs, shifts, availability, texts); where none
does (rosters takes staff only from a roster file; a safety alert comes only from a screening),
the builder here is the one place that writes the row. Each takes the `db` fixture, commits its
own unit of work and returns the new row's id.

Also here: the inputs several test modules submit (the first M/ETHANE report, a messy roster file, a
messy cohort list)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core.agencies.service import add_agency, agency_named
from core.auth.roles import Actor
from core.clock import london
from core.db import unit_of_work
from incident.hub_service import HubDetails, save_hub
from incident.lifecycle_service import open_incident
from incident.methane import Methane
from notifications.model import OutboundMessage, OutboundStatus
from notifications.outbox_service import queue_sms, set_status
from outreach.cohort_service import import_cohort
from outreach.invitation_service import send_invitations
from outreach.settings_service import SettingsChanges, save_outreach_settings, settings_for
from pathways.model import SafetyAlert
from rosters.model import StaffMember
from rosters.requirement_service import plan_shifts
from rosters.staff_service import record_availability

SYSTEM = Actor.system("test")  # the builders act as the system: every permission, no person
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the frozen_clock's start: a Monday, GMT

_counter = iter(range(100_000, 999_999))


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def agency(db, name: str = "Victim Support", *, coordinator_mobile: str = "", active: bool = True) -> int:
    """The agency of that name, added through the agencies service when there is none yet."""
    with unit_of_work(db.engine) as s:
        found = agency_named(s, name)
        if found is None:
            found = add_agency(s, SYSTEM, name, "charity", coordinator_mobile=coordinator_mobile)
            found.active = active  # no use case retires an agency yet
        return found.id


def incident(db, name: str | None = None, *, is_exercise: bool = True) -> int:
    """An incident opened (on standby) through the incident service; names repeat only across days."""
    with unit_of_work(db.engine) as s:
        return open_incident(s, SYSTEM, name or f"Test incident {next(_counter)}", is_exercise=is_exercise).id


def hub(db, incident_id: int, name: str = "Victoria Hub", **details) -> int:
    """A hub of the incident, saved through the hubs service; `details` are HubDetails' other fields."""
    with unit_of_work(db.engine) as s:
        return save_hub(s, SYSTEM, incident_id, HubDetails(name, **details)).id


def incident_with_hub(db, hub_name: str = "Victoria Hub", *, postcode: str = "M4 3AE") -> tuple[int, int]:
    incident_id = incident(db)
    return incident_id, hub(db, incident_id, hub_name, postcode=postcode)


def staff(db, agency_id: int, **changes) -> int:
    """A person on the agency's roster (rosters adds people only from a roster file): eligible for
    a support worker's shift unless `changes` (StaffMember's columns) say otherwise."""
    n = next(_counter)
    values = dict(
        agency_id=agency_id, staff_ref=f"S{n}", first_name="Alex", last_name=f"Tester{n}",
        mobile=f"+447400{n:06d}", role="support worker", skills=["psychological first aid"], languages=[],
        dbs_level="enhanced", dbs_expiry=date(2027, 12, 31), home_postcode="M1 1AA",
    )
    values.update(changes)
    with unit_of_work(db.engine) as s:
        person = StaffMember(**values)
        s.add(person)
        s.flush()
        return person.id


def requirement(db, incident_id: int, hub_id: int, start: datetime, hours: float = 8, *, headcount: int = 1,
                role: str = "support worker", needs: Mapping[tuple[str, str], int] | None = None,
                needs_enhanced_dbs: bool = False, debrief_minutes: int = 0) -> int:
    """One shift from `start`, planned through rosters' shift planning as a one-day pattern."""
    local = london(start)
    with unit_of_work(db.engine) as s:
        [shift] = plan_shifts(s, SYSTEM, incident_id, hub_id, role=role, headcount=headcount, first_day=local.date(),
                              days=1, start_times=[local.time()], hours=hours, needs=needs,
                              needs_enhanced_dbs=needs_enhanced_dbs, debrief_minutes=debrief_minutes)
        assert (shift.starts_at, shift.ends_at) == (start, start + timedelta(hours=hours)), "not a London wall-clock time"
        return shift.id


def window(db, staff_id: int, start: datetime, end: datetime, *, available: bool = True) -> int:
    """A window the person is available (or not), recorded through the staff service."""
    with unit_of_work(db.engine) as s:
        return record_availability(s, SYSTEM, staff_id, start, end, available=available).id


def text_message(db, *, to: str, body: str, incident_id: int | None, status: OutboundStatus | None = None,
                 purpose: str = "notice") -> int:
    """A text queued through the outbox, then moved to `status` as a status callback would move it."""
    with unit_of_work(db.engine) as s:
        message = queue_sms(s, to=to, body=body, purpose=purpose, incident_id=incident_id)
        if status is not None:
            set_status(s, message, status, "callback")
        return message.id


def safety_alert(db, incident_id: int, person_id: int, *, acknowledged_at: datetime | None = None) -> int:
    """An urgent safety alert about the person (pathways raises one only from a screening's answers)."""
    with unit_of_work(db.engine) as s:
        alert = SafetyAlert(incident_id=incident_id, person_id=person_id, text="t", acknowledged_at=acknowledged_at)
        s.add(alert)
        s.flush()
        return alert.id


def outreach_ready(db, incident_id: int, **changes) -> None:
    """The incident's outreach settings saved (a service name and number, so invitations may go)."""
    with unit_of_work(db.engine) as s:
        save_outreach_settings(s, SYSTEM, incident_id, SettingsChanges(
            changes.pop("service_name", "Northern Resilience Hub"), changes.pop("contact_number", "0161 496 0000"),
            **changes))


def cohort(db, incident_id: int, csv_text: str, name: str = "Arena ticket purchasers") -> str:
    """A cohort list imported through the outreach service; the cohort's name."""
    with unit_of_work(db.engine) as s:
        import_cohort(s, SYSTEM, incident_id, name, csv_text.encode("utf-8"), "list.csv", source="Test list")
    return name


_LINK = re.compile(r"/support/check/([A-Za-z0-9_-]+)")


def invitation_link(db, incident_id: int, *, email: str = "", mobile: str = "", first_name: str = "Sam",
                    last_name: str = "Taylor", date_of_birth: str = "", cohort_name: str | None = None) -> str:
    """A personal wellbeing-check link for one new contact, invited through the outreach service (the
    incident's outreach set up first when it is not): the token, read from the message queued."""
    if not email and not mobile:
        email = f"person{next(_counter)}@example.org"
    with unit_of_work(db.engine) as s:
        ready = settings_for(s, incident_id).ready_to_invite
    if not ready:
        outreach_ready(db, incident_id)
    name = cohort_name or f"Cohort {next(_counter)}"
    cohort(db, incident_id, "first_name,last_name,email,mobile,date_of_birth\r\n"
                            f"{first_name},{last_name},{email},{mobile},{date_of_birth}\r\n", name)
    with unit_of_work(db.engine) as s:
        send_invitations(s, SYSTEM, incident_id, name)
        body = s.scalar(select(OutboundMessage.body).where(OutboundMessage.incident_id == incident_id)
                        .order_by(OutboundMessage.id.desc()).limit(1))
    return _LINK.search(body).group(1)


FIRST_METHANE = Methane(
    major_incident="declared", exact_location="Victoria Station concourse, Manchester M3 1AR",
    incident_type="Explosion", hazards="Secondary device not ruled out", access="RVP Great Ducie Street",
    casualties="Not known; many walking wounded", emergency_services="Police, fire, ambulance on scene",
    latitude=53.4875, longitude=-2.2429, cordon_radius_m=400.0,
)

# A roster as agencies send them: a title row, headers typed their way, a missing mobile, an
# impossible date, negative hours, a landline, and one person twice.
MESSY_ROSTER_CSV = (
    "\ufeffVictim Support Manchester roster,,,,,,,,\r\n"
    "Staff ID, Forename ,SURNAME,Mobile Number,Job Title,Skills,Languages,DBS,DBS Expiry Date,Max Hours\r\n"
    "VS001,Amira,Haddad,07400 123456,Support Worker,PFA; trauma informed,arabic,Enhanced,2027-03-01,37.5\r\n"
    "VS002,Tom,O'Neill,+44 7400 123457,support worker,\"bereavement, knitting\",,enhanced,01/12/2027,20 hrs\r\n"
    "VS003,Jo,Baker,,Family Liaison,,,standard,31/02/2027,-5\r\n"
    "VS004,Sam,Reed,0161 234 5678,Coordinator,,,basic,1 Mar 2027,\r\n"
    "VS001,Amira,Haddad,07400 999999,Support Worker,,,enhanced,2027-03-01,\r\n"
)


# A ticketing export as it arrives: aliases for every header, duplicates spelt differently, a family
# sharing one address, accents, a landline, Ofcom's drama range, a number Excel mangled, blank rows.
MESSY_COHORT_CSV = (
    "Order No,Purchaser First Name,Surname,E-mail,Phone Number,Post Code,DOB\r\n"
    "A1001,Zoë,O'Brien,Zoe.OBrien@Example.org,07400 100001,M4 5AB,1990-02-03\r\n"  # 2 new
    "A1002,zoe,o'brien,,+447400100001,,\r\n"  # 3 same mobile, same name: merged into 2
    "A1003,Amy,Smith,smith.family@example.org,,,\r\n"  # 4 new
    "A1004,Ben,Smith,SMITH.FAMILY@example.org,,,12/06/2012\r\n"  # 5 same email, another name: new (a child)
    ",,,,,,\r\n"  # 6 blank
    "A1005,,,smith.family@example.org,07400 100005,,\r\n"  # 7 no name conflicts with nothing: merged into 4
    "A1006,Chris,Evans,chris@localhost,0161 496 0000,,\r\n"  # 8 no dotted domain, a landline: rejected
    "A1007,Dana,Jones,,07700 900123,,\r\n"  # 9 drama range only: rejected
    "A1008,Eve,Adams,eve.adams@example.co.uk,07700 900456,SW1A 1AA,\r\n"  # 10 new, the mobile dropped
    "A1009,Finn,Brown,not-an-email,07400 100009,XYZ 123,\r\n"  # 11 new, the email and postcode dropped
    "A1010,Gina,Lee,,,CF10 1AA,\r\n"  # 12 nothing to reach her by: rejected
    ",Hana,Kim,,+33 6 12 34 56 78,,\r\n"  # 13 new: a French mobile
    "A1012,José,Álvarez,jose@example.es,,,\r\n"  # 14 new
    "A1013,Jose,ALVAREZ,JOSE@EXAMPLE.ES,,EH1 2NG,\r\n"  # 15 the same without accents: merged into 14
    "A1014,Ivan,Petrov,ivan@example.org,07400 100014,,\r\n"  # 16 new
    "A1015,Ivan,Petrov,ivan.p@example.org,07400 100014,,\r\n"  # 17 same mobile: merged into 16
    "A1016,,,ivan.p@example.org,,,\r\n"  # 18 shares line 17's email: merged into 16 too
    "A1017,Kai,Wong,kai@example.org,020 7946 0000,,\r\n"  # 19 new, the landline dropped
    "A1018,Leo,Kerr,,7400100018,,\r\n"  # 20 new: the leading 0 lost in a spreadsheet
    "A1019,Mia,Ross,,7.4001E+09,,\r\n"  # 21 the digits lost to scientific notation: rejected
    ",,,,,,\r\n"  # 22 blank
)
