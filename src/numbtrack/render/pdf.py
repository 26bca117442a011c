"""The week and the report as a printable PDF, for a person to take to their therapist.

The pages say what the terminal says: they are laid out from the same renderables
(`week_view`, `report_view` in render/__init__.py, built on the Summary/Week/Report data of
summary.py), so no sentence and no figure is written twice. Text and tables become PDF text
(selectable, searchable); the two pictures, the can-feel chart and the body map, are drawn
as vector rectangles and lines from the same data, never as images.

Choices and their costs:

- fpdf2 is pure Python but takes a few hundred milliseconds to import, so only
  `render.save` imports this module, for a .pdf file; no other command pays for it.
- The fonts are shipped in numbtrack/data/fonts (licences beside them) and embedded as
  subsets by fpdf2: DejaVu Sans for Latin, Greek, Cyrillic and symbols, and Droid Sans
  Fallback for Chinese, Japanese and Korean, loaded only when a character needs it (it is
  3 MB, and loading it costs about 0.3 s).
- Bold is DejaVu drawn with its outline stroked as well (text stays text), one font file
  fewer to ship and to load.
- A character no shipped font has (an emoji, a script that needs shaping) is printed as its
  Unicode name in brackets, e.g. "[smiling face]", or as U+FFFD, never as an empty box.
- No link, no image, nothing to fetch: the file is self-contained.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import os
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import TextMode
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from numbtrack import care, render
from numbtrack import summary as summary_mod
from numbtrack.text import plural

FONT_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
MAIN_FONT = "DejaVuSans.ttf"
CJK_FONT = "DroidSansFallback.ttf"

PAPERS = {"a4": "A4", "letter": "Letter"}
LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "PH", "PR", "CL", "CO", "VE", "CR", "GT", "PA", "NI", "SV", "DO", "BZ"}
)
"""Where US Letter is the usual paper (glibc's LC_PAPER for these territories); A4 elsewhere."""

MARGIN = 16.0
"""Page margin in millimetres, on every side."""
INK = (34, 34, 34)
DIM = (110, 110, 110)
RULE = (190, 190, 190)
PAPER_EMPTY = "#eeeeee"
"""A body region not noticed: the terminal's grey50 is too dark on paper."""
BAR = "#56B4E9"
"""The can-feel bar colour of the terminal glance (render._bar)."""

DROP = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3})
"""Zero-width joiner and emoji presentation selectors: nothing to draw on their own."""


