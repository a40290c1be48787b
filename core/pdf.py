"""Printable documents (situation report, paper roster) that read well on paper.

One place sets up the font: DejaVu Sans when the machine has it, so names with accents and any
script print as typed; otherwise Helvetica, with characters it cannot print replaced by '?'.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# fontTools reports every glyph it subsets at INFO: noise on the command line's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class Document(FPDF):
    def __init__(self, title: str, subtitle: str = "", *, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", format="A4")
        self.doc_title, self.doc_subtitle = title, subtitle
        self.unicode = (_DEJAVU / "DejaVuSans.ttf").is_file() and (_DEJAVU / "DejaVuSans-Bold.ttf").is_file()
        if self.unicode:
            self.add_font("Body", "", str(_DEJAVU / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(_DEJAVU / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_title(title)
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()

    def printable(self, text: object) -> str:
        text = "" if text is None else str(text)
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        self.set_font(self.family, "B", 14)
        self.cell(0, 8, self.printable(self.doc_title), new_x="LMARGIN", new_y="NEXT")
        if self.doc_subtitle:
            self.set_font(self.family, "", 9)
            self.cell(0, 5, self.printable(self.doc_subtitle), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 6, self.printable(f"{self.doc_title} — page {self.page_no()}/{{nb}}"), align="C")

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(self.family, "B", 11)
        self.cell(0, 7, self.printable(text), new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str) -> None:
        self.set_font(self.family, "", 9)
        self.multi_cell(0, 5, self.printable(text), new_x="LMARGIN", new_y="NEXT")

    def table(self, header: list[str], rows: list[list[object]]) -> None:
        self.set_font(self.family, "", 8)
        with super().table(line_height=5, text_align="LEFT") as t:
            head = t.row()
            for name in header:
                head.cell(self.printable(name))
            for row in rows:
                r = t.row()
                for value in row:
                    r.cell(self.printable(value))

    def to_bytes(self) -> bytes:
        return bytes(self.output())
