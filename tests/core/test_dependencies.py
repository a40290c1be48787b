"""Every library the application imports is one the plain install (`pip install -e .`) brings:
`standup bench` once failed with ModuleNotFoundError: httpx came only with the test extra."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions

from packaging.requirements import Requirement

from tests.infrastructure import ROOT

APP_PACKAGES = ("core", "incident", "rosters", "notifications", "pathways", "outreach", "standup")


def _imported_top_levels() -> set[str]:
    found = set()
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - set(APP_PACKAGES) - {"migrations", "__future__"}


def _installed_with(declared: set[str]) -> set[str]:
    """The declared distributions and everything they bring, transitively (extras aside)."""
    from importlib.metadata import PackageNotFoundError, requires

    seen, todo = set(), list(declared)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = requires(name) or ()
        except PackageNotFoundError:
            continue
        todo += [Requirement(r).name.lower().replace("_", "-") for r in needs if "extra ==" not in r]
    return seen


def test_every_library_the_application_imports_is_a_main_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    brought = _installed_with({Requirement(r).name.lower().replace("_", "-") for r in project["dependencies"]})
    providers = packages_distributions()
    missing = {module: sorted(distributions) for module in sorted(_imported_top_levels())
               if not (distributions := {d.lower().replace("_", "-") for d in providers.get(module, [module])})
               & brought}
    assert missing == {}
