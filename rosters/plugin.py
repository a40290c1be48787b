"""How the rosters domain plugs into the shell (PAGES), the worker (SWEEPS) and the demo (seed_demo)."""

from core.auth.roles import Permission
from core.demo_context import DemoContext
from core.plugin_shapes import PageSpec, Sweep
from rosters.retention import RETENTION  # noqa: F401  gathered by standup/retention.py

P = Permission
SECTION = "Hub staffing"
PAGES: tuple[PageSpec, ...] = (
    PageSpec("rosters/pages/coverage.py", "Coverage board", ":material/grid_view:", SECTION, P.STAFF_VIEW),
    PageSpec("rosters/pages/assignment.py", "Assign staff", ":material/person_add:", SECTION, P.STAFF_EDIT),
    PageSpec("rosters/pages/autofill.py", "Auto-fill", ":material/auto_fix_high:", SECTION, P.SHIFTS_PLAN),
    PageSpec("rosters/pages/requirements.py", "Shift requirements", ":material/calendar_month:", SECTION,
             P.SHIFTS_PLAN),
    PageSpec("rosters/pages/contributions.py", "Agency contributions", ":material/handshake:", SECTION,
             P.STAFF_VIEW),
    PageSpec("rosters/pages/staff.py", "Agencies and staff", ":material/badge:", SECTION, P.STAFF_VIEW),
    PageSpec("rosters/pages/availability.py", "Availability", ":material/event_available:", SECTION, P.STAFF_EDIT),
    PageSpec("rosters/pages/import_roster.py", "Import a roster", ":material/upload_file:", SECTION, P.STAFF_EDIT),
)
SWEEPS: tuple[Sweep, ...] = ()


def seed_demo(ctx: DemoContext) -> None:
    """Staff from every demo agency, 14 days of shifts at the exercise's hubs, partly filled."""
    from rosters.demo import seed_rosters  # the demo pulls in the solver: load it only when seeding

    seed_rosters(ctx)
