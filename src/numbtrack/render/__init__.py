"""Rich renderables shared by the command line and the dashboard.

Colours come from a colour-blind-safe palette (Okabe-Ito) and never use red for low numbers:
a low can-feel is shown in a quiet blue-grey, not as a warning.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Column, Table, _Cell
from rich.text import Text

from numbtrack import care, lazy, text, vocab
from numbtrack import summary as summary_mod
from numbtrack.models import CheckIn
from numbtrack.text import plural

PALETTE = {
    "pleasant-high": "#E69F00",  # orange
    "pleasant-low": "#009E73",  # bluish green
    "unpleasant-high": "#CC79A7",  # reddish purple
    "unpleasant-low": "#0072B2",  # blue
    "numb": "#999999",  # grey
}
"""Okabe-Ito colours, distinguishable with the common colour-vision differences."""

QUADRANT_LABELS = {
    "pleasant-high": "pleasant, high energy",
    "pleasant-low": "pleasant, low energy",
    "unpleasant-high": "unpleasant, high energy",
    "unpleasant-low": "unpleasant, low energy",
    "numb": "numb and far away",
}


def word_style(word: str) -> str:
    w = vocab.load().words.get(word)
    if w is None:
        return "italic"
    return PALETTE[w.quadrant or "numb"]


def words_text(words: Iterable[str]) -> Text:
    out = Text()
    for i, word in enumerate(words):
        if i:
            out.append(", ")
        out.append(word, style=word_style(word))
    return out


def checkin_table(checkins: list[CheckIn]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("when", no_wrap=True)
    table.add_column("feel", justify="right")
    table.add_column("words", min_width=12)
    table.add_column("body", min_width=12)
    table.add_column("did / tags")
    table.add_column("note", overflow="ellipsis", no_wrap=True, max_width=24)
    for c in checkins:
        extras = Text(", ".join(c.practices))
        if c.tags:
            if c.practices:
                extras.append(" ")
            extras.append(" ".join(f"#{t}" for t in c.tags), style="dim")
        table.add_row(
            c.short_id,
            text.when(c.at),
            "" if c.can_feel is None else str(c.can_feel),
            words_text(c.words) if c.words else Text(c.state or "", style="dim"),
            # Person-written text goes in as Text, never as markup: "[b]" in a note or
            # "hands:cool:1" (Rich's :cool: emoji code) must print exactly as written.
            Text(", ".join(s.spec() for s in c.sensations)),
            extras,
            Text(" ".join((c.note or "").split())),
        )
    return table


def _own_line(own: Sequence[tuple[str, int]]) -> Text:
    """ "glimmery (3 check-ins), swimmy (not used now)"."""
    return Text(
        ", ".join(f"{name} ({plural(n, 'check-in') if n else 'not used now'})" for name, n in own)
    )


def words_view(chosen: list[vocab.Word], own: Sequence[tuple[str, int]] = ()) -> RenderableType:
    parts: list[RenderableType] = []
    for quadrant, label in QUADRANT_LABELS.items():
        group = [w for w in chosen if (w.quadrant or "numb") == quadrant]
        if not group:
            continue
        table = Table(box=None, show_header=False, padding=(0, 1))
        table.add_column("family", style="dim", no_wrap=True)
        table.add_column("words")
        families: dict[str, list[str]] = {}
        for w in group:
            families.setdefault(w.family, []).append(w.word)
        for family, ws in families.items():
            table.add_row(family, Text(", ".join(ws), style=PALETTE[quadrant]))
        parts.append(Text(label.capitalize(), style="bold"))
        parts.append(table)
        parts.append(Text(""))
    if own:
        parts.append(Text("Your own words", style="bold"))
        parts.append(_own_line(own))
        parts.append(Text(""))
    parts.append(Text("Your own word is welcome too: numbtrack log --new-word WORD", style="dim"))
    return Group(*parts)


def body_view(own: Sequence[tuple[str, int]] = ()) -> RenderableType:
    v = vocab.load()
    regions = Table(box=None, show_header=False, padding=(0, 1))
    regions.add_column("region", style="bold", no_wrap=True)
    regions.add_column("also", style="dim")
    for name, aliases in v.regions.items():
        regions.add_row(name, ", ".join(aliases))
    qualities = Table(box=None, show_header=False, padding=(0, 1))
    qualities.add_column("group", style="dim", no_wrap=True)
    qualities.add_column("qualities")
    for group, qs in v.quality_groups().items():
        qualities.add_row(group, ", ".join(q.name for q in qs))
    if own:
        qualities.add_row(vocab.OWN_GROUP, _own_line(own))
    return Group(
        Text("Body regions", style="bold"),
        regions,
        Text(""),
        Text("Sensation qualities", style="bold"),
        qualities,
        Text(""),
        Text(
            "Use them as --body REGION:QUALITY[:1-5][:more|less], e.g. chest:tight:3", style="dim"
        ),
        Text("A sensation word of your own: --new-body REGION:QUALITY", style="dim"),
        Text('"nothing" is a quality too: absence of sensation is worth noting.', style="dim"),
    )


# -- summaries ---------------------------------------------------------------------------

SHADES = ("·", "░", "▒", "▓", "█")
"""Body map shading from "not noticed" to "noticed most"; readable without colour too."""

SHADE_COLOURS = ("grey50", "#9ecae1", "#56B4E9", "#0072B2", "#08306b")
"""A single-hue blue ramp: ordered by lightness, safe for colour-vision differences."""

BODY_TEMPLATE = (
    "     hhh     ",
    "    hfffh    ",
    "     jjj     ",
    "     ttt     ",
    " nnnnnnnnnnn ",
    " aa ccccc aa ",
    " aa ccccc aa ",
    " aa sssss aa ",
    " HH sssss HH ",
    "    ll ll    ",
    "    ll ll    ",
    "    ll ll    ",
    "   FFF FFF   ",
)
BODY_KEYS = {
    "h": "head", "f": "face", "j": "jaw", "t": "throat", "n": "neck-and-shoulders",
    "a": "arms", "c": "chest", "s": "stomach", "H": "hands", "l": "legs", "F": "feet",
}  # fmt: skip


def _level(count: int, most: int) -> int:
    if count <= 0 or most <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * count / most)))


def body_map(summary: summary_mod.Summary) -> RenderableType:
    """A small front-facing silhouette shaded by how often each region was noticed, beside a
    legend with counts and how many times a sensation was getting more (▲) or less (▼)."""
    counts = summary.regions
    most = max(counts.values(), default=0)
    whole = counts.get("whole-body", 0)
    figure = Text()
    for row in BODY_TEMPLATE:
        for ch in row:
            if ch == " ":
                figure.append(" ")
                continue
            region = BODY_KEYS[ch]
            level = _level(counts.get(region, 0), most)
            figure.append(SHADES[level], style=SHADE_COLOURS[level])
        figure.append("\n")
    legend = Table(box=None, show_header=True, padding=(0, 1), header_style="dim")
    legend.add_column("region", no_wrap=True)
    legend.add_column("times", justify="right", no_wrap=True)
    legend.add_column("▲", justify="right", no_wrap=True)
    legend.add_column("▼", justify="right", no_wrap=True)
    for region, n in counts.most_common():
        level = _level(n, most) if region != "whole-body" else 0
        label = Text()
        label.append(SHADES[level] + " ", style=SHADE_COLOURS[level])
        label.append(region)
        legend.add_row(
            label,
            str(n),
            str(summary.region_more.get(region, "")),
            str(summary.region_less.get(region, "")),
        )
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column()
    grid.add_row(figure, legend)
    notes = ["▲ more, ▼ less: how often a sensation was getting stronger or fading."]
    if whole:
        notes.append("Whole-body sensations are counted in the list, not drawn.")
    if counts.get("back"):
        notes.append("The back is not drawn; it is counted in the list.")
    return Group(grid, Text(" ".join(notes), style="dim"))


def _bar(value: float | None, width: int = 10) -> Text:
    if value is None:
        return Text("")
    full = round(value)
    return Text("▇" * full, style="#56B4E9").append("░" * (width - full), style="grey39")


def _heading(title: str) -> Text:
    return Text("\n" + title, style="bold")


def lean(value: float, positive: str, negative: str, axis: str, *, one: bool = False) -> str:
    """ "lean unpleasant (-0.11)", or "are about even on energy (+0.00)" near zero; with
    `one` (a single word is described) "leans" and "is"."""
    shown = round(value, 2) + 0.0  # never "-0.00"
    if abs(shown) < 0.05:
        return f"{'is' if one else 'are'} about even on {axis} ({shown:+.2f})"
    return f"{'leans' if one else 'lean'} {positive if shown > 0 else negative} ({shown:+.2f})"


def counted(pairs: Iterable[tuple[str, int]]) -> str:
    """ "numb ×3, calm ×2, flat": counts shown only where more than one."""
    return ", ".join(f"{x} ×{n}" if n > 1 else x for x, n in pairs)


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


CAN_FEEL_DAY = "can feel (middle of the day's answers)"


def glance(summary: summary_mod.Summary) -> Table:
    table = Table(box=None, show_header=True, padding=(0, 1), header_style="dim")
    table.add_column("day", no_wrap=True)
    table.add_column("check-ins", justify="right")
    table.add_column(CAN_FEEL_DAY, no_wrap=True)
    for d in summary.days:
        if not d.checkins:
            table.add_row(f"{d.day:%a %d %b}", Text("–", style="dim"), Text("", style="dim"))
            continue
        median = d.median
        table.add_row(
            f"{d.day:%a %d %b}",
            str(d.checkins),
            _bar(median).append(f" {median:g}" if median is not None else " not rated"),
        )
    return table


def feelings_section(summary: summary_mod.Summary) -> list[RenderableType]:
    v = vocab.load()
    out: list[RenderableType] = [_heading("Feelings")]
    groups: dict[str, list[tuple[str, int]]] = {}
    for word, n in summary.words.most_common():
        w = v.words.get(word)
        key = "your own words" if w is None else (w.quadrant or "numb")
        groups.setdefault(key, []).append((word, n))
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column("group", style="dim", no_wrap=True)
    table.add_column("words")
    for key in (*QUADRANT_LABELS, "your own words"):
        if key not in groups:
            continue
        line = Text()
        for i, (word, n) in enumerate(groups[key]):
            if i:
                line.append(", ")
            line.append(word, style=PALETTE.get(key, "italic") if key != "numb" else "grey62")
            if n > 1:
                line.append(f" ×{n}", style="dim")
        table.add_row(QUADRANT_LABELS.get(key, key), line)
    if groups:
        out.append(table)
    else:
        out.append(Text("No feeling words were named.", style="dim"))
    share = summary.numb_share
    if share is not None:
        out.append(
            Text(
                f"Numb was the state of {summary.numb:,} of {plural(summary.checkins, 'check-in')} "
                f"({_pct(share)})."
            )
        )
    if summary.circumplex_n:
        one = summary.circumplex_n == 1
        valence = lean(
            summary.valence_mean or 0.0, "pleasant", "unpleasant", "pleasant/unpleasant", one=one
        )
        arousal = lean(
            summary.arousal_mean or 0.0, "higher energy", "lower energy", "energy", one=one
        )
        out.append(
            Text(
                f"The {plural(summary.circumplex_n, 'word')} with a place on the pleasant/energy "
                f"map {valence}, and {arousal}; {plural(summary.left_out, 'numb or own word')} "
                f"{'is' if summary.left_out == 1 else 'are'} left out of that.",
                style="dim",
            )
        )
    return out


def word_range_section(summary: summary_mod.Summary) -> list[RenderableType]:
    out: list[RenderableType] = [_heading("Word range")]
    wr = summary.word_range
    if wr is None:
        if summary.words:
            out.append(
                Text(
                    f"Shown from {summary_mod.MIN_FOR_WORD_RANGE} check-ins on; there were "
                    f"{summary.checkins:,}, too few for these figures to mean much.",
                    style="dim",
                )
            )
            return out
        return []
    out.append(
        Text(
            f"{plural(wr.distinct, 'different word')} in {plural(wr.mentions, 'mention')}; "
            "an effective number of "
            f"{wr.effective:.1f} (how many equally used words would give the same "
            f"spread); {_pct(wr.specific_share)} of mentions were specific words."
        )
    )
    return out


def body_section(summary: summary_mod.Summary) -> list[RenderableType]:
    if not summary.regions:
        return []
    out: list[RenderableType] = [_heading("Body")]
    out.append(body_map(summary))
    top = counted(summary.body_pairs.most_common(5))
    out.append(Text(f"Noticed most: {top}."))
    out.append(
        Text(
            f"{summary.with_sensation:,} of {plural(summary.checkins, 'check-in')} noted "
            "something in the body.",
            style="dim",
        )
    )
    return out


def practices_section(summary: summary_mod.Summary) -> list[RenderableType]:
    out: list[RenderableType] = []
    if summary.practices:
        out.append(_heading("Practices"))
        out.append(Text(counted(summary.practices.most_common())))
    if summary.context:
        out.append(_heading("Context (happened together, not cause)"))
        table = Table(box=None, padding=(0, 1), header_style="dim")
        table.add_column("")
        table.add_column("can feel with", justify="right")
        table.add_column("without", justify="right")
        for row in summary.context:
            label = row.name if row.kind == "practice" else f"#{row.name}"
            table.add_row(
                Text(label),
                f"{row.with_median:g} ({row.with_n})",
                f"{row.without_median:g} ({row.without_n})",
            )
        out.append(table)
        out.append(
            Text(
                f"Middle can-feel, with the number of check-ins in brackets; only where both "
                f"sides have at least {summary_mod.MIN_FOR_CONTEXT}.",
                style="dim",
            )
        )
    return out


def stretches_line(summary: summary_mod.Summary, now: datetime | None = None) -> Text | None:
    s = summary.stretches
    parts = []
    if s.longest >= 2 and s.longest_from and s.longest_to:
        first, last = f"{s.longest_from:%a %d %b}", f"{s.longest_to:%a %d %b}"
        # A run within one day is "on" it: "from Wed 02 Dec to Wed 02 Dec" reads as a slip.
        span = f"on {first}" if first == last else f"from {first} to {last}"
        parts.append(f"The longest run of numb check-ins was {s.longest}, {span}.")
    if s.last_non_numb and summary.numb:
        now = now or datetime.now().astimezone()
        when = text.days_ago(s.last_non_numb.date(), now.date())
        parts.append(
            f'A word outside the numb cluster was last named {when} ("{s.last_non_numb_word}").'
        )
    return Text(" ".join(parts)) if parts else None


def week_view(week: summary_mod.Week) -> RenderableType:
    s = week.summary
    title = Text(f"Week {week.label}", style="bold").append(
        f"  {s.start:%a %d %b} – {s.end:%a %d %b %Y}", style="dim"
    )
    if s.empty:
        return Group(
            title,
            Text(""),
            Text(
                "Nothing was logged this week. That is all right: a week without check-ins is "
                "just a week. Whenever you like, `numbtrack log` notes a moment."
            ),
            Text(""),
            Text(care.FOOTER, style="dim"),
        )
    parts: list[RenderableType] = [
        title,
        Text(
            f"{plural(s.checkins, 'check-in')} on {s.days_with_checkins} of 7 days.",
            style="dim",
        ),
        _heading("The week at a glance"),
        glance(s),
    ]
    parts += feelings_section(s)
    parts += word_range_section(s)
    parts += body_section(s)
    parts += practices_section(s)
    line = stretches_line(s, week.now)
    if line is not None:
        parts += [_heading("Numb stretches"), line]
    parts += [_heading("Compared with last week"), *[Text(x) for x in week.comparisons]]
    if week.show_notes and s.notes:
        parts.append(_heading("Notes"))
        for at, note in s.notes:
            parts.append(Text(f"{at:%a %H:%M}  ", style="dim").append(note))
    parts += [Text(""), Text(care.FOOTER, style="dim")]
    return Group(*parts)


def _cell_options(
    options: ConsoleOptions, widths: Sequence[int], columns: Sequence[Column]
) -> list[ConsoleOptions]:
    """The options each column's cells are rendered with, as Rich's Table makes them."""
    return [
        options.update(
            width=width,
            justify=column.justify,
            no_wrap=column.no_wrap,
            overflow=column.overflow,
            height=None,
            highlight=column.highlight,
        )
        for width, column in zip(widths, columns, strict=True)
    ]


class _RepeatTable(Table):
    """A Table that measures and draws each distinct cell once: a report's week-by-week
    table has a row per week (522 over ten years), and most of its cells repeat ("–", "0",
    the same few percentages, medians and regions). Rich measured and wrapped every cell
    anew, about 5 M instructions a row; here equal Text cells share one Padding, whose
    measurement is kept per set of options, each column's cells are listed once per
    drawing (Rich lists them for each measuring pass and for drawing), and the console's
    lines of each cell are kept per width and style (see _LinesOnce). Everything else is
    Rich's own Table code, so the text and its styles are what a plain Table draws
    (tests/test_render_table.py compares the two at many widths)."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self._cells: dict[int, list[_Cell]] | None = {}  # each column's, for this drawing
        try:
            yield from super().__rich_console__(_LinesOnce(console), options)  # type: ignore[arg-type]
        finally:
            self._cells = None

    def _measure_column(
        self, console: Console, options: ConsoleOptions, column: Column
    ) -> Measurement:
        """Rich's Table._measure_column, measuring each distinct cell once."""
        max_width = options.max_width
        if max_width < 1 or column.width is not None:
            return super()._measure_column(console, options, column)
        padding_width = self._get_padding_width(column._index)
        seen: dict[object, tuple[int, int]] = {}
        cells = self._get_cells(console, column._index, column)
        distinct = {id(cell.renderable): cell.renderable for cell in cells}
        for padded in distinct.values():
            key: object = id(padded)
            if isinstance(padded, _MeasuredOnce):
                key = padded.shape()
            if key not in seen:
                seen[key] = Measurement.get(console, options, padded)
        measurement = Measurement(
            max(m[0] for m in seen.values()) if seen else 1,
            max(m[1] for m in seen.values()) if seen else max_width,
        ).with_maximum(max_width)
        return measurement.clamp(
            None if column.min_width is None else column.min_width + padding_width,
            None if column.max_width is None else column.max_width + padding_width,
        )

    def _render(self, console: Console, options: ConsoleOptions, widths: list[int]) -> RenderResult:
        """Rich's Table._render for a table like the report's (a box, a header, no footer, no
        row styles, lines or sections), each distinct cell drawn and shaped once per row
        height, each row's segments put together from those; anything else is Rich's own."""
        rows = self.rows
        if (
            self.box is None
            or not self.show_header
            or self.show_footer
            or self.show_lines
            or self.leading
            or self.row_styles
            or any(row.style is not None or row.end_section for row in rows)
        ):
            yield from super()._render(console, options, widths)
            return
        get_style = console.get_style
        border_style = get_style(self.style or "") + get_style(self.border_style or "")
        columns = self.columns
        row_cells = list(
            zip(
                *(self._get_cells(console, i, column) for i, column in enumerate(columns)),
                strict=True,
            )
        )
        safe = console.safe_box if self.safe_box is None else self.safe_box
        drawn_box = self.box.substitute(options, safe=bool(safe))
        new_line = Segment.line()
        show_edge = self.show_edge
        row_style = get_style(Style.null())  # what get_row_style gives without row styles
        edges: list[tuple[Segment, Segment, Segment]] = []
        for left_text, right_text, vertical in (
            (drawn_box.head_left, drawn_box.head_right, drawn_box.head_vertical),
            (drawn_box.mid_left, drawn_box.mid_right, drawn_box.mid_vertical),
            (drawn_box.foot_left, drawn_box.foot_right, drawn_box.foot_vertical),
        ):
            divider = Segment(vertical, border_style)
            if not divider.text.strip():
                divider = Segment(divider.text, row_style.background_style + divider.style)
            edges.append(
                (Segment(left_text, border_style), Segment(right_text, border_style), divider)
            )
        if show_edge:
            yield Segment(drawn_box.get_top(widths), border_style)
            yield new_line
        each = _cell_options(options, widths, columns)
        drawn: dict[tuple[object, ...], list[list[Segment]]] = {}
        shaped: dict[tuple[object, ...], list[list[Segment]]] = {}
        # Without a colour system, and when nothing is recorded for a save, a style changes
        # nothing the console writes (Style.render gives the text as it is), so each line
        # of a row is written as one Segment of its text: each shaped cell's lines are
        # joined once, and the console splits, measures and writes a line at a time
        # instead of each cell's pieces (about 100 M instructions of a ten-year report).
        as_text = console.color_system is None and not console.record
        texts: dict[tuple[object, ...], list[str]] = {}
        last_index = len(row_cells) - 1
        for index, row_cell in enumerate(row_cells):
            header_row = index == 0
            cells = []
            for j, cell in enumerate(row_cell):
                key = (j, id(cell.renderable), cell.style)
                lines = drawn.get(key)
                if lines is None:
                    lines = drawn[key] = console.render_lines(
                        cell.renderable, each[j], style=get_style(cell.style) + row_style
                    )
                cells.append((key, cell, lines))
            row_height = max(len(lines) for _, _, lines in cells)
            max_height = max(1, row_height)
            out: list[Segment] = []
            rendered = []
            shape_keys = []
            for j, (key, cell, lines) in enumerate(cells):
                vertical = "bottom" if header_row else cell.vertical
                shape_key = (*key, vertical, row_height, max_height)
                shape_keys.append(shape_key)
                got = shaped.get(shape_key)
                if got is None:
                    width = widths[j]
                    style = get_style(cell.style) + row_style
                    if vertical == "top":
                        aligned = Segment.align_top(lines, width, row_height, style)
                    elif vertical == "middle":
                        aligned = Segment.align_middle(lines, width, row_height, style)
                    else:
                        aligned = Segment.align_bottom(lines, width, row_height, style)
                    got = shaped[shape_key] = Segment.set_shape(aligned, width, max_height)
                rendered.append(got)
            left, right, divider = edges[0 if header_row else (2 if index == last_index else 1)]
            if as_text:
                cell_texts = []
                for shape_key, lines in zip(shape_keys, rendered, strict=True):
                    known = texts.get(shape_key)
                    if known is None:
                        known = texts[shape_key] = [
                            "".join(segment.text for segment in line) for line in lines
                        ]
                    cell_texts.append(known)
                joiner = divider.text
                begin, end = (left.text, right.text) if show_edge else ("", "")
                for line_no in range(max_height):
                    out.append(Segment(begin + joiner.join(c[line_no] for c in cell_texts) + end))
                    out.append(new_line)
                if header_row:
                    out.append(Segment(drawn_box.get_row(widths, "head", edge=show_edge)))
                    out.append(new_line)
                yield from out
                continue
            final = len(rendered) - 1
            for line_no in range(max_height):
                if show_edge:
                    out.append(left)
                for j, lines in enumerate(rendered):
                    out += lines[line_no]
                    if j != final:
                        out.append(divider)
                if show_edge:
                    out.append(right)
                out.append(new_line)
            if header_row:
                out.append(Segment(drawn_box.get_row(widths, "head", edge=show_edge), border_style))
                out.append(new_line)
            yield from out
        if show_edge:
            yield Segment(drawn_box.get_bottom(widths), border_style)
            yield new_line

    def _get_cells(self, console: Console, column_index: int, column: Column) -> Iterable[_Cell]:
        known: dict[int, list[_Cell]] | None = self.__dict__.get("_cells")
        if known is None:
            return list(self._shared_cells(console, column_index, column))
        got = known.get(column_index)
        if got is None:
            got = known[column_index] = list(self._shared_cells(console, column_index, column))
        return got

    def _shared_cells(self, console: Console, column_index: int, column: Column) -> Iterator[_Cell]:
        once = self.__dict__.setdefault("_once", {})
        same: dict[tuple[int, tuple[int, ...]], tuple[object, _MeasuredOnce]]
        same = self.__dict__.setdefault("_same", {})  # the same Text object in many cells
        for cell in super()._get_cells(console, column_index, column):
            padded = cell.renderable
            if not isinstance(padded, Padding):  # a table without padding: drawn as it is
                yield cell
                continue
            inner = padded.renderable
            pad = (padded.top, padded.right, padded.bottom, padded.left)
            known = same.get((id(inner), pad))
            if known is not None and known[0] is inner and known[1].style == padded.style:
                yield _Cell(cell.style, known[1], cell.vertical)
                continue
            key: object = (
                (inner.plain, tuple(inner.spans), str(inner.style), inner.justify,
                 inner.overflow, inner.no_wrap, inner.end, inner.tab_size, pad)
                if type(inner) is Text
                else (id(inner), pad)
            )  # fmt: skip
            shared = once.get(key)
            if shared is None:
                shared = once[key] = _MeasuredOnce(inner, pad, expand=padded.expand)
                shared.style = padded.style
            if shared.expand == padded.expand:
                same[(id(inner), pad)] = (inner, shared)
            yield _Cell(cell.style, shared, cell.vertical)


