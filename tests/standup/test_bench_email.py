"""The email benchmark at tiny sizes, for its correctness columns only (timings are never
asserted): every email reaches the local SMTP server once, paced or unpaced; and an email sent
twice is counted."""

from __future__ import annotations

from notifications.channels.smtp_sender import SmtpEmail
from notifications.email_bench import bench_email_rate


def test_every_email_reaches_the_local_smtp_server_once_paced_and_unpaced(db):
    paced, unpaced = bench_email_rate(db.engine, messages=20, rate=1000)
    assert paced.correctness == 0 and unpaced.correctness == 0
    assert paced.figure.endswith("emails/s") and "EMAIL_RATE_PER_SECOND" in paced.target
    assert "20 emails" in paced.note and unpaced.ok is None


def test_an_email_sent_twice_is_counted(db, monkeypatch):
    real = SmtpEmail.send
    first = []

    def twice_for_the_first(self, message):
        if not first:
            first.append(real(self, message))
        return real(self, message)

    monkeypatch.setattr(SmtpEmail, "send", twice_for_the_first)
    paced, unpaced = bench_email_rate(db.engine, messages=10, rate=1000)
    assert paced.correctness == 1 and unpaced.correctness == 0  # the first of the paced run only
