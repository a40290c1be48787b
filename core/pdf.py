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

    def figures(self, rows: list[tuple[object, object]], value_width: float = 30) -> None:
        """Label and value lines with a rule under each: a table's look at a fraction of its cost
        (fpdf's table wraps every cell; most figure labels fit one line)."""
        self.set_font(self.family, "", 8)
        label_width = self.epw - value_width
        for label, value in rows:
            text = self.printable(label)
            if self.get_string_width(text) > label_width - 2:  # a long label wraps; its value sits on the first line
                if self.will_page_break(10):
                    self.add_page()
                top = self.get_y()
                self.multi_cell(label_width, 5, text, border="B", new_x="LMARGIN", new_y="NEXT")
                bottom = self.get_y()
                self.set_xy(self.l_margin + label_width, top)
                self.cell(value_width, bottom - top, self.printable(value), border="B", align="R")
                self.set_xy(self.l_margin, bottom)
                continue
            self.cell(label_width, 5, text, border="B")
            self.cell(value_width, 5, self.printable(value), border="B", align="R", new_x="LMARGIN", new_y="NEXT")

    def to_bytes(self) -> bytes:
        return bytes(self.output())
