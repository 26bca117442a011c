"""Help: every key, generated from the bindings themselves, then what numbtrack is and is not.

The key table is built from the BINDINGS of the app and of each screen and widget, so it
cannot drift from what the keys do; the footer and the command palette read the same
bindings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from numbtrack import care, paths
from numbtrack.tui.pane import SCROLL_KEYS, Pane

SEARCH_HELP = (
    "Free words search the notes. Filters: word:numb region:chest quality:tight "
    "tag:work practice:music state:numb since:-7d until:2026-11-01. Typing on the list "
    "starts a search; Escape or ↓ goes back to the list."
)


def sections() -> list[tuple[str, list[BindingType]]]:
    """Where each set of keys acts, and the bindings declared there."""
    from numbtrack.tui.app import NumbtrackApp
    from numbtrack.tui.entries import EntriesPane
    from numbtrack.tui.log_form import LogPane, SensationList
    from numbtrack.tui.overview import OverviewPane
    from numbtrack.tui.week import WeekPane
    from numbtrack.tui.widgets.checkin_list import CheckinList
    from numbtrack.tui.widgets.confirm import Confirm
    from numbtrack.tui.widgets.word_input import WordInput

    return [
        ("Everywhere", list(NumbtrackApp.BINDINGS)),
        ("Overview, Week and Help scroll with", list(SCROLL_KEYS)),
        ("Overview", [b for b in OverviewPane.BINDINGS if b not in SCROLL_KEYS]),
        ("Entries", [*CheckinList.BINDINGS, *EntriesPane.BINDINGS]),
        ("Log", [*LogPane.BINDINGS, *WordInput.BINDINGS, *SensationList.BINDINGS]),
        ("Week", [b for b in WeekPane.BINDINGS if b not in SCROLL_KEYS]),
        ("Delete question", list(Confirm.BINDINGS)),
    ]


def _keys(app: App[object], binding: Binding) -> str:
    shown = []
    for key in binding.key.split(","):
        key = key.strip()
        single = Binding(key, binding.action, binding.description, key_display=None)
        display = (
            binding.key_display
            if binding.key_display and key == binding.key.split(",")[0]
            else app.get_key_display(single)
        )
        if display not in shown:
            shown.append(display)
    return "  ".join(shown)


def key_table(app: App[object], groups: Sequence[tuple[str, Iterable[BindingType]]]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1), expand=False)
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    for where, bindings in groups:
        table.add_row(Text(where, style="bold underline"), "")
        for b in bindings:
            if isinstance(b, Binding) and b.description:
                table.add_row("  " + _keys(app, b), b.tooltip or b.description)
    return table


class HelpPane(Pane, VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [*SCROLL_KEYS]

    def __init__(self) -> None:
        super().__init__(id="help-pane")

    def compose(self) -> ComposeResult:
        yield Static(self.content(), id="help-text")

    def content(self) -> RenderableType:
        return Group(
            Text("Keys", style="bold"),
            key_table(self.app, sections()),
            Text(
                "ctrl+p opens the command palette: every screen, and the keys of the one shown.",
                style="dim",
            ),
            Text(""),
            Text("Search box", style="bold"),
            Text(SEARCH_HELP),
            Text(""),
            Text("What numbtrack is", style="bold"),
            Text(
                "A private place to notice small things again: sensations, feeling words, how "
                "much you can feel. Numb and nothing are answers, never failures. "
                + care.NOT_CLINICAL
            ),
            Text(""),
            Text(care.CRISIS_SHORT, style="bold"),
            Text(f"\nData: {paths.db_path()}", style="dim"),
        )