def paper_for_locale(environ: Mapping[str, str] | None = None) -> str:
    """ "letter" where the locale's territory uses US Letter, else "a4".

    LC_ALL overrides LC_PAPER, which overrides LANG, as in POSIX; "C" and "POSIX" give A4."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_PAPER", "LANG"):
        value = env.get(var)
        if value:
            break
    else:
        return "a4"
    territory = value.split(".")[0].split("@")[0].partition("_")[2].upper()
    return "letter" if territory in LETTER_TERRITORIES else "a4"


@cache
def _coverage() -> dict[str, tuple[list[int], list[int]]]:
    """Per font, the starts and ends of the code point ranges it has (tools/subset_fonts.py)."""
    raw = json.loads((FONT_DIR / "coverage.json").read_text(encoding="utf-8"))
    return {name: ([a for a, _ in rs], [b for _, b in rs]) for name, rs in raw.items()}


def _has(font: str, cp: int) -> bool:
    starts, ends = _coverage()[font]
    i = bisect.bisect_right(starts, cp) - 1
    return i >= 0 and cp <= ends[i]


def _stand_in(ch: str) -> str:
    """What to print for a character no shipped font has."""
    cp = ord(ch)
    if unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return ""
    if 0x1F3FB <= cp <= 0x1F3FF:  # skin tone modifiers
        return ""
    name = unicodedata.name(ch, "")
    if name and unicodedata.category(ch) in ("So", "Sk", "Sm"):
        return f"[{name.lower()}]"
    return "\ufffd"


class _Doc(FPDF):
    """Pages with the period in the header, and the care line and page numbers in the footer."""

    def __init__(self, paper: str, header: Text, footer: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format=PAPERS[paper])
        self._header_text = header
        self._footer_text = footer
        self._cjk = False
        self.set_margins(MARGIN, MARGIN + 6, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 12)
        self.add_font("body", "", str(FONT_DIR / MAIN_FONT))
        self.set_font("body", size=10)
        self.set_text_color(*INK)

    # -- text ------------------------------------------------------------------------

    def clean(self, value: str) -> str:
        """`value` with every character printable by a shipped font; loads CJK on first use."""
        out = []
        for ch in value:
            cp = ord(ch)
            if cp in DROP:
                continue
            if ch in "\n\t" or _has(MAIN_FONT, cp):
                out.append(" " if ch == "\t" else ch)
            elif _has(CJK_FONT, cp):
                if not self._cjk:
                    self.add_font("cjk", "", str(FONT_DIR / CJK_FONT))
                    self.set_fallback_fonts(["cjk"], exact_match=False)
                    self._cjk = True
                out.append(ch)
            else:
                out.append(_stand_in(ch))
        return "".join(out)

    def bold(self, on: bool) -> None:
        self.text_mode = TextMode.FILL_STROKE if on else TextMode.FILL
        self.set_line_width(0.18 if on else 0.2)

    def rich_text(self, text: Text, size: float = 10, line: float | None = None) -> None:
        """Write a Rich Text with its bold, dim and colours, wrapping at the margins."""
        height = line or size * 0.5
        self.set_font_size(size)
        for part, style in _segments(text):
            colour = INK
            if style.color is not None and not style.color.is_default:
                colour = tuple(style.color.get_truecolor())  # type: ignore[assignment]
            if style.dim:
                colour = DIM
            self.set_text_color(*colour)
            self.set_draw_color(*colour)
            self.bold(bool(style.bold))
            self.write(height, self.clean(part))
        self.bold(False)
        self.set_text_color(*INK)
        self.ln(height)

    # -- page furniture --------------------------------------------------------------

    def header(self) -> None:
        self.set_xy(MARGIN, MARGIN - 4)
        self.rich_text(self._header_text, size=9)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, MARGIN + 1.5, self.w - MARGIN, MARGIN + 1.5)
        self.set_xy(MARGIN, MARGIN + 6)

    def footer(self) -> None:
        top = self.h - MARGIN - 7
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, top - 1.5, self.w - MARGIN, top - 1.5)
        self.set_xy(MARGIN, top)
        self.set_font_size(7)
        self.set_text_color(*DIM)
        width = self.w - 2 * MARGIN - 22
        self.multi_cell(width, 3.2, self.clean(self._footer_text), align="L")
        self.set_xy(self.w - MARGIN - 20, top)
        self.cell(20, 3.2, f"page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)


def _segments(text: Text) -> list[tuple[str, Style]]:
    """Split a Rich Text into runs of one combined style."""
    plain = text.plain
    base = Style.parse(text.style) if isinstance(text.style, str) else text.style
    cuts = {0, len(plain)}
    for span in text.spans:
        cuts.update((span.start, span.end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(plain))
    out = []
    for a, b in itertools.pairwise(bounds):
        if a == b:
            continue
        styles = [base]
        for span in text.spans:
            if span.start <= a and b <= span.end:
                style = span.style
                styles.append(Style.parse(style) if isinstance(style, str) else style)
        out.append((plain[a:b], Style.combine(styles)))
    return out


def _cell(value: Any) -> str:
    if isinstance(value, Text):
        return value.plain
    return "" if value is None else str(value)


def _rgb(colour: str) -> tuple[int, int, int]:
    c = Style.parse(colour).color
    assert c is not None
    t = c.get_truecolor()
    return (t.red, t.green, t.blue)


# -- blocks ----------------------------------------------------------------------------


def _table(pdf: _Doc, table: Table, size: float = 9) -> None:
    """A Rich table as a PDF table: the same headers, cells and alignment, as plain text.

    Drawn line by line rather than with fpdf2's table(), which lays every cell out twice
    and took seconds for a year of weeks; a header row is repeated on a new page."""
    columns = table.columns
    if not columns:
        return
    cells = [[pdf.clean(_cell(c)) for c in col.cells] for col in columns]
    header = [pdf.clean(_cell(col.header)) for col in columns] if table.show_header else None
    rows = [[cells[i][r] for i in range(len(columns))] for r in range(table.row_count)]
    if not rows:
        return
    pdf.set_font_size(size)
    pad, line = 1.6, size * 0.42
    width_of: dict[str, float] = {}

    def measure(text: str) -> float:
        if text not in width_of:
            width_of[text] = pdf.get_string_width(text)
        return width_of[text]

    natural = [
        max(measure(part) for row in [*rows, header or rows[0]] for part in row[i].split("\n"))
        + 2 * pad
        for i in range(len(columns))
    ]
    epw = pdf.w - 2 * MARGIN
    if sum(natural) > epw:  # narrow the widest columns first; their text wraps
        cap = max(natural)
        while sum(min(n, cap) for n in natural) > epw and cap > 12:
            cap -= 1
        natural = [min(n, cap) for n in natural]
    right = [col.justify == "right" for col in columns]

    def draw(row: list[str], colour: tuple[int, int, int]) -> None:
        wrapped = [_wrap(text, w - 2 * pad, measure) for text, w in zip(row, natural, strict=True)]
        height = max(len(lines) for lines in wrapped) * line + 1.2
        if pdf.get_y() + height > pdf.h - pdf.b_margin:
            pdf.add_page()
            if header is not None and row is not header:
                draw(header, DIM)
        top, x = pdf.get_y(), MARGIN
        pdf.set_font_size(size)
        pdf.set_text_color(*colour)
        for lines, w, flush_right in zip(wrapped, natural, right, strict=True):
            for k, text in enumerate(lines):
                y = top + 0.6 + k * line
                if all(_has(MAIN_FONT, ord(ch)) or ch == "\n" for ch in text):
                    tx = x + w - pad - measure(text) if flush_right else x + pad
                    pdf.text(tx, y + line * 0.78, text)  # ten times faster than cell()
                else:  # cell() draws the CJK fallback font
                    pdf.set_xy(x + pad, y)
                    pdf.cell(w - 2 * pad, line, text, align="R" if flush_right else "L")
            x += w
        pdf.set_text_color(*INK)
        pdf.set_y(top + height)
        if row is header:
            pdf.set_draw_color(*RULE)
            pdf.set_line_width(0.2)
            pdf.line(MARGIN, pdf.get_y(), MARGIN + sum(natural), pdf.get_y())

    if header is not None:
        _keep(pdf, 2 * line + 3)
        draw(header, DIM)
    for row in rows:
        draw(row, INK)
    pdf.ln(1.5)


def _wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Lines of `text` no wider than `width`: at its newlines, then between words, then
    inside a word too long for the line."""
    out: list[str] = []
    for part in text.split("\n"):
        if measure(part) <= width:
            out.append(part)
            continue
        current = ""
        for word in part.split(" "):
            candidate = f"{current} {word}" if current else word
            if measure(candidate) <= width:
                current = candidate
                continue
            if current:
                out.append(current)
            current = ""
            for ch in word:
                if current and measure(current + ch) > width:
                    out.append(current)
                    current = ""
                current += ch
        out.append(current)
    return out


