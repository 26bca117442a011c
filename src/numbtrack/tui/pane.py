"""What every screen of the dashboard shares: the app it belongs to, and where focus goes.

Each screen is a pane in the app's tabs (one module each). When a pane is shown, focus goes
to its `main` widget, so its keys (and scrolling) work at once, without a Tab first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.binding import Binding, BindingType
from textual.widget import Widget

if TYPE_CHECKING:
    from numbtrack.tui.app import NumbtrackApp


SCROLL_KEYS: list[BindingType] = [
    Binding("j", "scroll_down", "Scroll down", show=False, tooltip="Scroll down (also ↓, PgDn)"),
    Binding("k", "scroll_up", "Scroll up", show=False, tooltip="Scroll up (also ↑, PgUp)"),
    Binding("g", "scroll_home", "Top", show=False, tooltip="To the top (also Home)"),
    Binding("G", "scroll_end", "Bottom", show=False, tooltip="To the bottom (also End)"),
]
"""Vim-style scrolling for the panes that scroll, beside the arrows and PgUp/PgDn."""


class Pane:
    """Mixed into each screen's widget class."""

    MAIN = ""
    """Selector of the widget that takes focus when the pane is shown; "" for the pane."""

    @property
    def dash(self) -> NumbtrackApp:
        return cast("NumbtrackApp", cast(Widget, self).app)

    def focus_main(self) -> None:
        me = cast(Widget, self)
        target = me.query_one(self.MAIN) if self.MAIN else me
        target.focus()

    def reload(self, keep_id: str | None = None) -> None:
        """Fetch again (the store changed); keep the place, and `keep_id` in view if given."""
