"""Which pages exist and who sees them. A page is shown to a role exactly when the role holds
the page's permission, so the menu and the services' own checks cannot drift apart."""

from __future__ import annotations

from core.auth.roles import ROLE_PERMISSIONS, Permission, Role
from core.plugin_shapes import PageSpec
from incident import plugin as incident
from notifications import plugin as notifications
from outreach import plugin as outreach
from pathways import plugin as pathways
from rosters import plugin as rosters

CORE_PAGES: tuple[PageSpec, ...] = (
    PageSpec("standup/pages/home.py", "Home", ":material/home:", "Stand Up", None),
    PageSpec("core/pages/users.py", "Users", ":material/group:", "Administration", Permission.USERS_MANAGE),
    PageSpec("core/pages/agencies.py", "Agencies", ":material/apartment:", "Administration",
             Permission.AGENCIES_MANAGE),
    PageSpec("core/pages/audit.py", "Audit trail", ":material/policy:", "Administration", Permission.AUDIT_VIEW),
)

# Cross-domain read models live here, in the composition layer.
SITUATION_PAGES: tuple[PageSpec, ...] = (
    PageSpec("standup/pages/dashboard.py", "Situation", ":material/monitoring:", "Situation", Permission.SITREP_VIEW),
    PageSpec("standup/pages/map.py", "Situation map", ":material/map:", "Situation", Permission.INCIDENT_VIEW),
)

# Read across domains for the commissioner's office (beside incident's Governance page).
OVERSIGHT_PAGES: tuple[PageSpec, ...] = (
    PageSpec("standup/pages/compliance.py", "Victims' Code compliance", ":material/fact_check:", "Oversight",
             Permission.COMPLIANCE_VIEW),
)

PAGES: tuple[PageSpec, ...] = (CORE_PAGES + SITUATION_PAGES + incident.PAGES + OVERSIGHT_PAGES + rosters.PAGES
                               + notifications.PAGES + pathways.PAGES + outreach.PAGES)


def pages_for(role: Role) -> list[PageSpec]:
    allowed = ROLE_PERMISSIONS[role]
    return [p for p in PAGES if p.permission is None or p.permission in allowed]