def _keep(pdf: _Doc, height: float) -> None:
    """Start a new page unless `height` millimetres still fit on this one."""
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()


def _day_chart(pdf: _Doc, days: Sequence[summary_mod.Day], caption: str) -> None:
    """Can-feel by day as vector bars on a 0-10 scale: the middle of each day's answers.

    A day with check-ins but no can-feel answer gets a small grey mark; a day without
    check-ins is left blank, neutrally."""
    if not days:
        return
    n = len(days)
    few = n <= 31
    plot_h = 32.0
    label_h = 9.0 if n <= 7 else 5.0
    _keep(pdf, plot_h + label_h + 12)
    pdf.set_font_size(8)
    pdf.set_text_color(*DIM)
    pdf.cell(0, 4, pdf.clean(caption), new_x="LMARGIN", new_y="NEXT")
    left = MARGIN + 7
    right = pdf.w - MARGIN
    top = pdf.get_y() + 2
    base = top + plot_h
    step = (right - left) / n
    # A date under every 7th, 14th, ... day from the first, at least 16 mm apart.
    label_every = 7 * max(1, math.ceil(16 / (7 * step)))
    pdf.set_line_width(0.15)
    for value in (0, 5, 10):
        y = base - plot_h * value / 10
        pdf.set_draw_color(*RULE)
        pdf.line(left, y, right, y)
        pdf.set_xy(MARGIN, y - 1.5)
        pdf.set_font_size(6.5)
        pdf.cell(6, 3, str(value), align="R")
    pdf.set_fill_color(*_rgb(BAR))
    for i, d in enumerate(days):
        x = left + i * step
        bar_w = max(0.4, step * 0.7)
        median = d.median
        if median is not None:
            h = max(0.4, plot_h * median / 10)
            pdf.rect(x + (step - bar_w) / 2, base - h, bar_w, h, style="F")
            if few:
                pdf.set_xy(x, base - h - 3.2)
                pdf.set_font_size(6.5)
                pdf.cell(step, 3, f"{median:g}", align="C")
            pdf.set_fill_color(*_rgb(BAR))
        elif d.checkins:
            pdf.set_fill_color(*RULE)
            pdf.rect(x + (step - bar_w) / 2, base - 0.8, bar_w, 0.8, style="F")
            pdf.set_fill_color(*_rgb(BAR))
        pdf.set_font_size(6.5)
        if n <= 7:
            pdf.set_xy(x, base + 0.8)
            pdf.cell(step, 3, f"{d.day:%a %d}", align="C")
            pdf.set_xy(x, base + 4)
            pdf.cell(step, 3, plural(d.checkins, "check-in") if d.checkins else "–", align="C")
        elif i % label_every == 0:
            pdf.set_xy(x, base + 0.8)
            pdf.cell(14, 3, f"{d.day:%b %Y}" if n > 366 else f"{d.day:%d %b}", align="L")
    pdf.set_fill_color(255)
    pdf.set_text_color(*INK)
    pdf.set_xy(MARGIN, base + label_h + 1)


