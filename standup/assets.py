"""Vendored front-end assets: installed from the npm registry at build time, served at /vendor."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from core.maps import VENDORED_FILES

log = logging.getLogger("standup.assets")

STATIC = Path(__file__).resolve().parent / "static"
NODE_MODULES = STATIC / "node_modules"


def missing_files() -> list[str]:
    return [f for f in VENDORED_FILES if not (NODE_MODULES / f).is_file()]


def ensure_vendored() -> bool:
    """Install the assets when any is missing; False (with a logged reason) when that cannot be done."""
    if not missing_files():
        return True
    npm = shutil.which("npm")
    if npm is None:
        log.warning("npm not found: maps cannot load Leaflet until `npm install` runs in %s", STATIC)
        return False
    done = subprocess.run([npm, "install", "--no-package-lock", "--no-audit", "--no-fund", "--silent"],
                          cwd=STATIC, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or missing_files():
        log.warning("could not vendor the map assets: %s", (done.stderr or "files missing").strip()[-500:])
        return False
    return True
