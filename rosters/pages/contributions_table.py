"""What each agency agreed to give against what it gave, as a table: the contributions page and
the governance page (through its slot) share it."""

import streamlit as st

from core.ui import read, table
from rosters.contribution_service import ContributionLine, contributions_for_governance


def draw_contributions(lines: list[ContributionLine]) -> None:
    table([{"agency": line.agency,
            "agreed a day": line.agreed.staff_per_day if line.agreed else "none recorded",
            "roles": line.agreed.roles if line.agreed else "",
            "from": line.agreed.starts_on.strftime("%d/%m/%Y") if line.agreed else "",
            "until": line.agreed.ends_on.strftime("%d/%m/%Y") if line.agreed and line.agreed.ends_on else "",
            "person-days asked": line.person_days_asked, "person-days given": line.given.person_days,
            "shifts worked": line.given.shifts, "hours": line.given.hours} for line in lines],
          empty="No agency has agreed to give or given staff to this incident yet.")


def governance_contributions(incident_id: int) -> None:
    """The governance page's slot: the incident's agency contributions, read as governance."""
    st.markdown("**What each agency agreed to give and gave**")
    draw_contributions(read(lambda s, a: contributions_for_governance(s, a, incident_id)))