def _body_map(pdf: _Doc, s: summary_mod.Summary, legend: Table) -> None:
    """The terminal's silhouette (render.BODY_TEMPLATE) as filled rectangles, one per run of
    a region on a row, shaded with the same ramp, beside the legend of counts."""
    counts = s.regions
    most = max(counts.values(), default=0)
    cw, ch = 3.4, 3.8
    rows = counts.most_common()
    height = max(len(render.BODY_TEMPLATE) * ch, (len(rows) + 1) * 4.4) + 2
    _keep(pdf, height)
    top = pdf.get_y() + 1
    pdf.set_line_width(0.1)
    for r, row in enumerate(render.BODY_TEMPLATE):
        c = 0
        while c < len(row):
            key = row[c]
            end = c
            while end < len(row) and row[end] == key:
                end += 1
            if key != " ":
                level = render._level(counts.get(render.BODY_KEYS[key], 0), most)
                fill = PAPER_EMPTY if level == 0 else render.SHADE_COLOURS[level]
                pdf.set_fill_color(*_rgb(fill))
                pdf.rect(MARGIN + 2 + c * cw, top + r * ch, (end - c) * cw - 0.4, ch - 0.4, "F")
            c = end
    x0 = MARGIN + 2 + len(render.BODY_TEMPLATE[0]) * cw + 8
    widths = (38.0, 14.0, 10.0, 10.0)
    headers = [pdf.clean(_cell(col.header)) for col in legend.columns]
    pdf.set_font_size(8)
    pdf.set_text_color(*DIM)
    x = x0 + 5
    for w, head, align in zip(widths, headers, "LRRR", strict=False):
        pdf.set_xy(x, top)
        pdf.cell(w, 4, head, align=align)
        x += w
    pdf.set_text_color(*INK)
    for i, (region, n) in enumerate(rows):
        y = top + (i + 1) * 4.4
        level = render._level(n, most) if region != "whole-body" else 0
        pdf.set_fill_color(*_rgb(PAPER_EMPTY if level == 0 else render.SHADE_COLOURS[level]))
        pdf.set_draw_color(*RULE)
        pdf.rect(x0, y + 0.6, 3.2, 2.8, "DF")
        more, less = s.region_more.get(region, ""), s.region_less.get(region, "")
        values = (region, str(n), str(more), str(less))
        x = x0 + 5
        for w, value, align in zip(widths, values, "LRRR", strict=False):
            pdf.set_xy(x, y)
            pdf.cell(w, 4, pdf.clean(value), align=align)
            x += w
    pdf.set_fill_color(255)
    pdf.set_xy(MARGIN, top + height)


