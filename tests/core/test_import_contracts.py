"""The import-linter contracts in pyproject.toml bite: the packages copied as they are keep every
contract, and the same copy with one forbidden import added fails `lint-imports`, naming the
contract it breaks and the import that broke it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "incident", "rosters", "notifications", "pathways", "outreach", "standup", "migrations")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = [c["name"] for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]]

LAYERS = "Layers: migrations > standup > outreach > notifications | pathways > rosters > incident > core"
CORE = "core imports no domain and not standup"
PATHWAYS_ALONE = "pathways hangs from incident only: it never imports rosters or notifications"
NOTIFICATIONS_WITHOUT_PATHWAYS = "notifications never imports pathways"
INCIDENT_MODEL = "Only incident uses incident.model: others go through incident.queries"
ROSTERS_MODEL = "Only rosters uses rosters.model: others go through rosters.queries"
PATHWAYS_MODEL = "Only pathways uses pathways.model"
OUTREACH_MODEL = "Only outreach uses outreach.model"


def _python_only(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n in ("__pycache__", "node_modules")
            or (Path(directory, n).is_file() and not n.endswith(".py"))}


def _copy(tree: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=_python_only)
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def _lint(tree: Path) -> tuple[int, str]:
    """lint-imports on the copy (its packages first on the path), with the project's config."""
    assert LINT_IMPORTS.exists(), f"{LINT_IMPORTS} is missing: install the test extra (pip install -e '.[test]')"
    done = subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", str(tree / "pyproject.toml")], cwd=tree,
                          env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True, timeout=120)
    return done.returncode, " ".join((done.stdout + done.stderr).split())  # long names wrap in the report


def _broken(report: str) -> set[str]:
    states = {name: (f"{name} KEPT" in report, f"{name} BROKEN" in report) for name in CONTRACTS}
    assert all(kept != broken for kept, broken in states.values()), f"a contract is missing from the report: {report}"
    return {name for name, (_, broken) in states.items() if broken}


def test_the_packages_as_they_are_keep_every_contract(tmp_path):
    status, report = _lint(_copy(tmp_path))
    assert status == 0, report
    assert _broken(report) == set()
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in report


@pytest.mark.parametrize(("module", "line", "broken", "named"), [
    # a domain reading another's tables
    ("notifications/away_service.py", "from rosters.model import StaffMember", {ROSTERS_MODEL},
     "notifications.away_service -> rosters.model"),
    ("pathways/referral_service.py", "from incident.model import Hub", {INCIDENT_MODEL},
     "pathways.referral_service -> incident.model"),
    # pages are packages too: the contracts see them
    ("rosters/pages/coverage.py", "from incident.model import Incident", {INCIDENT_MODEL},
     "rosters.pages.coverage -> incident.model"),
    # against the domain order
    ("pathways/lookups.py", "from rosters.queries import staff_ids_by_mobile", {PATHWAYS_ALONE},
     "pathways.lookups -> rosters.queries"),
    ("notifications/outbox_service.py", "from pathways import lookups", {LAYERS, NOTIFICATIONS_WITHOUT_PATHWAYS},
     "notifications.outbox_service -> pathways.lookups"),
    # pathways reads incident.access, so through it pathways would reach rosters as well
    ("incident/access.py", "from rosters import queries", {LAYERS, PATHWAYS_ALONE},
     "incident.access -> rosters.queries"),
    # outreach sits above notifications and pathways, and reads their tables only through them
    ("notifications/outbox_service.py", "from outreach import retention", {LAYERS},
     "notifications.outbox_service -> outreach.retention"),
    ("pathways/screening_service.py", "from outreach.model import Contact", {LAYERS, OUTREACH_MODEL},
     "pathways.screening_service -> outreach.model"),
    ("outreach/retention.py", "from pathways.model import Person", {PATHWAYS_MODEL},
     "outreach.retention -> pathways.model"),
    # core reaching up (and every domain, which imports core, with it)
    # (notifications reaches core.crypto through the audit trail, and so pathways through standup.models)
    ("core/crypto.py", "import standup.models", {LAYERS, CORE, PATHWAYS_ALONE, NOTIFICATIONS_WITHOUT_PATHWAYS},
     "core.crypto -> standup.models"),
])
def test_one_forbidden_import_fails_the_contract_it_breaks(tmp_path, module, line, broken, named):
    tree = _copy(tmp_path)
    with (tree / module).open("a") as f:
        f.write(f"\n{line}  # noqa\n")
    status, report = _lint(tree)
    assert status != 0, report
    assert _broken(report) == broken, report
    assert named in report
