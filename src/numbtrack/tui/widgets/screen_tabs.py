"""The row of screen names at the top, with a bar under the one shown.

Textual's TabbedContent draws this with a Tabs widget, one Tab widget per name, an Underline
and a ContentSwitcher of TabPanes: a dozen widgets to style and lay out, which made it the
costliest part of the dashboard's first frame (about 170 M instructions of 1.46 G, measured
with callgrind). The dashboard switches screens with keys, and this row only shows which one
is up: one widget draws it, with the colours and bar Tabs uses, and a click on a name asks for
that screen (`Clicked`). The app shows the screens with a ContentSwitcher.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.widget import Widget


class ScreenTabs(Widget):
    DEFAULT_CSS = """
    ScreenTabs {
        width: 100%;
        height: 2;
        & > .screen-tabs--tab { color: $foreground 50%; }
        & > .screen-tabs--active { color: $foreground; }
        & > .screen-tabs--hover { color: $foreground; }
        & > .screen-tabs--bar {
            color: $block-cursor-background;
            background: $foreground 10%;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "screen-tabs--tab",
        "screen-tabs--active",
        "screen-tabs--hover",
        "screen-tabs--bar",
    }

    active: reactive[str] = reactive("")
    """The id of the screen shown."""
    hovered: reactive[str] = reactive("")
    """The id of the screen whose name is under the mouse pointer."""

    class Clicked(Message):
        """A screen's name was clicked."""

        def __init__(self, tab: str) -> None:
            super().__init__()
            self.tab = tab

    def __init__(self, tabs: Sequence[tuple[str, str]], active: str, *, id: str | None = None):
        """`tabs`: (screen id, name shown) in order."""
        super().__init__(id=id)
        self.tabs = list(tabs)
        self.set_reactive(ScreenTabs.active, active)

    def spans(self) -> dict[str, tuple[int, int]]:
        """Each screen's name: its first column and the column after it (one cell of
        padding on either side, as Tab has)."""
        out = {}
        x = 0
        for tab, label in self.tabs:
            width = cell_len(label)
            out[tab] = (x + 1, x + 1 + width)
            x += width + 2
        return out

    def render(self) -> RenderableType:
        names = Text(no_wrap=True, overflow="crop")
        for tab, label in self.tabs:
            if tab == self.active:
                part = "screen-tabs--active"
            elif tab == self.hovered:
                part = "screen-tabs--hover"
            else:
                part = "screen-tabs--tab"
            names.append(" ").append(label, style=self.get_component_rich_style(part)).append(" ")
        bar = self.get_component_rich_style("screen-tabs--bar")
        return Group(
            names,
            Bar(
                highlight_range=self.spans().get(self.active, (0, 0)),
                highlight_style=Style.from_color(bar.color),
                background_style=Style.from_color(bar.bgcolor),
            ),
        )

    def _at(self, x: int) -> str:
        for tab, (start, end) in self.spans().items():
            if start - 1 <= x <= end:
                return tab
        return ""

    def on_click(self, event: events.Click) -> None:
        tab = self._at(event.x)
        if tab:
            event.stop()
            self.post_message(self.Clicked(tab))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hovered = self._at(event.x)

    def on_leave(self, event: events.Leave) -> None:
        self.hovered = ""
