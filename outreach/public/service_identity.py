"""What heads an outreach public page: the incident's public service name (in Welsh when the page
is and a Welsh name was given) and number, and EXERCISE for an exercise; nothing else of the incident."""

from __future__ import annotations

from datetime import date

from core.public.rendering import PageIdentity
from core.public.strings import t
from outreach.settings_service import PublicSettings


def identity_of(settings: PublicSettings, lang: str) -> PageIdentity:
    return PageIdentity(settings.name_in(lang), settings.contact_number or None, settings.is_exercise)


def long_date(day: date, lang: str) -> str:
    """"23 November 2026", "23 Tachwedd 2026"."""
    return f"{day.day} {t(f'month.{day.month}', lang)} {day.year}"
