"""Email addresses as stored (lower case, an ASCII domain with a dot), the reason each malformed
one is refused, EMAIL_FROM's "Name <address>" form, and the mask the outbox shows."""

from __future__ import annotations

import pytest

from core.email_address import mailbox, mask_email, normalise_email


@pytest.mark.parametrize(("typed", "stored"), [
    ("jo.smith@example.org", "jo.smith@example.org"),
    ("  Jo.Smith+Outreach@Example.ORG ", "jo.smith+outreach@example.org"),
    ("o'brien@mail.example.co.uk", "o'brien@mail.example.co.uk"),
    ("jo@bücher.example", "jo@xn--bcher-kva.example"),  # the form every relay takes
    ("jo@example.org.", "jo@example.org"),  # a fully qualified domain's final dot
])
def test_an_address_is_stored_lower_case_with_an_ascii_domain(typed, stored):
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(("typed", "reason"), [
    ("", "no address given"),
    ("jo.smith", "is not an email address"),
    ("@example.org", "is not an email address"),
    ("jo@", "is not an email address"),
    ("jo@localhost", "no dotted domain"),
    ("jo@@example.org", "more than one @"),
    ("jo smith@example.org", "a space"),
    ("jo\x00@example.org", "control character"),
    (".jo@example.org", "name before the @"),
    ("jo..smith@example.org", "name before the @"),
    ("a" * 65 + "@example.org", "name before the @"),
    ("jöe@example.org", "outside plain ASCII"),
    ("jo@[192.0.2.1]", "IP address"),
    ("jo@192.0.2.1", "ends in a number"),
    ("jo@-example.org", "a character a domain cannot have"),
    ("jo@exa_mple.org", "a character a domain cannot have"),
    ("jo@example..org", "cannot be written"),
    ("jo@" + "a" * 250 + ".org", "cannot be written"),
    ("j" * 64 + "@" + ".".join(["a" * 60] * 4) + ".org", "longer than the 254"),
])
def test_a_malformed_address_is_refused_with_the_reason(typed, reason):
    with pytest.raises(ValueError, match=reason):
        normalise_email(typed)


@pytest.mark.parametrize(("email_from", "parts"), [
    ("support@force.police.uk", ("", "support@force.police.uk")),
    ("Victim Support <Support@Force.Police.UK>", ("Victim Support", "support@force.police.uk")),
    ("Victim Support, GMP <support@force.police.uk>", ("Victim Support, GMP", "support@force.police.uk")),
    ("<support@force.police.uk>", ("", "support@force.police.uk")),
])
def test_the_sender_may_carry_a_name_shown_to_readers(email_from, parts):
    assert mailbox(email_from) == parts


@pytest.mark.parametrize("email_from", ["Victim Support <support@force.police.uk", "Victim Support support@x.org",
                                        "VS <support@force.police.uk> extra", "VS <support@localhost>"])
def test_a_sender_that_is_neither_form_is_refused(email_from):
    with pytest.raises(ValueError):
        mailbox(email_from)


def test_the_mask_hides_most_of_the_name_and_keeps_the_domain():
    assert mask_email("jo.smith@example.org") == "j***h@example.org"
    assert mask_email("jo@example.org") == "j***@example.org"
    with pytest.raises(ValueError):
        mask_email("+447400123456")
