"""Week: the weekly summary, exactly as `numbtrack week` prints it, one week at a time.

It pages back through history with `[` and forward with `]` up to this week (there is nothing
to show in weeks that have not happened); `t` comes back to this week from anywhere.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from numbtrack import render, summary
from numbtrack.errors import NumbtrackError
from numbtrack.store import Store
from numbtrack.tui.messages import StoreFailed, WeekLoaded
from numbtrack.tui.pane import SCROLL_KEYS, Pane


class WeekPane(Pane, VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        *SCROLL_KEYS,
        Binding("left_square_bracket", "move(-1)", "Prev week", key_display="[",
                tooltip="The week before"),
        Binding("right_square_bracket", "move(1)", "Next week", key_display="]",
                tooltip="The week after, up to this week"),
        Binding("t", "this_week", "This week", tooltip="Back to the current week"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__(id="week-pane")
        self.monday = self.this_monday()

    def this_monday(self) -> date:
        return summary.week_bounds(self.dash.today())[0]

    def compose(self) -> ComposeResult:
        yield Static("Loading…", id="week-view")

    def on_mount(self) -> None:
        self.load()

    def reload(self, keep_id: str | None = None) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move" and parameters == (1,):
            return self.monday < self.this_monday() or None
        if action == "this_week":
            return self.monday != self.this_monday() or None
        return True

    def action_move(self, step: int) -> None:
        target = self.monday + timedelta(weeks=step)
        if target > self.this_monday():
            self.notify("This is the current week; there is nothing after it yet.")
            return
        self.monday = target
        self.load()

    def action_this_week(self) -> None:
        self.monday = self.this_monday()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="week")
    def load(self) -> None:
        monday = self.monday
        try:
            with Store(make=False) as store:
                week = summary.load_week(store, monday, now=self.dash.now())
        except NumbtrackError as exc:
            self.post_message(StoreFailed(exc.message))
            return
        current = monday == self.this_monday()
        hint = "[ goes back a week" + (
            " · this is the current week"
            if current
            else " · ] goes forward · t comes back to this week"
        )
        self.post_message(WeekLoaded(Group(Text(hint, style="dim"), render.week_view(week))))

    @on(WeekLoaded)
    def _show(self, event: WeekLoaded) -> None:
        event.stop()
        self.query_one("#week-view", Static).update(event.renderable)
        self.refresh_bindings()
