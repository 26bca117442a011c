"""A Rich renderable that Textual renders once per width, not once per question.

Textual's RichVisual renders its renderable in full to learn its height, and again to paint
it; in a scrolling pane the height is asked at two widths (with and without the scrollbar).
The overview's calendar, trend, words and body map are Rich groups and tables, and those
renders were most of the time between the overview's data arriving and it showing. Here the
lines of the last width and style asked for are kept, and both questions read them.
"""

from __future__ import annotations

from itertools import islice

from rich.console import RenderableType
from rich.segment import Segment
from textual._context import active_app
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RichVisual
from textual.widget import Widget


class RenderedOnce(RichVisual):
    """Give it to `Static.update` in place of the renderable itself."""

    def __init__(self, widget: Widget, renderable: RenderableType) -> None:
        super().__init__(widget, renderable)
        self._key: tuple[int, Style] | None = None
        self._strips: list[Strip] = []

    def __rich__(self) -> RenderableType:
        """What it shows, for anything that prints it with Rich (tests, a log)."""
        return self._renderable

    def _lines(self, width: int, style: Style) -> list[Strip]:
        if self._key != (width, style):
            console = active_app.get().console
            options = active_app.get().console_options.update(highlight=False, width=width)
            renderable = self._widget.post_render(self._renderable, style.rich_style)
            segments = console.render(renderable, options.update_width(width))
            self._strips = [
                Strip(line)
                for line in Segment.split_and_crop_lines(
                    segments, width, include_new_lines=False, pad=False
                )
            ]
            self._key = (width, style)
        return self._strips

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._lines(width, self._widget.visual_style))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return list(islice(self._lines(width, style), None, height))
