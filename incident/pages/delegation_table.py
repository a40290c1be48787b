"""The commissioner's delegations as a table: the delegation page and the governance page share it."""

from core.clock import show
from core.ui import table
from incident.delegation_service import DelegationLine


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def draw_delegations(lines: list[DelegationLine], *, empty: str) -> None:
    table([{"in force today": "yes" if line.in_force_today else "", "delegated by": d.delegated_by,
            "to": d.delegated_to, "what": d.scope, "from": _day(d.effective_from), "until": _day(d.effective_until),
            "document": d.document_reference, "recorded": f"{show(d.recorded_at)} by {d.recorded_by_name}"}
           for line in lines for d in (line.delegation,)], empty=empty)
