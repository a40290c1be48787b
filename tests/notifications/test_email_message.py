"""An email as built from an outbox row, byte for byte where mail providers read the bytes: both
bodies, the HTML made from the text (escaped, paragraphs, nothing fetched from elsewhere), the
one-click unsubscribe headers unfolded, and what an email must carry before it is queued."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from notifications.channels.email_message import check_email, compose, html_body
from notifications.channels.registry import Outgoing

UNSUBSCRIBE = "https://standup.example.org/outreach/unsubscribe/" + "t0k3n" * 30  # longer than a header line
SENDER = ("Victim Support, GMP", "support@force.police.uk")
AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _email(body: str = "Hello Jo,\n\nYour check: https://standup.example.org/support/check/abc?a=1&b=2.",
           payload: dict | None = None, subject: str = "EXERCISE Your wellbeing check – when you are ready"):
    message = Outgoing("email", "jo@example.org", body, 7, subject,
                       {"unsubscribe_url": UNSUBSCRIBE} if payload is None else payload)
    return compose(message, SENDER, "EM" + "0" * 32, AT).as_bytes()


def test_an_email_has_both_bodies_and_the_headers_a_reader_and_a_relay_need():
    raw = _email()
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["From"] == '"Victim Support, GMP" <support@force.police.uk>' and mail["To"] == "jo@example.org"
    assert mail["Subject"] == "EXERCISE Your wellbeing check – when you are ready"
    assert mail["Message-ID"] == f"<EM{'0' * 32}@force.police.uk>"
    assert mail["Date"].datetime == AT
    assert mail.get_content_type() == "multipart/alternative"
    plain = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain.startswith("Hello Jo,\n\nYour check: https://standup.example.org/support/check/abc?a=1&b=2.")
    assert plain.rstrip().endswith(f"To stop these emails: {UNSUBSCRIBE}")
    assert '<a href="https://standup.example.org/support/check/abc?a=1&amp;b=2">' in \
        mail.get_body(("html",)).get_content()
    assert all(len(line) <= 998 for line in raw.split(b"\r\n")) and raw.isascii()  # any relay takes it


def test_the_unsubscribe_headers_are_written_as_providers_read_them():
    raw = _email()
    # Unfolded and unencoded: a provider looks for "<https://" itself, not an RFC 2047 word.
    assert f"\r\nList-Unsubscribe: <{UNSUBSCRIBE}>\r\n".encode() in raw
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw


def test_an_email_to_staff_without_a_link_has_no_unsubscribe_headers():
    mail = message_from_bytes(_email(payload={"audience": "staff"}), policy=policy.default)
    assert mail["List-Unsubscribe"] is None and mail["List-Unsubscribe-Post"] is None
    assert "To stop these emails" not in mail.get_body(("plain",)).get_content()


def test_the_html_body_is_the_text_escaped_in_paragraphs_with_nothing_remote():
    page = html_body('Dear <b>Jo</b> & "family",\nline two\n\n\n  Visit https://x.example.org/a(1).\n\n', "T <1>")
    assert "<title>T &lt;1&gt;</title>" in page
    assert "<p>Dear &lt;b&gt;Jo&lt;/b&gt; &amp; &quot;family&quot;,<br>\nline two</p>" in page
    assert '<p>Visit <a href="https://x.example.org/a(1">https://x.example.org/a(1</a>).</p>' in page
    assert page.count("<p>") == 2
    assert not any(tag in page for tag in ("<img", "<link", "@import", "url(", "<script"))


def test_a_script_in_the_text_stays_text():
    page = html_body("<script>alert(1)</script> javascript:alert(1) https://ok.example.org\"onmouseover=x", "t")
    assert "<script>" not in page and "href=\"javascript" not in page
    assert '<a href="https://ok.example.org">' in page and "&quot;onmouseover=x" in page


@pytest.mark.parametrize(("subject", "payload", "reason"), [
    (None, {"unsubscribe_url": UNSUBSCRIBE}, "needs a subject"),
    ("Two\nlines", {"unsubscribe_url": UNSUBSCRIBE}, "one line"),
    ("x" * 201, {"unsubscribe_url": UNSUBSCRIBE}, "at most 200"),
    ("Hello", {}, "to the public needs an unsubscribe link"),
    ("Hello", {"audience": "public"}, "to the public needs an unsubscribe link"),
    ("Hello", {"audience": "everyone", "unsubscribe_url": UNSUBSCRIBE}, "audience is 'public' or 'staff'"),
    ("Hello", {"unsubscribe_url": "http://standup.example.org/u/1"}, "https://"),
    ("Hello", {"unsubscribe_url": "mailto:stop@example.org"}, "https://"),
    ("Hello", {"unsubscribe_url": "https://x.example.org/u/1>\r\nBcc: all@example.org"}, "https://"),
    ("Hello", {"unsubscribe_url": "https://x.example.org/" + "u" * 900}, "at most 900"),
    ("Hello", {"unsubscribe_url": 42}, "https://"),
])
def test_what_an_email_must_carry_before_it_is_queued(subject, payload, reason):
    with pytest.raises(ValueError, match=reason):
        check_email(subject, payload)


@pytest.mark.parametrize("payload", [
    {"unsubscribe_url": UNSUBSCRIBE}, {"audience": "public", "unsubscribe_url": UNSUBSCRIBE}, {"audience": "staff"},
    {"unsubscribe_url": "http://127.0.0.1:8501/outreach/unsubscribe/1"},  # the demo on this machine
])
def test_an_email_that_carries_what_it_needs_is_taken(payload):
    check_email("Hello", payload)
