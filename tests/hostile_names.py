"""Staff and hub names carrying HTML, script, Markdown and a spreadsheet formula, and the check that
a page shows them without reading any as Markdown."""

from __future__ import annotations

FIRST = "<script>alert(1)</script>"
LAST = "**Bold** [x](javascript:alert(1)) ![t](http://evil.example/t.png)"
HUB_NAME = '=HYPERLINK("http://evil.example") <img src=x onerror=alert(1)> _Hub_ # H'
# Elements whose text Streamlit reads as Markdown.
MARKDOWN_ELEMENTS = ("markdown", "caption", "success", "info", "warning", "error", "title", "header", "subheader")


def read_as_markdown(page) -> list[str]:
    return [str(e.value) for kind in MARKDOWN_ELEMENTS for e in getattr(page, kind)]


def assert_inert(page, *hostile: str) -> None:
    assert not page.exception
    for text in read_as_markdown(page):
        for name in hostile:
            assert name not in text, f"{name!r} would be read as Markdown in {text!r}"
