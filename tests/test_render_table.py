"""The report's week-by-week table draws each distinct cell once (render._RepeatTable): what
it draws must be what Rich's own Table draws, segment for segment (text and styles), at
every width, for the report's cells and for any cells at all."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from numbtrack import render, summary
from numbtrack.models import CheckIn, Feeling, Sensation, validate

WIDTHS = (1, 5, 12, 20, 31, 40, 47, 55, 60, 66, 72, 79, 80, 81, 90, 100, 120, 160, 240)


def _segments(table: Table, width: int) -> list[Segment]:
    console = Console(
        width=width, file=io.StringIO(), color_system="truecolor", force_terminal=True
    )
    return list(console.render(table))


def _ansi(table: Table, width: int) -> str:
    console = Console(
        width=width, file=io.StringIO(), color_system="truecolor", force_terminal=True
    )
    console.print(table)
    out = console.file
    assert isinstance(out, io.StringIO)
    return out.getvalue()


def _weeks() -> list[tuple[str, summary.WeekRow]]:
    """Twelve weeks of a made-up history: empty weeks, one-check-in weeks, full ones."""
    start = datetime(2026, 8, 3, 9).astimezone()
    regions = ("chest", "stomach", "neck-and-shoulders", "hands", "whole-body")
    checkins = []
    for i in range(60):
        if (i // 5) % 4 == 3:
            continue  # a quiet week now and then
        at = start + timedelta(hours=31 * i)
        checkins.append(
            validate(
                CheckIn(
                    at=at,
                    feelings=(Feeling("numb" if i % 3 else "calm"),),
                    can_feel=None if i % 7 == 0 else i % 11,
                    sensations=(Sensation(regions[i % 5], "tight"),) if i % 4 else (),
                )
            )
        )
    report = summary.build_report(checkins, date(2026, 8, 3), date(2026, 10, 25))
    return list(report.weeks)


def test_the_week_table_is_what_rich_draws_at_every_width() -> None:
    weeks = _weeks()
    for width in WIDTHS:
        fast = render.week_by_week(weeks)
        plain = render.week_by_week(weeks, Table)
        assert _segments(fast, width) == _segments(plain, width), width


def test_the_week_table_prints_the_same_bytes() -> None:
    weeks = _weeks()
    fast, plain = render.week_by_week(weeks), render.week_by_week(weeks, Table)
    assert _ansi(fast, 80) == _ansi(plain, 80)


def test_the_week_table_prints_the_same_text_without_colour_at_every_width() -> None:
    weeks = _weeks()
    for width in WIDTHS:
        fast, plain = render.week_by_week(weeks), render.week_by_week(weeks, Table)
        texts = []
        for table in (fast, plain):
            console = Console(width=width, file=io.StringIO(), color_system=None)
            console.print(table)
            out = console.file
            assert isinstance(out, io.StringIO)
            texts.append(out.getvalue())
        assert texts[0] == texts[1], width


def test_a_table_drawn_twice_is_the_same_both_times() -> None:
    table = render.week_by_week(_weeks())
    assert _segments(table, 60) == _segments(table, 60)


def test_the_table_is_measured_as_rich_measures_it() -> None:
    weeks = _weeks()
    console = Console(width=70, file=io.StringIO())
    fast = render.week_by_week(weeks).__rich_measure__(console, console.options)
    plain = render.week_by_week(weeks, Table).__rich_measure__(console, console.options)
    assert fast == plain


words = st.sampled_from(
    # same shapes with other characters ("a"/"b", "12 Nov"/"03 Dec", ...) share one probe
    [
        *("", " ", "a", "b", "chest", "heart", "2026-W48", "2025-W01", "12 Nov", "03 Dec"),
        *("5 (2-8)", "7 (0-9)", "–", "感じる", "🙂", "  x ", "a\nb", "c\nd", "x\ty"),
    ]
)
cells = st.tuples(
    st.lists(words, max_size=4).map(" ".join),
    st.sampled_from([None, "dim", "bold", "italic #56B4E9"]),
    st.sampled_from([None, "dim"]),
)
columns = st.tuples(
    st.sampled_from(["left", "right", "center", "full"]),
    st.booleans(),
    st.sampled_from(["fold", "crop", "ellipsis"]),
)


def _table(
    kind: type[Table],
    cols: list[tuple[str, bool, str]],
    rows: list[list[tuple[str, str | None, str | None]]],
) -> Table:
    table = kind(box=box.SIMPLE_HEAD, padding=(0, 1), header_style="dim")
    for i, (justify, no_wrap, overflow) in enumerate(cols):
        table.add_column(f"col {i}\nhead", justify=justify, no_wrap=no_wrap, overflow=overflow)  # type: ignore[arg-type]
    for row in rows:
        out = []
        for j in range(len(cols)):
            plain, style, tail = row[j % len(row)]
            cell = Text(plain, style=style or "")
            if tail:
                cell.append("\nend", style=tail)
            out.append(cell)
        table.add_row(*out)
    return table


@settings(max_examples=60, deadline=None)
@given(
    cols=st.lists(columns, min_size=1, max_size=5),
    rows=st.lists(st.lists(cells, min_size=1, max_size=5), max_size=12),
    width=st.integers(1, 130),
)
def test_any_table_is_what_rich_draws(
    cols: list[tuple[str, bool, str]],
    rows: list[list[tuple[str, str | None, str | None]]],
    width: int,
) -> None:
    fast = _table(render._RepeatTable, cols, rows)
    plain = _table(Table, cols, rows)
    assert _segments(fast, width) == _segments(plain, width)


@settings(max_examples=60, deadline=None)
@given(
    cols=st.lists(columns, min_size=1, max_size=5),
    rows=st.lists(st.lists(cells, min_size=1, max_size=5), max_size=12),
    width=st.integers(1, 130),
)
def test_any_table_prints_what_rich_prints_without_colour(
    cols: list[tuple[str, bool, str]],
    rows: list[list[tuple[str, str | None, str | None]]],
    width: int,
) -> None:
    """Without a colour system each row's lines are written as text (render._RepeatTable)."""
    texts = []
    for kind in (render._RepeatTable, Table):
        console = Console(width=width, file=io.StringIO(), color_system=None)
        console.print(_table(kind, cols, rows))
        out = console.file
        assert isinstance(out, io.StringIO)
        texts.append(out.getvalue())
    assert texts[0] == texts[1]
