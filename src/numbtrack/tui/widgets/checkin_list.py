"""The Entries list: every check-in that matches, however many, fetched a page at a time.

Design: a ScrollView that draws only the visible lines (`render_line`), over pages of rows
fetched on demand. It knows the total from a count, so the scrollbar, PgDn, End and G reach
the very first check-in at once; a line whose page has not arrived yet shows "…" and asks its
pane for the page (the pane runs the query in a worker). A DataTable would hold every row as
widgets' worth of state and re-measure them all on each change; this keeps Down-arrow cheap
whether the store has 50 check-ins or 50,000.

Every cell is cut to its column by terminal cells, not characters, so wide characters (CJK,
emoji) in a note can never push past a column or the pane's border.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from numbtrack import render, text
from numbtrack.models import CheckIn

PAGE = 100
"""Rows fetched per query; a screen shows at most about 45 of them."""


def _clean(value: str) -> str:
    """One line of printable text: newlines and control characters never reach the screen."""
    return "".join(ch for ch in " ".join(value.split()) if ch.isprintable())


class CheckinList(ScrollView, can_focus=True):
    """Rows of check-ins, newest first, with a cursor. The pane feeds it pages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Down", show=False, tooltip="Next (older) check-in"),
        Binding("up,k", "move(-1)", "Up", show=False, tooltip="Previous (newer) check-in"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="A page further"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="A page back"),
        Binding("home,g", "first", "Newest", show=False, tooltip="The newest check-in"),
        Binding("end,G", "last", "Oldest", show=False, tooltip="The very first check-in"),
        Binding("enter", "choose", "Edit", tooltip="Edit the selected check-in in the Log form"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "checkin-list--header",
        "checkin-list--cursor",
        "checkin-list--cursor-blurred",
        "checkin-list--pending",
    }

    cursor: reactive[int] = reactive(0, repaint=False)

    class Highlighted(Message):
        """The cursor is on another row (or its row has just arrived)."""

        def __init__(self, checkin: CheckIn | None) -> None:
            super().__init__()
            self.checkin = checkin

    class Chosen(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, checkin: CheckIn) -> None:
            super().__init__()
            self.checkin = checkin

    class PageWanted(Message):
        """A visible line belongs to a page that is not loaded yet."""

        def __init__(self, page: int) -> None:
            super().__init__()
            self.page = page

    def __init__(self, *, id: str | None = None, now: datetime | None = None) -> None:
        super().__init__(id=id)
        self.total = 0
        self.pages: dict[int, list[CheckIn]] = {}
        self.wanted: set[int] = set()
        self.now = now
        self.type_ahead: Input | None = None
        """Where letters typed on the list go (the pane's search box)."""

    # -- data ----------------------------------------------------------------------------

    def reset(self, total: int, pages: dict[int, list[CheckIn]], cursor: int = 0) -> None:
        """New results: a total and the pages fetched with it."""
        self.total = total
        self.pages = dict(pages)
        self.wanted = set()
        self.virtual_size = Size(self.size.width, total + 1)
        self.set_reactive(CheckinList.cursor, max(0, min(cursor, total - 1)))
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def add_page(self, page: int, rows: list[CheckIn]) -> None:
        self.pages[page] = rows
        self.wanted.discard(page)
        self.refresh()
        if self.cursor // PAGE == page:
            self.post_message(self.Highlighted(self.current))

    def row(self, index: int) -> CheckIn | None:
        rows = self.pages.get(index // PAGE)
        if rows is None or index % PAGE >= len(rows):
            return None
        return rows[index % PAGE]

    @property
    def current(self) -> CheckIn | None:
        return self.row(self.cursor) if self.total else None

    def index_of(self, checkin_id: str) -> int | None:
        for page, rows in self.pages.items():
            for i, c in enumerate(rows):
                if c.id == checkin_id:
                    return page * PAGE + i
        return None

    # -- cursor --------------------------------------------------------------------------

    @property
    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self._rows_visible:
            self.scroll_to(y=self.cursor - self._rows_visible + 1, animate=False, immediate=True)

    def _go(self, index: int) -> None:
        if self.total:
            self.cursor = max(0, min(index, self.total - 1))

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_page(self, step: int) -> None:
        self._go(self.cursor + step * self._rows_visible)

    def action_first(self) -> None:
        self._go(0)

    def action_last(self) -> None:
        self._go(self.total - 1)

    def action_choose(self) -> None:
        c = self.current
        if c is not None:
            self.post_message(self.Chosen(c))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._go(round(self.scroll_offset.y) + event.y - 1)
            if event.chain >= 2:
                self.action_choose()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total + 1)
        self._scroll_cursor_into_view()

    # -- drawing -------------------------------------------------------------------------

    def columns(self, width: int) -> list[tuple[str, int]]:
        """Column titles and widths in cells for a list `width` cells wide."""
        when = 21 if width >= 90 else 16
        rest = max(20, width - when - 4 - 5)
        words = max(12, rest * 3 // 10)
        body = max(10, rest * 3 // 10)
        extra = rest - words - body
        tags = extra // 2
        note = extra - tags
        return [
            ("when", when),
            ("feel", 4),
            ("words", words),
            ("body", body),
            ("did / tags", tags),
            ("note", note),
        ]

    def _cells(self, c: CheckIn, when_width: int) -> list[Text]:
        when = text.when(c.at, self.now)
        if len(when) > when_width:
            # Another year in a narrow list: its four-digit year over the time of day (a
            # two-digit one is unclear; the detail beside the list gives the time).
            when = f"{c.at:%a %d %b %Y}"
        return [
            Text(when),
            Text("" if c.can_feel is None else str(c.can_feel), justify="right"),
            render.words_text(c.words) if c.words else Text(c.state or "", style="dim"),
            Text(_clean(", ".join(s.spec() for s in c.sensations))),
            Text(_clean(" ".join([*c.practices, *(f"#{t}" for t in c.tags)]))),
            Text(_clean(c.note or "")),
        ]

    def _line(self, cells: list[Text], widths: list[int]) -> list[Segment]:
        line = Text()
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            if i:
                line.append(" ")
            if width <= 0:
                continue
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis", pad=True)
            if cell.justify == "right":
                cell = Text(" " * (width - cell.cell_len)) + cell
            line.append_text(cell)
        return list(line.render(self.app.console))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        columns = self.columns(width)
        widths = [w for _, w in columns]
        if y == 0:
            style = self.get_component_rich_style("checkin-list--header")
            cells = [
                Text(title, justify="right" if title == "feel" else "left") for title, _ in columns
            ]
            return (
                Strip(self._line(cells, widths)).adjust_cell_length(width).apply_style(base + style)
            )
        index = round(self.scroll_offset.y) + y - 1
        if index >= self.total:
            return Strip.blank(width, base)
        c = self.row(index)
        if c is None:
            page = index // PAGE
            if page not in self.wanted:
                self.wanted.add(page)
                self.post_message(self.PageWanted(page))
            pending = self.get_component_rich_style("checkin-list--pending")
            return Strip([Segment("  …", base + pending)]).adjust_cell_length(width, base)
        strip = Strip(self._line(self._cells(c, widths[0]), widths)).adjust_cell_length(width)
        if index == self.cursor:
            cursor = self.get_component_rich_style(
                "checkin-list--cursor" if self.has_focus else "checkin-list--cursor-blurred"
            )
            return strip.apply_style(base + cursor)
        return strip.apply_style(base)

    def on_key(self, event: events.Key) -> None:
        """Type-to-search: a printable key that is not bound here starts a search with it.

        Focus moves to the search box at once (not by a message), so the keys typed right
        after, even bound letters like `e` or `w`, land in the box too.
        """
        if event.character and event.is_printable and event.key not in self.screen.active_bindings:
            event.stop()
            event.prevent_default()
            target = self.type_ahead
            if target is not None:
                self.screen.set_focus(target)
                target.insert_text_at_cursor(event.character)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def get_content_height(self, *_: object) -> int:
        return self.total + 1
