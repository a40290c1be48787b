"""Printable documents (situation report, paper roster) that read well on paper.

One place sets up the font: DejaVu Sans when the machine has it, so names with accents and any
script print as typed; otherwise Helvetica, with characters it cannot print replaced by '?'.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# fontTools reports every glyph it subsets at INFO: noise on the command line's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class BarChart:
    """A small bar chart: one bar per series at each point, the first and last point labelled."""

    title: str
    points: Sequence[str]  # the x labels ("05 Dec")
    series: Sequence[tuple[str, Sequence[int]]]  # (name, one value per point)


# Told apart in greyscale too: a photocopy keeps one dark and one light.
_SERIES_COLOURS = ((40, 70, 130), (230, 140, 50), (120, 120, 120))


class Document(FPDF):
    def __init__(self, title: str, subtitle: str = "", *, landscape: bool = False, marking: str = "") -> None:
        """`marking` is printed in a band at the top of every page (EXERCISE, or LIVE INCIDENT)."""
        super().__init__(orientation="L" if landscape else "P", format="A4")
        self.doc_title, self.doc_subtitle, self.marking = title, subtitle, marking
        self.unicode = (_DEJAVU / "DejaVuSans.ttf").is_file() and (_DEJAVU / "DejaVuSans-Bold.ttf").is_file()
        if self.unicode:
            self.add_font("Body", "", str(_DEJAVU / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(_DEJAVU / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_title(title)
        self.set_auto_page_break(auto=True, margin=15)
        self.page_margins = (self.l_margin, self.t_margin, self.r_margin)
        self.add_page()

    def printable(self, text: object) -> str:
        text = "" if text is None else str(text)
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        # A page may begin inside a column (see `in_columns`): the header spans the page all the same.
        column = self.l_margin, self.r_margin
        self.set_margins(*self.page_margins)
        self.set_x(self.l_margin)
        if self.marking:
            self.set_font(self.family, "B", 10)
            self.set_fill_color(0, 0, 0)
            self.set_text_color(255, 255, 255)
            self.cell(0, 6, self.printable(self.marking), align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)
            self.ln(1)
        self.set_font(self.family, "B", 14)
        self.multi_cell(0, 7, self.printable(self.doc_title), align="L", new_x="LMARGIN", new_y="NEXT")
        if self.doc_subtitle:
            self.set_font(self.family, "", 9)
            self.multi_cell(0, 4.5, self.printable(self.doc_subtitle), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_left_margin(column[0])
        self.set_right_margin(column[1])
        self.set_x(self.l_margin)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 6, self.printable(f"{self.doc_title} — page {self.page_no()}/{{nb}}"), align="C")

    def heading(self, text: str, size: float = 11, keep: float = 14) -> None:
        """`keep`: room needed below, so a heading never ends a page alone (0 where the caller has made room)."""
        if keep and self.will_page_break(keep):
            self.add_page()
        self.ln(2 if size >= 10 else 1)
        self.set_font(self.family, "B", size)
        self.cell(0, size * 0.6, self.printable(text), new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str, size: float = 9, style: str = "") -> None:
        self.set_font(self.family, style, size)
        self.multi_cell(0, size * 0.55, self.printable(text), align="L", new_x="LMARGIN", new_y="NEXT")

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

    def run_in(self, label: str, text: str, size: float = 8) -> None:
        """A bold label running into its text: "Messages: all 0"."""
        self.set_font(self.family, "B", size)
        self.write(size * 0.55, self.printable(f"{label}: "))
        self.set_font(self.family, "", size)
        self.write(size * 0.55, self.printable(text))
        self.ln(size * 0.55)

    def labelled(self, rows: Sequence[tuple[object, object]], label_width: float = 45) -> None:
        """Label and free text side by side, the text wrapping in its own column."""
        for label, text in rows:
            if self.will_page_break(10):
                self.add_page()
            self.set_font(self.family, "B", 8)
            top = self.get_y()
            self.multi_cell(label_width - 2, 4.5, self.printable(label), align="L", new_x="LMARGIN", new_y="NEXT")
            below_label = self.get_y()
            self.set_xy(self.l_margin + label_width, top)
            self.set_font(self.family, "", 9)
            self.multi_cell(self.epw - label_width, 4.5, self.printable(text), align="L", new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.get_y(), below_label) + 0.5)

    def figures(self, rows: Sequence[Sequence[object]], value_widths: Sequence[float] = (30,)) -> None:
        """Rows of a label then values right-aligned in columns of `value_widths`, a rule under each:
        a table's look at a fraction of its cost (fpdf's table wraps every cell; most labels fit one line)."""
        self.set_font(self.family, "", 8)
        label_width = self.epw - sum(value_widths)
        for label, *values in rows:
            text = self.printable(label)
            top = self.get_y()
            if self.get_string_width(text) > label_width - 2:  # a long label wraps; its values sit on the first line
                if self.will_page_break(10):
                    self.add_page()
                    top = self.get_y()
                self.multi_cell(label_width, 5, text, border="B", align="L", new_x="LMARGIN", new_y="NEXT")
            else:
                if self.will_page_break(5):
                    self.add_page()
                    top = self.get_y()
                self.cell(label_width, 5, text, border="B", new_x="LMARGIN", new_y="NEXT")
            bottom = self.get_y()
            x = self.l_margin + label_width
            for width, value in zip(value_widths, values, strict=True):
                self.set_xy(x, top)
                self.cell(width, bottom - top, self.printable(value), border="B", align="R")
                x += width
            self.set_xy(self.l_margin, bottom)

    def lines_needed(self, text: str, width: float) -> int:
        """How many lines `text` takes across `width` in the current font, wrapped as multi_cell wraps it."""
        return len(self.multi_cell(width, 5, text, dry_run=True, output="LINES"))

    def figures_height(self, rows: Sequence[Sequence[object]], value_widths: Sequence[float] = (30,)) -> float:
        """The height `figures` will take for these rows across the current width."""
        self.set_font(self.family, "", 8)
        label_width = self.epw - sum(value_widths)
        return sum(5 * self.lines_needed(self.printable(row[0]), label_width) for row in rows)

    def in_columns(self, blocks: Sequence[tuple[Callable[[], float], Callable[[], None]]], count: int = 2,
                   gap: float = 6) -> None:
        """Blocks side by side in `count` columns of about equal length, each block kept whole where it
        fits: `blocks` are (height, draw) pairs, both called with the margins set to the column."""
        page_left, _, page_right = self.page_margins
        width = (self.w - page_left - page_right - gap * (count - 1)) / count

        def into(column: int) -> None:
            self.set_left_margin(page_left + column * (width + gap))
            self.set_right_margin(self.w - self.l_margin - width)
            self.set_x(self.l_margin)

        into(0)
        heights = [height() for height, _ in blocks]

        def column_end(start: int, top: float) -> float:
            """Where a column starting at `top` should end: the rest shared out, never past the page."""
            share = sum(heights[start:]) / count + 3
            return min(self.page_break_trigger, top + max(share, max(heights[start:], default=0)))

        top, column = self.get_y(), 0
        end, lowest = column_end(0, top), top
        for i, (_, draw) in enumerate(blocks):
            if self.get_y() + heights[i] > end and self.get_y() > top:
                column += 1
                if column == count:
                    self.set_margins(*self.page_margins)
                    self.add_page()
                    top, column = self.get_y(), 0
                    lowest = top
                    end = column_end(i, top)
                elif column == count - 1:  # the last column takes what is left, to the foot of the page
                    end = self.page_break_trigger
                self.set_y(top)
            into(column)
            page = self.page
            draw()
            if self.page != page:  # a block longer than a column ran on: carry on below it, in one column
                top, column = self.get_y(), 0
                end = column_end(i + 1, top)
            lowest = max(lowest, self.get_y())
        self.set_margins(*self.page_margins)
        self.set_xy(self.l_margin, lowest)

    @staticmethod
    def bar_charts_height(height: float = 32) -> float:
        """The room a row of `bar_charts` takes: the plots, their titles, labels and legends."""
        return height + 22

    def bar_charts(self, charts: Sequence[BarChart], height: float = 32) -> None:
        """Small charts side by side across the page, drawn as rectangles: no image, no network."""
        if not charts:
            return
        gap = 6
        width = (self.epw - gap * (len(charts) - 1)) / len(charts)
        needed = self.bar_charts_height(height)
        if self.will_page_break(needed):
            self.add_page()
        top = self.get_y()
        for i, chart in enumerate(charts):
            self._bar_chart(chart, self.l_margin + i * (width + gap), top, width, height)
        self.set_xy(self.l_margin, top + needed)

    def _bar_chart(self, chart: BarChart, x: float, y: float, width: float, height: float) -> None:
        self.set_font(self.family, "B", 8)
        self.set_xy(x, y)
        self.cell(width, 4, self.printable(chart.title))
        top, axis = y + 6, 7  # room on the left for the scale
        plot_x, plot_w = x + axis, width - axis
        peak = max((v for _, values in chart.series for v in values), default=0)
        self.set_font(self.family, "", 6)
        self.set_xy(x, top - 1)
        self.cell(axis - 1, 3, f"{peak:,}", align="R")
        self.set_xy(x, top + height - 3)
        self.cell(axis - 1, 3, "0", align="R")
        self.set_draw_color(160, 160, 160)
        self.line(plot_x, top + height, plot_x + plot_w, top + height)
        self.line(plot_x, top, plot_x, top + height)
        self.set_draw_color(0, 0, 0)
        slot = plot_w / max(len(chart.points), 1)
        bar = slot * 0.8 / max(len(chart.series), 1)
        for s, (_, values) in enumerate(chart.series):
            self.set_fill_color(*_SERIES_COLOURS[s % len(_SERIES_COLOURS)])
            for i, value in enumerate(values):
                if value and peak:
                    h = height * value / peak
                    self.rect(plot_x + i * slot + slot * 0.1 + s * bar, top + height - h, bar, h, style="F")
        if chart.points:
            self.set_xy(plot_x, top + height + 0.5)
            self.cell(plot_w / 2, 3, self.printable(chart.points[0]))
            self.cell(plot_w / 2, 3, self.printable(chart.points[-1]), align="R")
        legend_x = plot_x
        for s, (name, _) in enumerate(chart.series):
            self.set_fill_color(*_SERIES_COLOURS[s % len(_SERIES_COLOURS)])
            self.rect(legend_x, top + height + 5, 2.5, 2.5, style="F")
            self.set_xy(legend_x + 3, top + height + 4.5)
            text = self.printable(name)
            self.cell(self.get_string_width(text) + 1, 3.5, text)
            legend_x += self.get_string_width(text) + 7
        self.set_fill_color(255, 255, 255)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