class _MeasuredOnce(Padding):
    """A Padding that keeps its measurement per set of console options."""

    def shape(self) -> object:
        """What its measurement depends on besides the options: a Text cell is measured by
        the cell widths of its lines and words, and printable ASCII has one cell a
        character, so such cells of one shape (see _LinesOnce) measure the same."""
        got = self.__dict__.get("_shape")
        if got is None:
            got = id(self)
            inner = self.renderable
            if type(inner) is Text and not _ODD.search(plain := inner.plain):
                got = (plain.translate(_TO_X), self.left, self.right)
            self.__dict__["_shape"] = got
        return got

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        known: dict[tuple[object, ...], Measurement] = self.__dict__.setdefault("_known", {})
        key = tuple(vars(options).values())
        got = known.get(key)
        if got is None:
            got = known[key] = super().__rich_measure__(console, options)
        return got


_ODD = lazy.Pattern(r"[^\x21-\x7e \n]")
"""Characters outside printable ASCII, the space and the line break (see _LinesOnce)."""

_TO_X = {c: "x" for c in range(0x21, 0x7F)}
_PROBE = 0xE000
"""Private-use characters stand in for a cell's characters in a probe (Rich gives them one
cell each, as it gives printable ASCII)."""


class _LinesOnce:
    """The console, but `render_lines` of the same cell with the same options and style is
    drawn once (each call is pure: Rich's Table copies the lines it reshapes).

    A Text cell of printable ASCII is drawn once per shape: where its spaces and line breaks
    are, its spans and styles. Rich wraps, justifies and styles such text by whitespace,
    cell widths and span offsets only, never by which characters they are, so a probe of
    the same shape (each character a distinct private-use one) is drawn once and each cell
    of that shape is the probe's lines with its own characters put back. The week column
    (a label per row, all alike in shape) is drawn once instead of once a row."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._lines: dict[tuple[object, ...], list[list[Segment]]] = {}

    def __getattr__(self, name: str) -> object:
        return getattr(self._console, name)

    def render_lines(
        self,
        renderable: RenderableType,
        options: ConsoleOptions | None = None,
        *,
        style: Style | None = None,
        pad: bool = True,
        new_lines: bool = False,
    ) -> list[list[Segment]]:
        given = None if options is None else tuple(vars(options).values())
        inner = renderable.renderable if isinstance(renderable, _MeasuredOnce) else None
        if type(inner) is not Text or _ODD.search(plain := inner.plain):
            key: tuple[object, ...] = (id(renderable), given, style, pad, new_lines)
            got = self._lines.get(key)
            if got is None:
                got = self._lines[key] = self._console.render_lines(
                    renderable, options, style=style, pad=pad, new_lines=new_lines
                )
            return list(got)
        assert isinstance(renderable, Padding)
        masked = plain.translate(_TO_X)
        key = (
            masked, tuple(inner.spans), inner.style, inner.justify, inner.overflow,
            inner.no_wrap, inner.end, inner.tab_size, renderable.top, renderable.right,
            renderable.bottom, renderable.left, renderable.style, renderable.expand,
            given, style, pad, new_lines,
        )  # fmt: skip
        got = self._lines.get(key)
        if got is None:
            probe = inner.copy()
            marks = iter(range(_PROBE, _PROBE + len(masked)))
            probe.plain = "".join(chr(next(marks)) if c == "x" else c for c in masked)
            padded = Padding(
                probe,
                (renderable.top, renderable.right, renderable.bottom, renderable.left),
                style=renderable.style,
                expand=renderable.expand,
            )
            got = self._lines[key] = self._console.render_lines(
                padded, options, style=style, pad=pad, new_lines=new_lines
            )
        chars = plain.replace(" ", "").replace("\n", "")
        if not chars:
            return list(got)
        back = dict(zip(range(_PROBE, _PROBE + len(chars)), chars, strict=True))
        return [[Segment(s.text.translate(back), s.style, s.control) for s in line] for line in got]


_WEEK_COLUMNS = (
    ("week", "left", True),
    ("check-ins", "right", False),
    ("days", "right", False),
    ("can feel\nmiddle (range)", "right", False),
    ("numb", "right", False),
    ("words", "right", False),
    ("regions noticed most", "left", False),
)
"""The report table's columns: header, justify, no_wrap."""


