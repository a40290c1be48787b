"""The public pages' framework (core.public): the guards every public response has, form tokens,
size limits, pages that work without JavaScript, English and Welsh, and the vendored GOV.UK
Frontend. The page under test is tests.public_test_pages' throwaway form, beside the real
accessibility statement."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from markupsafe import escape
from starlette.testclient import TestClient

from core.public import form_token
from core.public.request_guards import HEADERS, MAX_BODY_BYTES
from core.public.routes import ASSETS
from core.public.strings import CATALOGUE, Phrase, t
from standup.webhook_app import app as webhook_app
from tests import public_test_pages
from tests.public_test_pages import IDENTITY

FORM_TYPE = {"content-type": "application/x-www-form-urlencoded"}


def _shown(key: str, lang: str) -> str:
    """A text as the page's HTML holds it (an apostrophe escaped)."""
    return str(escape(str(t(key, lang))))


@pytest.fixture
def client() -> TestClient:
    public_test_pages.kept.clear()
    return TestClient(public_test_pages.app(), follow_redirects=False)


class _Page(HTMLParser):
    """What a browser without JavaScript has to work with."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts, self.links, self.forms, self.inputs, self.styles = [], [], [], [], []
        self.handlers: list[str] = []
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.handlers += [name for name in a if name.startswith("on")]
        if "style" in a:
            self.styles.append(tag)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "script":
            self.scripts.append(a)
        elif tag == "a":
            self.links.append(a.get("href"))
        elif tag == "form":
            self.forms.append(a)
        elif tag == "input":
            self.inputs.append(a)


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _token_of(html: str) -> str:
    return next(i["value"] for i in _parsed(html).inputs if i.get("name") == form_token.FIELD)


def _assert_guarded(response) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    assert response.headers["cache-control"] == "no-store", response.request.url


# --- the guards on every public response ---------------------------------------------------------

def test_every_kind_of_public_response_carries_the_security_headers(client, db):
    assert "script-src" not in HEADERS["Content-Security-Policy"]  # default-src 'self' covers it
    assert {"default-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} <= {
        part.strip() for part in HEADERS["Content-Security-Policy"].split(";")}
    page = client.get("/support/try")
    token = _token_of(page.text)
    responses = [
        page,
        client.get("/support/accessibility"),
        client.get("/support/accessibility?lang=cy"),
        client.get("/support/no-such-page"),
        client.get("/support/check/not-a-real-token"),
        client.post("/support/accessibility"),  # 405
        client.post("/support/try", data={"name": ""}),  # 403: no form token
        client.post("/support/try", content=b"x" * (MAX_BODY_BYTES + 1), headers=FORM_TYPE),  # 413
        client.post("/support/try", json={"name": "x"}),  # 415
        client.post("/support/try", data={form_token.FIELD: token, "name": ""}),  # 400: errors shown
        client.post("/support/try", data={form_token.FIELD: token, "name": "Ann", "dob-day": "1"}),  # 303
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 404, 404, 405, 403, 413, 415, 400, 303]
    for response in responses:
        _assert_guarded(response)
    asset = client.get("/support/assets/govuk-frontend.css")
    assert asset.status_code == 200 and asset.headers["content-type"].startswith("text/css")
    for name, value in HEADERS.items():
        assert asset.headers[name] == value
    assert asset.headers["cache-control"] == "public, max-age=3600"  # the one thing that may be cached


def test_refusals_are_pages_in_the_persons_language(client):
    missing = client.get("/support/check/abc?lang=cy")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert 'lang="cy"' in missing.text and _shown("refused.404.title", "cy") in missing.text
    forged = client.post("/support/try?lang=cy", data={"name": "x"})
    assert forged.status_code == 403
    assert _shown("refused.403.title", "cy") in forged.text and _shown("refused.nothing_saved", "cy") in forged.text


def test_the_public_pages_are_served_by_the_webhook_app_as_by_the_dashboard_server():
    client = TestClient(webhook_app)
    response = client.get("/support/accessibility")
    assert response.status_code == 200 and _shown("accessibility.title", "en") in response.text
    _assert_guarded(response)
    assert client.get("/healthz").headers.get("Content-Security-Policy") is None  # only /support is guarded


# --- form tokens (CSRF) -------------------------------------------------------------------------

def test_a_post_with_a_missing_or_wrong_form_token_is_403_and_changes_nothing(client, frozen_clock):
    good = _token_of(client.get("/support/try").text)
    issued, _, signature = good.partition(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    other_path = form_token.issue("/support/refer")
    for token in [None, "", "garbage", f"{issued}.{flipped}", f"{int(issued) + 1}.{signature}", other_path,
                  f"{issued}."]:
        data = {"name": "Ann", "dob-day": "1"} | ({form_token.FIELD: token} if token is not None else {})
        response = client.post("/support/try", data=data)
        assert response.status_code == 403, token
    # Two tokens, one good: refused too (which one would count?).
    twice = client.post("/support/try", content=f"{form_token.FIELD}={good}&{form_token.FIELD}=x&name=A".encode(),
                        headers=FORM_TYPE)
    assert twice.status_code == 403
    assert public_test_pages.kept == []


def test_a_form_token_is_good_for_its_lifetime_on_its_own_path_only(frozen_clock):
    token = form_token.issue("/support/try")
    assert form_token.is_valid("/support/try", token)
    assert not form_token.is_valid("/support/tr", token)
    frozen_clock.advance(form_token.LIFETIME - timedelta(seconds=1))
    assert form_token.is_valid("/support/try", token)
    frozen_clock.advance(timedelta(seconds=2))
    assert not form_token.is_valid("/support/try", token)
    frozen_clock.advance(-form_token.LIFETIME - timedelta(minutes=10))  # issued "in the future"
    assert not form_token.is_valid("/support/try", token)


def test_a_token_signed_under_the_previous_key_still_passes_after_a_rotation(monkeypatch, frozen_clock):
    from cryptography.fernet import Fernet

    from core.settings import reset_settings

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("STANDUP_SECRET_KEY", old)
    reset_settings()
    token = form_token.issue("/support/try")
    monkeypatch.setenv("STANDUP_SECRET_KEY", f"{new},{old}")
    reset_settings()
    assert form_token.is_valid("/support/try", token)
    monkeypatch.setenv("STANDUP_SECRET_KEY", new)
    reset_settings()
    assert not form_token.is_valid("/support/try", token)


def test_a_post_with_its_form_token_is_accepted_and_an_error_names_each_field(client, db):
    html = client.get("/support/try").text
    token = _token_of(html)
    shown = client.post("/support/try", data={form_token.FIELD: token, "name": " "})
    assert shown.status_code == 400
    assert shown.text.count('class="govuk-error-summary"') == 1
    # The summary names each question and links to its input; the title says Error first.
    assert re.search(r'<a href="#name">\s*Enter your name\s*</a>', shown.text)
    assert re.search(r'<a href="#dob-day">\s*Enter your date of birth\s*</a>', shown.text)
    assert 'id="name"' in shown.text and 'id="dob-day"' in shown.text
    assert "<title>Error: Tell us about you" in shown.text
    assert re.search(r'<p id="name-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>'
                     r' Enter your name', shown.text)
    assert 'value=" "' in shown.text  # what was typed is shown again
    assert public_test_pages.kept == []
    # The re-shown page's own token works: a person corrects and sends again.
    sent = client.post("/support/try", data={form_token.FIELD: _token_of(shown.text), "name": "Ann", "dob-day": "3",
                                             "agreed": "yes", "website": ""})
    assert sent.status_code == 303 and sent.headers["location"] == "/support/try?done=1"
    assert public_test_pages.kept == [{"name": ["Ann"], "dob-day": ["3"], "agreed": ["yes"], "website": [""]}]


def test_the_honeypot_catches_a_bot_that_fills_every_box(client, db):
    token = _token_of(client.get("/support/try").text)
    bot = client.post("/support/try", data={form_token.FIELD: token, "name": "Bot", "dob-day": "1",
                                            "website": "http://spam.example"})
    assert bot.status_code == 303  # told nothing
    assert public_test_pages.kept == []


# --- how much a request may send -----------------------------------------------------------------

def test_an_oversized_post_is_413_whether_declared_or_streamed(client, db):
    token = _token_of(client.get("/support/try").text)
    body = f"{form_token.FIELD}={token}&name=" + "a" * MAX_BODY_BYTES
    declared = client.post("/support/try", content=body.encode(), headers=FORM_TYPE)
    assert declared.status_code == 413 and _shown("refused.413.title", "en") in declared.text

    def chunks():  # no Content-Length: the body arrives in pieces until it is too many
        yield f"{form_token.FIELD}={token}&name=".encode()
        for _ in range(MAX_BODY_BYTES // 4096 + 2):
            yield b"a" * 4096

    streamed = client.post("/support/try", content=chunks(), headers=FORM_TYPE)
    assert streamed.status_code == 413
    assert public_test_pages.kept == []
    just_fits = f"{form_token.FIELD}={token}&dob-day=1&name=".encode()
    just_fits += b"a" * (MAX_BODY_BYTES - len(just_fits))
    assert client.post("/support/try", content=just_fits, headers=FORM_TYPE).status_code == 303


def test_a_post_that_is_not_a_readable_form_is_refused(client):
    token = _token_of(client.get("/support/try").text)
    assert client.post("/support/try", content=b'{"a": 1}', headers={"content-type": "application/json"}
                       ).status_code == 415
    assert client.post("/support/try", content=f"{form_token.FIELD}={token}&name=\xff".encode("latin-1"),
                       headers=FORM_TYPE).status_code == 400
    many = "&".join(f"f{i}=x" for i in range(300))
    assert client.post("/support/try", content=f"{form_token.FIELD}={token}&{many}".encode(),
                       headers=FORM_TYPE).status_code == 400


# --- pages that work without JavaScript, in English and Welsh -------------------------------------

@pytest.mark.parametrize("path", ["/support/try", "/support/accessibility", "/support/accessibility?lang=cy",
                                  "/support/no-such-page"])
def test_pages_need_no_javascript_and_ask_nothing_of_another_site(client, path):
    html = client.get(path).text
    page = _parsed(html)
    assert page.scripts == [] and page.handlers == [] and page.styles == [], path
    assert "javascript:" not in html.lower()
    for form in page.forms:  # a plain form that posts back here
        assert form["method"] == "post" and form["action"].startswith("/support/")
    hrefs = re.findall(r'(?:href|src)="([^"]+)"', html)
    for href in hrefs:
        assert href.startswith(("/support/", "#", "tel:", "?")) or href == "https://www.equalityadvisoryservice.com/", href
    for asset in re.findall(r'<link[^>]+href="([^"]+)"', html):
        assert client.get(asset).status_code == 200, asset


def test_the_form_page_carries_its_token_the_honeypot_and_the_identity(client):
    html = client.get("/support/try").text
    page = _parsed(html)
    assert page.forms == [{"method": "post", "action": "/support/try", "novalidate": None}]
    assert form_token.is_valid("/support/try", _token_of(html))
    honeypot = next(i for i in page.inputs if i.get("name") == "website")
    assert honeypot["tabindex"] == "-1"
    assert re.search(r'<div class="govuk-form-group" hidden>\s*<label[^>]*for="website"', html)
    assert IDENTITY.service_name in html and 'href="tel:08001234567"' in html
    assert "govuk-phase-banner" in html and _shown("layout.exercise_text", "en") in html
    assert "<title>Tell us about you – Manchester Support Hub</title>" in html


def test_the_welsh_page_says_lang_cy_keeps_the_language_and_switches_back():
    client = TestClient(webhook_app)
    welsh = client.get("/support/accessibility?lang=cy").text
    page = _parsed(welsh)
    assert page.html_lang == "cy"
    assert _shown("accessibility.title", "cy") in welsh and _shown("accessibility.title", "en") not in welsh
    assert 'href="/support/accessibility" lang="en" hreflang="en"' in welsh  # back to English, same page
    english = client.get("/support/accessibility").text
    assert _parsed(english).html_lang == "en"
    assert 'href="/support/accessibility?lang=cy" lang="cy" hreflang="cy"' in english
    # A Welsh form posts back in Welsh.
    form_page = TestClient(public_test_pages.app()).get("/support/try?lang=cy").text
    assert _parsed(form_page).forms[0]["action"] == "/support/try?lang=cy"
    assert 'href="/support/accessibility?lang=cy"' in form_page  # the footer keeps the language too
    # The GOV.UK macros' own words (a date's boxes, the warning icon's text) come in Welsh too.
    assert re.search(r'<label class="govuk-label govuk-date-input__label" for="dob-day">\s*Diwrnod', form_page)
    assert '<span class="govuk-visually-hidden">Rhybudd</span>' in form_page


def test_every_public_text_of_core_has_welsh():
    english = json.loads((ASSETS.parent / "strings" / "en.json").read_text())
    welsh = json.loads((ASSETS.parent / "strings" / "cy.json").read_text())
    assert set(english) == set(welsh)
    assert [k for k in english if english[k] == welsh[k]] == []  # nothing left untranslated by copying


# --- the words: catalogue, fallback, an administrator's Welsh -------------------------------------

def test_a_missing_welsh_text_falls_back_to_english_marked_as_such(tmp_path):
    words = tmp_path / "strings"
    words.mkdir()
    (words / "en.json").write_text(json.dumps({"test.only_english": "Only in English", "test.both": "Hello {name}"}))
    (words / "cy.json").write_text(json.dumps({"test.both": "Helo {name}"}))
    CATALOGUE.add_directory(words)
    welsh = CATALOGUE.translator("cy")
    phrase = welsh("test.only_english")
    assert isinstance(phrase, Phrase) and phrase.fallback and phrase == "Only in English"
    assert phrase.__html__() == '<span lang="en">Only in English</span>'
    assert not welsh("test.both", name="<Ann>").fallback
    assert welsh("test.both", name="<Ann>").__html__() == "Helo &lt;Ann&gt;"
    assert welsh.fell_back  # the layout then says some text is not yet in Welsh
    assert not CATALOGUE.translator("en")("test.only_english").fallback
    with pytest.raises(KeyError):
        t("test.no_such_key", "en")
    with pytest.raises(ValueError, match="another package"):
        CATALOGUE.add_directory(words)  # the same keys twice


def test_an_administrators_welsh_file_overrides_and_adds_without_a_release(tmp_path, caplog):
    from core.settings import get_settings

    file = get_settings().data_dir / "public-strings.cy.json"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps({"layout.skip_link": "Neidio i'r cynnwys", "no.such.key": "dim"}), encoding="utf-8")
    assert t("layout.skip_link", "cy") == "Neidio i'r cynnwys"
    assert "no.such.key" in caplog.text  # ignored, and said
    assert t("layout.skip_link", "en") == "Skip to main content"
    import os

    file.write_text("{not json", encoding="utf-8")
    os.utime(file, (1, 1))  # a different modification time: read again
    assert t("layout.skip_link", "cy") == "Neidio i'r prif gynnwys"  # the shipped Welsh, file ignored
    assert "is ignored" in caplog.text


# --- the vendored GOV.UK Frontend --------------------------------------------------------------

def test_govuk_frontend_is_vendored_with_its_licence_and_no_gov_uk_brand():
    from scripts.vendor_govuk_frontend import LEFT_OUT, RELEASE, named_assets

    css = (ASSETS / "govuk-frontend.css").read_text(encoding="utf-8")
    assert f"GOV.UK Frontend {RELEASE}" in css and f'--govuk-frontend-version: "{RELEASE}"' in css
    assert "MIT License" in (ASSETS / "govuk-frontend-LICENSE").read_text()
    assert "Transport" not in css and "\ufeff" not in css
    assert all((ASSETS / name).is_file() for name in named_assets(css) - LEFT_OUT)
    # What is left out is never drawn: no page uses the footer's Crown copyright mark.
    for template in (ASSETS.parent / "templates").rglob("*.html"):
        assert "copyright-logo" not in template.read_text() and "govukFooter" not in template.read_text()
    assert not list(ASSETS.rglob("*.js"))  # the pages must work without JavaScript
