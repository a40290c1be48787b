"""axe-core on a public page, against WCAG 2.2 AA and axe's best practice: every violation, each
named with its impact and the first nodes it found (the public pages allow none)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page) -> list[str]:
    results = Axe().run(page, options={"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": TAGS}})
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['html'][:160] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]
