"""What this test run stands on: the repository's root, the PostgreSQL server scripts/test starts,
and tools a test needs, which fail the test where the test command promised them and skip it
(saying why) elsewhere."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("STANDUP_TEST_PG_URL", "")


def skip_or_fail(flag: str, reason: str) -> None:
    """Missing infrastructure fails where the test command promised it, and skips (saying why) elsewhere."""
    if os.environ.get(flag):
        pytest.fail(reason)
    pytest.skip(reason)


def require_pdftotext() -> None:
    """PDFs are read back with poppler's pdftotext, which scripts/test installs."""
    if shutil.which("pdftotext") is None:
        skip_or_fail("STANDUP_REQUIRE_PDFTOTEXT",
                     "pdftotext (poppler-utils) is not installed: the PDF's text cannot be read back")
