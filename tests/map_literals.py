"""Checks that text typed by people stays text on a folium map. Folium puts popup and tooltip
bodies inside JavaScript template literals (`…`) that jQuery then parses as HTML, so a name is
safe only when, in every literal, it can neither close the literal (a backtick), run code
(`${…}`), break the script with an escape (a backslash), nor add an element or attribute."""

from __future__ import annotations

import json
from html.parser import HTMLParser

# One of each way out: template substitution, closing the literal, escapes, closing the script, markup.
HOSTILE_NAMES = (
    "${alert(document.domain)}",
    "Hub `;alert(1);//",
    "C:\\temp\\ \\u{41} \\`",
    "</script><script>alert(3)</script>",
    '<img src=x onerror="alert(4)">',
)
OUR_TAGS = {"div", "b", "br"}


def template_literals(script: str) -> list[str]:
    """The bodies of the script's template literals, read the way JavaScript reads them."""
    bodies, i = [], 0
    while (start := script.find("`", i)) >= 0:
        end = start + 1
        while end < len(script) and (script[end] != "`" or script[end - 1] == "\\"):
            end += 1
        bodies.append(script[start + 1:end])
        i = end + 1
    return bodies


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def inert_texts(script: str) -> list[str]:
    """Every literal's visible text, after checking that nothing in it is live: no substitution,
    no escape, only the map's own tags with their own attributes."""
    texts = []
    for body in template_literals(script):
        assert "${" not in body and "\\" not in body, body
        reader = _Reader()
        reader.feed(body)
        for tag, attrs in reader.tags:
            assert tag in OUR_TAGS and {name for name, _ in attrs} <= {"id", "style"}, body
        texts.append(" ".join("".join(reader.text).split()))
    return texts


def assert_shown_as_text(script: str, name: str) -> None:
    """The map's script shows `name` as text somewhere, and nothing in its literals is live."""
    texts = inert_texts(script)
    assert any(" ".join(name.split()) in text for text in texts), (name, texts)


def st_folium_scripts(at) -> list[str]:
    """The map scripts an AppTest run sent to streamlit-folium's component."""
    return [json.loads(c.proto.json_args)["script"] for c in at.get("component_instance")
            if c.proto.component_name.startswith("streamlit_folium")]
