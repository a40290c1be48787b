"""What an invitation and its reminder say. Only who is writing (the service's public name) and why
(people affected by the incident are being offered support), the personal link, and a number to
call: never a diagnosis, an answer, the incident's internal name or anything about the person. The
outbox marks an exercise's messages EXERCISE; SMS carries STOP, email its one-click unsubscribe."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Words:
    service_name: str
    contact_number: str  # as people dial it
    check_url: str
    expires_on: date  # the link's last day (Europe/London)


def invitation_sms(w: Words) -> str:
    return (f"{w.service_name}: we are contacting people who may have been affected by the recent incident to "
            f"offer support. A short, private wellbeing check, for you only: {w.check_url} "
            f"Or call {w.contact_number}. Reply STOP to opt out.")


def reminder_sms(w: Words) -> str:
    return (f"{w.service_name}: a reminder of your private wellbeing check, if you would like to take it: "
            f"{w.check_url} Or call {w.contact_number}. Reply STOP to opt out.")


def invitation_email(w: Words) -> tuple[str, str]:
    return (f"{w.service_name}: a wellbeing check for you", (
        f"Hello,\n\nWe are {w.service_name}. We are contacting people who may have been affected by the recent "
        "incident, to offer support.\n\n"
        "This link opens a short, private wellbeing check. It takes a few minutes and is for you only:\n"
        f"{w.check_url}\n\n"
        f"The link works until {w.expires_on:%-d %B %Y}. If you would rather talk to someone, call "
        f"{w.contact_number}.\n\n{w.service_name}"))


def reminder_email(w: Words) -> tuple[str, str]:
    return (f"{w.service_name}: a reminder of your wellbeing check", (
        f"Hello,\n\nA few days ago {w.service_name} sent you a link to a short, private wellbeing check, "
        "offered to people who may have been affected by the recent incident. If you would like to take it, "
        f"this link is for you only:\n{w.check_url}\n\n"
        f"It works until {w.expires_on:%-d %B %Y}. If you would rather talk to someone, call "
        f"{w.contact_number}.\n\n{w.service_name}"))
