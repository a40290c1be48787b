"""Which registered person (pathways) a contact is: one of the incident's people sharing the
contact's email or mobile whose names do not conflict (outreach.same_person), the earliest
registered. A contact found so is linked, never registered a second time."""

from __future__ import annotations

from sqlalchemy.orm import Session

from outreach.same_person import Someone, name_key, names_conflict
from pathways.queries import Reachable, people_reachable_at


def link_registered(session: Session, incident_id: int, contacts: list[Someone]) -> int:
    """Give each contact not yet linked the registered person they are (the earliest record sharing
    their email or mobile whose names do not conflict); how many were linked."""
    unlinked = [c for c in contacts if c.person_id is None]
    people = people_reachable_at(session, incident_id, {c.email for c in unlinked if c.email},
                                 {c.mobile for c in unlinked if c.mobile})
    by_email: dict[str, list[Reachable]] = {}
    by_mobile: dict[str, list[Reachable]] = {}
    for person in people:
        if person.email:
            by_email.setdefault(person.email, []).append(person)
        if person.mobile:
            by_mobile.setdefault(person.mobile, []).append(person)
    linked = 0
    for contact in unlinked:
        candidates = [*by_email.get(contact.email or "", ()), *by_mobile.get(contact.mobile or "", ())]
        fitting = [p for p in candidates if not names_conflict(contact.given_key, contact.family_key,
                                                               name_key(p.given_name), name_key(p.family_name))]
        if fitting:
            contact.person_id = min(fitting, key=lambda p: p.id).id
            contact.filled.add("person_id")
            linked += 1
    return linked
