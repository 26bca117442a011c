"""One question before something is removed.

The dialog starts on "Keep", and no single letter answers it: deleting takes a deliberate move
to "Delete" (Tab or an arrow key) and Enter, or a click. That is the whole defence against
words typed into the wrong place: a stray `y` can never confirm anything.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class Confirm(ModalScreen[bool]):
    """Asks one question; Escape keeps, "Delete" must be chosen on purpose."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", "Keep", tooltip="Close the question and change nothing"),
        Binding("left,right", "switch", "Switch button", show=False),
    ]

    def __init__(self, question: str, detail: str, action: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.action_label = action

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(self.question, id="confirm-question")
            yield Static(Text(self.detail), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button("Keep", id="confirm-keep", variant="primary")
                yield Button(self.action_label, id="confirm-yes", variant="error")
            yield Static(
                f"Escape keeps it · Tab then Enter chooses {self.action_label}", id="confirm-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#confirm-keep", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_keep(self) -> None:
        self.dismiss(False)

    def action_switch(self) -> None:
        self.focus_next()
