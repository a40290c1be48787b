"""Who may do what. Every service checks this itself: a hidden page is not access control."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    GOLD = "gold"
    HUB_MANAGER = "hub_manager"
    AGENCY_COORDINATOR = "agency_coordinator"
    CASEWORKER = "caseworker"
    ADMIN = "admin"
    AUDITOR = "auditor"
    SCRUTINY = "scrutiny"  # the commissioner's office and the police and crime panel's officer
    ADVOCATE = "advocate"  # an Independent Public Advocate (Victims and Prisoners Act 2024)


ROLE_TITLES = {
    Role.GOLD: "Gold Command",
    Role.HUB_MANAGER: "Hub manager",
    Role.AGENCY_COORDINATOR: "Agency coordinator",
    Role.CASEWORKER: "Caseworker",
    Role.ADMIN: "Administrator",
    Role.AUDITOR: "Auditor",
    Role.SCRUTINY: "Commissioner's office (scrutiny)",
    Role.ADVOCATE: "Independent Public Advocate",
}


class Permission(StrEnum):
    INCIDENT_VIEW = "incident.view"
    INCIDENT_COMMAND = "incident.command"  # declare, status, M/ETHANE, decisions, activations, commanders
    INCIDENT_TEAM = "incident.team"  # assign caseworkers to an incident (they see only those)
    HUBS_MANAGE = "hubs.manage"
    CATALOGUE_MANAGE = "catalogue.manage"
    AGENCIES_MANAGE = "agencies.manage"
    STAFF_VIEW = "staff.view"
    STAFF_EDIT = "staff.edit"  # agency coordinators: their own agency only
    SHIFTS_PLAN = "shifts.plan"
    CALLOUT_RUN = "callout.run"
    MOBILISATION_ANSWER = "mobilisation.answer"  # agency coordinators: their own agency's requests
    OUTBOX_VIEW = "outbox.view"
    PEOPLE_VIEW = "people.view"
    PEOPLE_EDIT = "people.edit"
    CLINICAL_REVIEW = "clinical.review"
    PATHWAYS_MANAGE = "pathways.manage"
    OUTREACH_RUN = "outreach.run"  # import cohorts, send invitations, follow the responses
    OUTREACH_SETTINGS = "outreach.settings"  # the public service name, contact number, rounds, links
    ADVOCATE_WORK = "advocate.work"  # read consenting victims' records, log requests to authorities, export
    SITREP_VIEW = "sitrep.view"
    AUDIT_VIEW = "audit.view"
    USERS_MANAGE = "users.manage"
    RETENTION_RUN = "retention.run"
    # Reads across incidents, every one audited: the delegation, decision logs, activations with
    # the decisions that authorised them (the commissioner's office holds the force to account).
    GOVERNANCE_VIEW = "governance.view"
    DELEGATION_RECORD = "delegation.record"  # the commissioner's delegation to the force
    # Victims' Code compliance figures across incidents, small numbers suppressed; every reading audited.
    COMPLIANCE_VIEW = "compliance.view"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.GOLD: frozenset(
        {P.INCIDENT_VIEW, P.INCIDENT_COMMAND, P.INCIDENT_TEAM, P.HUBS_MANAGE, P.STAFF_VIEW, P.SITREP_VIEW,
         P.OUTREACH_SETTINGS, P.DELEGATION_RECORD, P.COMPLIANCE_VIEW}
    ),
    Role.HUB_MANAGER: frozenset(
        {P.INCIDENT_VIEW, P.HUBS_MANAGE, P.STAFF_VIEW, P.STAFF_EDIT, P.SHIFTS_PLAN, P.CALLOUT_RUN,
         P.OUTBOX_VIEW, P.SITREP_VIEW, P.OUTREACH_RUN, P.OUTREACH_SETTINGS}
    ),
    Role.AGENCY_COORDINATOR: frozenset({P.INCIDENT_VIEW, P.STAFF_VIEW, P.STAFF_EDIT, P.MOBILISATION_ANSWER}),
    Role.CASEWORKER: frozenset({P.INCIDENT_VIEW, P.PEOPLE_VIEW, P.PEOPLE_EDIT, P.CLINICAL_REVIEW, P.OUTREACH_RUN}),
    Role.ADMIN: frozenset(
        {P.INCIDENT_VIEW, P.INCIDENT_TEAM, P.USERS_MANAGE, P.AGENCIES_MANAGE, P.CATALOGUE_MANAGE, P.PATHWAYS_MANAGE,
         P.AUDIT_VIEW, P.RETENTION_RUN, P.OUTBOX_VIEW, P.DELEGATION_RECORD}
    ),
    Role.AUDITOR: frozenset({P.INCIDENT_VIEW, P.AUDIT_VIEW, P.GOVERNANCE_VIEW, P.COMPLIANCE_VIEW}),
    # Reads only, and only what is audited on every read: no incident picker, no M/ETHANE or map.
    Role.SCRUTINY: frozenset({P.GOVERNANCE_VIEW, P.COMPLIANCE_VIEW}),
    Role.ADVOCATE: frozenset({P.INCIDENT_VIEW, P.ADVOCATE_WORK}),
}


class PermissionDenied(PermissionError):
    """The acting user's role does not allow this; the message says what was refused."""


@dataclass(frozen=True)
class Actor:
    """The person (or the worker) a use case runs for."""

    user_id: int | None
    username: str
    role: Role | None
    agency_id: int | None = None
    display_name: str = ""
    is_system: bool = False

    @classmethod
    def system(cls, job: str) -> Actor:
        """The worker's or the command line's identity: it acts under the rules, not as a person."""
        return cls(None, f"system:{job}", None, display_name=f"Stand Up ({job})", is_system=True)

    @classmethod
    def anonymous(cls, claimed_name: str) -> Actor:
        """Someone not signed in (a failed login); may do nothing."""
        return cls(None, claimed_name[:80] or "?", None)

    def can(self, permission: Permission) -> bool:
        return self.is_system or (self.role is not None and permission in ROLE_PERMISSIONS[self.role])


def require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        title = ROLE_TITLES.get(actor.role, "this account") if actor.role else "this account"
        raise PermissionDenied(f"{title} may not do this ({permission.value}).")


def require_agency(actor: Actor, agency_id: int | None) -> None:
    """Agency coordinators act for their own agency only."""
    if actor.role == Role.AGENCY_COORDINATOR and actor.agency_id != agency_id:
        raise PermissionDenied("Agency coordinators may act only for their own agency.")
