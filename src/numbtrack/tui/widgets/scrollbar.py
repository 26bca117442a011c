"""Scrollbars whose thumb ends on whole cells.

Textual draws the ends of a scrollbar's thumb with partial blocks (▁▂▃▄▅▆▇) for a smoother
position. Beside the dashboard's trend and week bars, which are drawn with those very glyphs,
an end of the thumb read as a stray chart bar at the right edge ("▅▅" after a resize). Whole
cells cannot be mistaken for data.
"""

from __future__ import annotations

from typing import ClassVar

from textual.scrollbar import ScrollBarRender


class WholeCellScrollBarRender(ScrollBarRender):
    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8
