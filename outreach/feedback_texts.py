"""What the feedback survey's texts say: who is writing and why (asking how our support was), the
personal link or the reply scale, STOP. Never anything about the person or their case; the outbox
marks an exercise's texts EXERCISE."""

from __future__ import annotations

from datetime import date

NO_PUBLIC_NAME = "Your support service"  # the incident has not set its public service name yet


def link_sms(service_name: str, url: str, until: date) -> str:
    return (f"{service_name or NO_PUBLIC_NAME}: how was our support for you? Please tell us in 4 short questions: "
            f"{url} The link works until {until.day}/{until.month}/{until.year}. Reply STOP to opt out.")


def reply_scale_sms(service_name: str) -> str:
    return (f"{service_name or NO_PUBLIC_NAME}: how satisfied are you with the support you had from us? "
            "Reply with one number: 1 very dissatisfied, 2, 3, 4, 5 very satisfied. Reply STOP to opt out.")


THANKS_SMS = ("Thank you for your answer. If you would like someone from your support team to contact you, "
              "reply to this message and say so.")
