"""How the incident domain plugs into the shell (PAGES), the worker (SWEEPS) and the demo (seed_demo)."""

from core.auth.roles import Permission
from core.demo_context import DemoContext
from core.plugin_shapes import PageSpec, Sweep
from core.retention import RetentionRule

P = Permission
GOLD_REPORT_SLOT = "incident.gold.report"  # Gold's page leaves room for the situation report (standup fills it)
GOLD_ADVOCATE_SLOT = "incident.gold.advocate"  # …and for the Independent Public Advocate's declaration and appointment
# The governance page leaves room, under one incident's record, for what the agencies gave (rosters' figures).
GOVERNANCE_INCIDENT_SLOT = "incident.governance.incident"
PAGES: tuple[PageSpec, ...] = (
    PageSpec("incident/pages/gold.py", "Gold", ":material/shield:", "Incident", P.INCIDENT_COMMAND),
    PageSpec("incident/pages/status.py", "Declare and status", ":material/campaign:", "Incident",
             P.INCIDENT_COMMAND),
    PageSpec("incident/pages/methane.py", "M/ETHANE", ":material/emergency:", "Incident", P.INCIDENT_VIEW),
    PageSpec("incident/pages/command.py", "Command structure", ":material/military_tech:", "Incident",
             P.INCIDENT_VIEW),
    PageSpec("incident/pages/hubs.py", "Hubs and sites", ":material/location_on:", "Incident", P.HUBS_MANAGE),
    PageSpec("incident/pages/team.py", "Incident team", ":material/groups:", "Incident", P.INCIDENT_TEAM),
    PageSpec("incident/pages/catalogue.py", "Activation catalogue", ":material/list_alt:", "Administration",
             P.CATALOGUE_MANAGE),
    PageSpec("incident/pages/governance.py", "Governance", ":material/gavel:", "Oversight", P.GOVERNANCE_VIEW),
    PageSpec("incident/pages/delegation.py", "Commissioner's delegation", ":material/handshake:",
             "Oversight", P.DELEGATION_RECORD),
)
SWEEPS: tuple[Sweep, ...] = ()
# Nothing here is erased automatically: the decision log, M/ETHANE history, activations and
# command records are the incident's evidence for the public inquiry, kept under the force's
# records-management schedule (they hold commanders' names, no victim's data).
RETENTION: tuple[RetentionRule, ...] = ()


def seed_demo(ctx: DemoContext) -> None:
    """An exercise some hours into its response: M/ETHANE versions, a decision log with a
    correction and a late entry, activations at every stage, two hubs, commanders and a handover."""
    from incident.demo import seed_demo as seed

    seed(ctx)
