"""What the Victims' Code asks of the Victim Personal Statement, restorative justice and compensation
records: a referral to restorative justice only with the victim's consent, after the provider's risk
assessment; a compensation application against its time limit (the Criminal Injuries Compensation
Scheme: usually within two years of the incident). Plain functions: each says what is wrong, or ""."""

from __future__ import annotations

from datetime import date

COMPENSATION_YEARS = 2


def compensation_deadline(incident_day: date) -> date:
    """The last day to apply, counted from the incident's day (29 February falls back to the 28th)."""
    try:
        return incident_day.replace(year=incident_day.year + COMPENSATION_YEARS)
    except ValueError:
        return incident_day.replace(year=incident_day.year + COMPENSATION_YEARS, day=28)


def compensation_late(applied_on: date | None, deadline: date, today: date) -> bool:
    """Applied after the time limit, or not applied and the limit has passed."""
    return (applied_on or today) > deadline


def rj_referral_problem(consent: bool | None, risk_assessed_on: date | None, referred_on: date | None) -> str:
    if referred_on is None:
        return ""
    if consent is not True:
        return "A referral to restorative justice needs the victim's consent: record that they agreed first."
    if risk_assessed_on is None:
        return "A referral to restorative justice follows the provider's risk assessment: give the day it was done."
    if referred_on < risk_assessed_on:
        return (f"The referral ({referred_on:%d/%m/%Y}) is before the provider's risk assessment "
                f"({risk_assessed_on:%d/%m/%Y}): it can only follow it.")
    return ""


def statement_problem(choice: str, made_on: date | None) -> str:
    if made_on is not None and choice != "made":
        return "A statement date is for a statement made: choose 'made', or clear the date."
    if choice == "made" and made_on is None:
        return "Give the day the Victim Personal Statement was made."
    return ""
