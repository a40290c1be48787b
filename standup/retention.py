"""`standup retention` and the nightly sweep: every domain's retention rules, applied together."""

from __future__ import annotations

from core.auth.roles import Actor
from core.db import unit_of_work
from core.errors import InputError
from core.retention import RetentionOutcome, RetentionRule, apply_retention, check_periods, parse_periods
from core.settings import SettingsError, get_settings
from incident import plugin as incident
from notifications import plugin as notifications
from outreach import plugin as outreach
from pathways import plugin as pathways
from rosters import plugin as rosters

RULES: tuple[RetentionRule, ...] = (incident.RETENTION + rosters.RETENTION + notifications.RETENTION + pathways.RETENTION
                                    + outreach.RETENTION)


def check_configured_periods() -> None:
    """At start, so a wrong STANDUP_RETENTION_DAYS stops the program instead of the 2 a.m. sweep."""
    try:
        check_periods(RULES, parse_periods(get_settings().retention_days))
    except InputError as problem:
        raise SettingsError(str(problem)) from None


def run_retention(*, dry_run: bool, job: str = "retention") -> list[RetentionOutcome]:
    with unit_of_work() as session:
        return apply_retention(session, Actor.system(job), RULES, parse_periods(get_settings().retention_days),
                               dry_run=dry_run)


def nightly() -> None:
    run_retention(dry_run=False, job="nightly-retention")