def _week_cells(label: str, s: summary_mod.WeekRow) -> tuple[str, ...]:
    """The text of a week's row of the report's table, a string a cell ("–": no check-ins)."""
    rng = s.can_feel_range
    median = s.can_feel_median
    return (
        f"{label}\n{s.start:%d %b}",
        str(s.checkins) if s.checkins else "–",
        str(s.days_with_checkins),
        f"{median:g} ({rng[0]}-{rng[1]})" if rng and median is not None else "",
        _pct(s.numb_share) if s.numb_share is not None else "",
        str(s.distinct_words) if s.checkins else "",
        ", ".join(s.regions),
    )


def _week_frame(kind: type[Table]) -> Table:
    table = kind(box=box.SIMPLE_HEAD, padding=(0, 1), header_style="dim")
    for header, justify, no_wrap in _WEEK_COLUMNS:
        table.add_column(header, justify=justify, no_wrap=no_wrap)  # type: ignore[arg-type]
    return table


def _add_week_rows(table: Table, rows: Iterable[tuple[str, ...]]) -> None:
    # Cells as Text, not str: Rich would read each of hundreds of rows as markup, to the same
    # Text (no cell has markup, emoji codes or highlighting), at a third of the table's cost.
    # Equal cells are one Text object (a long table repeats "–", "0" and the same few
    # percentages and regions), which _RepeatTable then looks at once.
    texts: dict[str, Text] = {}

    def cell(value: str) -> Text:
        got = texts.get(value)
        if got is None:
            got = texts[value] = Text(value)
        return got

    none = Text("–", style="dim")
    for first, checkins, *rest in rows:
        label, start = first.split("\n", 1)
        table.add_row(
            Text(label).append("\n" + start, style="dim"),
            none if checkins == "–" else cell(checkins),
            *map(cell, rest),
        )


