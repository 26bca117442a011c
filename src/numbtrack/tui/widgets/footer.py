"""The footer of keys, rebuilt at most once per frame.

Textual's Footer rebuilds all its keys each time the bindings may have changed (focus moves,
a tab is shown, a screen is pushed), and at start that happens five times before the first
data is drawn, each one a full restyle of every key. Here the requests of one frame become
one rebuild, after the frame is painted: the same keys, a frame later at most.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    _rebuild_pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
