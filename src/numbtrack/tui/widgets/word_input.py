"""A text field that completes feeling words, where Tab takes the suggestion.

Textual's Input takes a suggestion with → or End; people expect Tab too (shells, editors),
and the form's placeholder says so. Tab moves on to the next field when there is nothing to
take, so the form is still walked with Tab.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.suggester import Suggester
from textual.widgets import Input


class WordSuggester(Suggester):
    """Completes the last word being typed from the vocabulary and the person's own words."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.words = sorted(words)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last or ":" in last:
            return None
        for word in self.words:
            if word.startswith(last.lower()) and word != last.lower():
                return (head + " " if head else "") + word
        return None

    def completes(self, prefix: str) -> bool:
        """Whether some known word starts with `prefix` (so it may still be half typed)."""
        low = prefix.lower()
        return any(w.startswith(low) for w in self.words)


class WordInput(Input):
    """An Input whose Tab accepts the suggestion shown, or else moves to the next field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "accept_or_next", "Take suggestion", show=False),
    ]

    def action_accept_or_next(self) -> None:
        if self.cursor_at_end and self._suggestion and self._suggestion != self.value:
            self.value = self._suggestion + " "
            self.cursor_position = len(self.value)
            return
        self.screen.focus_next()