_PLAIN_LINE = lazy.Pattern(r"(?:[\x21-\x7e–]+(?: [\x21-\x7e–]+)*)?")
"""A line of a cell that _WeekTable draws as text: words of printable ASCII (and the dash of
a week without check-ins), each one cell wide, with single spaces between them."""

_SHAPES = {**_TO_X, ord("–"): "x"}
"""Each character _PLAIN_LINE takes as "x": cells of one shape measure the same."""


class _WeekTable(_RepeatTable):
    """The report's week-by-week table, kept as the strings of its cells.

    Printed as plain text (no colour system and nothing recorded: what a pipe gets), it is
    written line by line from those strings, between the box's own edges: a cell whose lines
    fit its column is padded and justified as Rich pads and justifies a line that fits, and
    any other cell is drawn by Rich, once per distinct cell. The column widths are Rich's
    own, measured on one cell of each shape, which is all a Table's widths depend on (every
    character _PLAIN_LINE takes is one cell wide). Rich's Table code drew each of a ten-year
    report's 523 rows at about 800,000 instructions. Any other way of drawing it (colour, a
    save, a column narrower than three, a cell outside those characters) fills in the Rich
    rows and is _RepeatTable's."""

    def __init__(self, weeks: Sequence[tuple[str, summary_mod.WeekRow]]) -> None:
        super().__init__(box=box.SIMPLE_HEAD, padding=(0, 1), header_style="dim")
        for header, justify, no_wrap in _WEEK_COLUMNS:
            self.add_column(header, justify=justify, no_wrap=no_wrap)  # type: ignore[arg-type]
        self._plain = [_week_cells(label, s) for label, s in weeks]
        self._filled = False

    def _fill(self) -> None:
        if not self._filled:
            self._filled = True
            _add_week_rows(self, self._plain)

    @property
    def columns(self) -> list[Column]:
        """Rich's Table keeps its columns (and their cells) here: whoever reads them (the PDF
        writer, Rich's own code) finds the rows filled in."""
        if self.__dict__.get("_filled") is False:
            self._fill()
        columns: list[Column] = self.__dict__["_columns"]
        return columns

    @columns.setter
    def columns(self, value: list[Column]) -> None:
        self.__dict__["_columns"] = value

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if console.color_system is None and not console.record:
            lines = self._plain_lines(console, options)
            if lines is not None:
                new_line = Segment.line()
                for line in lines:
                    yield Segment(line)
                    yield new_line
                return
        self._fill()
        yield from super().__rich_console__(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        self._fill()
        return super().__rich_measure__(console, options)

    def _plain_lines(self, console: Console, options: ConsoleOptions) -> list[str] | None:
        """The table's lines of text, or None when some cell would not be drawn as it is."""
        headers = [header for header, _, _ in _WEEK_COLUMNS]
        values = list(zip(*self._plain, strict=True)) if self._plain else [()] * len(headers)
        distinct = [{header, *column} for header, column in zip(headers, values, strict=True)]
        fits = _PLAIN_LINE.fullmatch
        stand_in = _week_frame(Table)
        for cells, column in zip(distinct, stand_in.columns, strict=True):
            shapes: set[str] = set()
            for value in cells:
                if any(fits(line) is None for line in value.split("\n")):
                    return None
                shapes.add(value.translate(_SHAPES))
            column._cells = [Text(shape) for shape in sorted(shapes)]
        stand_in.show_header = False  # the headers are among the shapes
        extra_width = stand_in._extra_width  # the same box and columns (self's would fill it)
        widths = stand_in._calculate_column_widths(
            console, options.update_width(options.max_width - extra_width)
        )
        if min(widths) < 3:  # a column narrower than its padding and one character
            return None
        render_options = options.update(width=sum(widths) + extra_width, height=None)
        safe = console.safe_box if self.safe_box is None else self.safe_box
        assert self.box is not None
        drawn = self.box.substitute(render_options, safe=bool(safe))
        right = [justify == "right" for _, justify, _ in _WEEK_COLUMNS]
        each = _cell_options(render_options, widths, stand_in.columns)
        inner = [w - 2 for w in widths]
        blanks = [" " * w for w in widths]
        made: dict[tuple[int, str], list[str]] = {}

        def cell_lines(j: int, value: str) -> list[str]:
            got = made.get((j, value))
            if got is None:
                w = inner[j]
                lines = value.split("\n")
                if max(map(len, lines)) <= w:  # as Rich pads and justifies a line that fits
                    got = [f" {x.rjust(w) if right[j] else x.ljust(w)} " for x in lines]
                else:  # wrapped or cut as Rich does it, once per distinct cell
                    drawn_lines = console.render_lines(Padding(Text(value), (0, 1)), each[j])
                    got = ["".join(segment.text for segment in line) for line in drawn_lines]
                made[(j, value)] = got
            return got

        out = [drawn.get_top(widths)] if self.show_edge else []

        def add(row: Sequence[str], left: str, divider: str, end: str, bottom: bool) -> None:
            drawn_cells = [cell_lines(j, value) for j, value in enumerate(row)]
            height = max(len(lines) for lines in drawn_cells)
            for j, lines in enumerate(drawn_cells):
                if len(lines) < height:
                    pad = [blanks[j]] * (height - len(lines))
                    drawn_cells[j] = pad + lines if bottom else lines + pad
            if not self.show_edge:
                left = end = ""
            for line_no in range(height):
                out.append(left + divider.join(c[line_no] for c in drawn_cells) + end)

        last = len(self._plain)
        add(headers, drawn.head_left, drawn.head_vertical, drawn.head_right, True)
        out.append(drawn.get_row(widths, "head", edge=self.show_edge))
        for index, row in enumerate(self._plain, 1):
            if index == last:
                add(row, drawn.foot_left, drawn.foot_vertical, drawn.foot_right, False)
            else:
                add(row, drawn.mid_left, drawn.mid_vertical, drawn.mid_right, False)
        if self.show_edge:
            out.append(drawn.get_bottom(widths))
        return out


def week_by_week(
    weeks: Sequence[tuple[str, summary_mod.WeekRow]], kind: type[Table] = _RepeatTable
) -> Table:
    """The report's table, a row per week (`kind` Table draws the same text, slower)."""
    if kind is _RepeatTable:
        return _WeekTable(weeks)
    table = _week_frame(kind)
    _add_week_rows(table, [_week_cells(label, s) for label, s in weeks])
    return table


SENSATIONS_MOST = "Sensations noticed most"
"""The report's heading over its sensations (and, in the PDF, the body map under them)."""


def report_view(report: summary_mod.Report) -> RenderableType:
    w = report.whole
    title = Text("numbtrack report", style="bold").append(
        f"  {report.start:%d %b %Y} – {report.end:%d %b %Y}", style="dim"
    )
    intro = Text(
        "A description of what was noted, for talking it over; not an assessment. "
        'Can feel is the person\'s own 0-10 answer to "how much can I feel right now?".',
        style="dim",
    )
    if w.empty:
        return Group(
            title, intro, Text(""), Text("No check-ins in this period."), Text(""),
            Text(care.FOOTER, style="dim"),
        )  # fmt: skip
    table = week_by_week(report.weeks)
    parts: list[RenderableType] = [
        title,
        intro,
        Text(
            f"{plural(w.checkins, 'check-in')} on {w.days_with_checkins:,} of "
            f"{plural(len(w.days), 'day')}."
            + (
                f" Can feel: middle {w.can_feel_median:g}, range {w.can_feel_range[0]}"
                f"-{w.can_feel_range[1]}, from {len(w.can_feel)} answers."
                if w.can_feel_range and w.can_feel_median is not None
                else ""
            )
        ),
        _heading("Week by week"),
        table,
    ]
    line = stretches_line(w, report.now)
    if line is not None:
        parts += [_heading("Numb stretches"), line]
    if w.words:
        parts.append(_heading("Words named most"))
        parts.append(Text(counted(w.words.most_common(12))))
    parts += feelings_section(w)[2:] if w.words else []
    parts += word_range_section(w)
    if w.body_pairs:
        parts.append(_heading(SENSATIONS_MOST))
        parts.append(Text(counted(w.body_pairs.most_common(10))))
    parts += practices_section(w)
    parts += [Text(""), Text(care.FOOTER, style="dim")]
    return Group(*parts)


SAVE_FORMATS = (".txt", ".svg", ".html", ".pdf")


def view(shown: object) -> RenderableType:
    """The renderable of a core result: a Week or a Report drawn, anything else as it is."""
    if isinstance(shown, summary_mod.Week):
        return week_view(shown)
    if isinstance(shown, summary_mod.Report):
        return report_view(shown)
    return shown  # type: ignore[return-value]


MONOSPACE = (
    "ui-monospace, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', 'Courier New', monospace"
)
"""System monospace fonts: a saved file never fetches anything (Rich's SVG links a font CDN)."""


def _svg_format() -> str:
    """Rich's SVG template without its web fonts and its link, on system monospace fonts."""
    import re

    from rich._export_format import CONSOLE_SVG_FORMAT

    text = re.sub(r"\s*@font-face \{\{.*?\}\}", "", CONSOLE_SVG_FORMAT, flags=re.DOTALL)
    text = re.sub(r"\s*<!-- Generated with Rich [^>]*-->", "", text)
    return text.replace("font-family: Fira Code, monospace;", f"font-family: {MONOSPACE};")


def _html_format(title: str) -> str:
    """Rich's HTML template with a <title> and the same system monospace fonts."""
    import html
    import re

    from rich._export_format import CONSOLE_HTML_FORMAT

    safe = html.escape(title).replace("{", "{{").replace("}", "}}")
    text = CONSOLE_HTML_FORMAT.replace(
        '<meta charset="UTF-8">', f'<meta charset="UTF-8">\n<title>{safe}</title>'
    )
    return re.sub(r'font-family:[^"]*monospace', f"font-family:{MONOSPACE}", text, count=1)


def save(
    shown: object,
    path: Path,
    *,
    force: bool,
    title: str,
    width: int = 100,
    paper: str | None = None,
) -> None:
    """Write a Week, a Report or any renderable as text, SVG or HTML, or (a Week or a
    Report) as PDF, by extension; atomically and 0600, never overwriting unless `force`.
    `paper` ("a4" or "letter"; None: by locale) is for PDF only."""
    import io

    from rich.console import Console
    from rich.terminal_theme import DEFAULT_TERMINAL_THEME

    from numbtrack.errors import InvalidInput
    from numbtrack.paths import atomic_write

    suffix = path.suffix.lower()
    if suffix not in SAVE_FORMATS:
        raise InvalidInput(
            f"{path.name} should end in .txt, .svg, .html or .pdf, so numbtrack knows what "
            "to write."
        )
    if paper is not None and suffix != ".pdf":
        raise InvalidInput(f"--paper is for PDF files; {path.name} has no pages.")
    if suffix == ".pdf":
        if not isinstance(shown, summary_mod.Week | summary_mod.Report):
            raise InvalidInput("Only a week or a report can be saved as PDF.")
        from numbtrack import config
        from numbtrack.render.pdf import to_pdf

        with atomic_write(path, force=force, binary=True) as fh:
            fh.write(to_pdf(shown, paper=paper, local_line=config.load().local_line))
        return
    console = Console(record=True, width=width, file=io.StringIO(), color_system="truecolor")
    console.print(view(shown))
    if suffix == ".txt":
        content = console.export_text()
    elif suffix == ".svg":
        content = console.export_svg(
            title=title, theme=DEFAULT_TERMINAL_THEME, code_format=_svg_format()
        )
    else:
        content = console.export_html(theme=DEFAULT_TERMINAL_THEME, code_format=_html_format(title))
    with atomic_write(path, force=force) as fh:
        fh.write(content)


# -- dashboard pieces --------------------------------------------------------------------

CAN_FEEL_COLOURS = ("#6a6aa8", "#3f7fb8", "#2a9a9c", "#4fb07a", "#a8cf52", "#f2e35a")
"""A viridis-like ramp from 0 to 10 can-feel: ordered by lightness, never red. Its darkest
step is light enough (contrast above 3:1) to be seen on a near-black terminal."""

CAN_FEEL_SHAPES = "▁▂▃▅▆█"
"""The same six steps as shapes, for when colour is off (NO_COLOR): a taller block, more felt."""


def _feel_colour(value: float) -> str:
    return CAN_FEEL_COLOURS[min(5, int(value // 2))]


def calendar_view(days: Sequence[summary_mod.Day], *, shapes: bool = False) -> RenderableType:
    """A year calendar, one column per ISO week and one row per weekday, each day coloured by
    its median can-feel. Days without check-ins are a quiet dot, never a colour of alarm.
    With `shapes` (no colour wanted), each day is a block whose height is its step."""
    if not days:
        return Text("")
    first = days[0].day - timedelta(days=days[0].day.weekday())
    by_day = {d.day: d for d in days}
    weeks = (days[-1].day - first).days // 7 + 1
    rows = []
    cells = [" "] * (weeks + 3)
    last_month = None
    free_from = 0
    for w in range(weeks):
        monday = first + timedelta(weeks=w)
        if monday.month != last_month:
            last_month = monday.month
            if w >= free_from:
                cells[w : w + 3] = list(f"{monday:%b}")
                free_from = w + 4
    month_line = Text("    " + "".join(cells).rstrip(), style="dim")
    for weekday in range(7):
        line = Text(("Mon", "", "Wed", "", "Fri", "", "Sun")[weekday].ljust(4), style="dim")
        for w in range(weeks):
            day = first + timedelta(weeks=w, days=weekday)
            d = by_day.get(day)
            if d is None:
                line.append(" ")
            elif not d.checkins:
                line.append("·", style="grey35")
            elif d.median is None:
                line.append("○" if shapes else "■", style="grey62")
            else:
                step = min(5, int(d.median // 2))
                line.append(CAN_FEEL_SHAPES[step] if shapes else "■", style=CAN_FEEL_COLOURS[step])
        rows.append(line)
    key = Text("    can feel  ", style="dim")
    for i, colour in enumerate(CAN_FEEL_COLOURS):
        glyph = CAN_FEEL_SHAPES[i] if shapes else "■"
        key.append(glyph, style=colour).append(f" {2 * i}{'-' + str(2 * i + 1) if i < 5 else ''}  ")
    key.append("· none  ", style="dim").append("○" if shapes else "■", style="grey62").append(
        " not rated", style="dim"
    )
    return Group(month_line, *rows, key)


BLOCKS = " ▁▂▃▄▅▆▇█"


def trend_view(
    points: Sequence[tuple[date, float | None, float | None]], label: str
) -> RenderableType:
    """Two small lines: the median can-feel per period and the numb share beside it."""
    feel = Text("can feel   ", style="dim")
    numb = Text("numb share ", style="dim")
    for _, median, share in points:
        if median is None:
            feel.append("·", style="grey35")
        else:
            feel.append(BLOCKS[max(1, round(median / 10 * 8))], style=_feel_colour(median))
        if share is None:
            numb.append("·", style="grey35")
        else:
            numb.append(BLOCKS[max(1, round(share * 8))] if share else "▁", style="grey62")
    span = ""
    if points:
        span = f"{points[0][0]:%d %b %Y} – now, {label}"
    return Group(Text(span, style="dim"), feel, numb)