def _flow(pdf: _Doc, parts: Sequence[Any], s: summary_mod.Summary | None) -> None:
    """Lay out the renderables of a Rich view, top to bottom."""
    for part in parts:
        if isinstance(part, Text):
            if part.plain == care.FOOTER:
                continue  # the page footer carries it, with the contacts
            if not part.plain.strip():
                pdf.ln(2)
            elif part.plain.startswith("\n") and part.style == "bold":
                _keep(pdf, 14)
                pdf.ln(3)
                pdf.rich_text(Text(part.plain.strip(), style="bold"), size=11.5, line=6)
                pdf.ln(0.5)
            elif part.style == "dim":
                pdf.rich_text(part, size=8.5, line=4.2)
                pdf.ln(0.5)
            else:
                pdf.rich_text(part, size=10, line=5)
                pdf.ln(0.5)
        elif isinstance(part, Table):
            headers = [_cell(c.header) for c in part.columns]
            if s is not None and headers[:1] == ["day"] and len(headers) == 3:
                _day_chart(pdf, s.days, headers[2])
            else:
                _table(pdf, part)
        elif isinstance(part, Group) and s is not None:
            grid, *rest = part.renderables
            legend = next(c for c in grid.columns[1].cells) if isinstance(grid, Table) else None
            if isinstance(legend, Table):
                _body_map(pdf, s, legend)
            _flow(pdf, rest, s)


def _with_body_map(parts: Sequence[Any], s: summary_mod.Summary) -> list[Any]:
    """A report's parts with the body map of the whole period under its sensations (the
    heading and its line), drawn as the week draws its own: on paper there is room for it."""
    out = list(parts)
    for i, part in enumerate(out):
        if isinstance(part, Text) and part.plain == "\n" + render.SENSATIONS_MOST:
            out.insert(i + 2, render.body_map(s))
            break
    return out


def _footer(local_line: str | None) -> str:
    people = []
    for name, how in care.CRISIS_LINES:
        if name:
            people.append(f"{name}: {how}")
        elif people:
            people[-1] += f" {how}"
    if local_line:
        people.append(f"{care.OWN_LINE}: {local_line}")
    return f"{care.DESCRIBES} {care.REACH}: " + "; ".join(people) + "."


def to_pdf(
    result: summary_mod.Week | summary_mod.Report,
    *,
    paper: str | None = None,
    local_line: str | None = None,
) -> bytes:
    """The PDF of a week or a report. `paper` is "a4" or "letter"; None asks the locale."""
    if isinstance(result, summary_mod.Week):
        view = render.week_view(result)
        s = result.summary
    else:
        view = render.report_view(result)
        s = result.whole
    assert isinstance(view, Group)
    title, *parts = view.renderables
    assert isinstance(title, Text)
    pdf = _Doc(paper or paper_for_locale(), title, _footer(local_line))
    pdf.set_title(pdf.clean(title.plain))
    pdf.set_author("numbtrack")
    pdf.set_creator("numbtrack")
    pdf.set_producer("numbtrack")
    pdf.set_lang("en")
    pdf.add_page()
    if isinstance(result, summary_mod.Report) and not s.empty:
        first_heading = next(
            (i for i, p in enumerate(parts) if isinstance(p, Text) and p.plain.startswith("\n")),
            len(parts),
        )
        _flow(pdf, parts[:first_heading], s)
        pdf.ln(3)
        _day_chart(pdf, s.days, render.CAN_FEEL_DAY)
        _flow(pdf, _with_body_map(parts[first_heading:], s), s)
    else:
        _flow(pdf, parts, s)
    return bytes(pdf.output())
