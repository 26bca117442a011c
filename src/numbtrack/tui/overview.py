"""Overview: the calendar of the year, the trend, the period's words and body map, numb stretches.

The summaries are the very ones `numbtrack week` prints, read by overview_data.py in two
parts: the top (calendar and trend) from one aggregate per day (Store.day_tallies), the rest
(words, body map, stretches) from the trend's range read in full. At start the top is read
while Textual is still loading, so that it is in the first frame, and the rest once that
frame is painted; later (a reload, another range) both are read at once in a worker.
Words and Body sit side by side from 100 columns and stack below that."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, VerticalScroll
from textual.widgets import Static

from numbtrack import render, summary, text
from numbtrack.errors import NumbtrackError
from numbtrack.tui import overview_data
from numbtrack.tui.messages import OverviewLoaded, StoreFailed
from numbtrack.tui.overview_data import RANGES
from numbtrack.tui.pane import SCROLL_KEYS, Pane
from numbtrack.tui.widgets.rendered import RenderedOnce

WELCOME = """Welcome to numbtrack.

Nothing is logged yet, so there is nothing to draw. That is a fine place to start.

  • Press l for the Log form, or run  numbtrack log  in a shell.
    "numb", "flat" and "nothing" are answers too.
  • To look around with synthetic data first:
      numbtrack demo   then   numbtrack --home <folder it prints> dash
  • Press ? for every key.
"""


class OverviewPane(Pane, VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        *SCROLL_KEYS,
        Binding(
            "r",
            "cycle_range",
            "Range",
            tooltip="The trend's range: 4 weeks, 3 months or 12 months",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="overview-pane")
        self.range_index = overview_data.DEFAULT_RANGE
        self.generation = 0
        """The load the screen shows; answers to an older one (another range) are dropped."""
        self.showing_data = False
        """True once real check-ins are drawn (the benchmark waits for it)."""

    def compose(self) -> ComposeResult:
        yield Static(WELCOME, id="overview-welcome")
        yield Static("Loading…", id="overview-calendar")
        yield Static("", id="overview-trend")
        with Container(id="overview-columns"):
            yield Static("", id="overview-words")
            yield Static("", id="overview-body")
        yield Static("", id="overview-stretches")

    def on_mount(self) -> None:
        self.query_one("#overview-welcome").display = False
        # The top read already, while Textual was loading (overview_data.start)? Then it is
        # drawn before the first frame is, and the rest is read once that frame is painted.
        early = overview_data.take(self.dash.today(), self.range_index, wait=False)
        if early is None:
            self.load()
        elif isinstance(early, NumbtrackError):
            self._failed(early)
        else:
            self._show_top(early)
            self.call_after_refresh(self._load_rest, self.generation)

    def reload(self, keep_id: str | None = None) -> None:
        self.load()

    def action_cycle_range(self) -> None:
        self.range_index = (self.range_index + 1) % len(RANGES)
        self.load()

    def load(self) -> None:
        self.generation += 1
        self._load(self.generation, self.dash.today(), self.range_index)

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def _load(self, generation: int, today: date, index: int) -> None:
        early = overview_data.take(today, index, wait=True)
        try:
            if isinstance(early, overview_data.Top):
                self.post_message(OverviewLoaded(generation, early, None))
                rest = overview_data.fetch_rest(today, index)
                self.post_message(OverviewLoaded(generation, None, rest))
            else:
                data = overview_data.fetch(today, index)
                self.post_message(OverviewLoaded(generation, data.top, data.period))
        except NumbtrackError as exc:
            self._failed(exc)

    def _load_rest(self, generation: int) -> None:
        if generation == self.generation:  # else a newer load reads both parts
            self._read_rest(generation, self.dash.today(), self.range_index)

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def _read_rest(self, generation: int, today: date, index: int) -> None:
        try:
            rest = overview_data.fetch_rest(today, index)
        except NumbtrackError as exc:
            self._failed(exc)
            return
        self.post_message(OverviewLoaded(generation, None, rest))

    def _failed(self, exc: NumbtrackError) -> None:
        """The store could not be read: one sentence, and the other screens are built."""
        self.post_message(StoreFailed(exc.message))
        self.app.call_later(self.dash.first_screen_ready)

    def _put(self, part: str, renderable: RenderableType) -> None:
        static = self.query_one(f"#overview-{part}", Static)
        static.update(RenderedOnce(static, renderable))

    @on(OverviewLoaded)
    def _loaded(self, data: OverviewLoaded) -> None:
        data.stop()
        if data.generation != self.generation:
            return
        first = not self.showing_data
        if data.top is not None:
            self._show_top(data.top)
        if data.period is not None:
            if first and data.top is not None:
                # The first time, the calendar and the trend (the top of the screen) are
                # painted first; the Words and Body tables, the costliest part to lay out, a
                # frame later.
                self.call_after_refresh(self._show_rest, data.generation, data.period)
            else:
                self._show_rest(data.generation, data.period)

    def _show_top(self, top: overview_data.Top) -> None:
        self.query_one("#overview-welcome").display = top.empty
        for name in ("calendar", "trend", "columns", "stretches"):
            self.query_one(f"#overview-{name}").display = not top.empty
        if top.empty:
            self.dash.first_screen_ready()
            return
        plain = self.dash.plain
        head = Text("Can feel, day by day over the year", style="bold")
        self._put("calendar", Group(head, render.calendar_view(top.year, shapes=plain)))
        points = summary.trend(top.days, top.bucket)
        per = {1: "daily", 2: "every two days", 7: "weekly"}[top.bucket]
        numbers = (
            f"{text.plural(top.checkins, 'check-in')} on "
            f"{text.plural(top.days_with_checkins, 'day')}"
        )
        if top.can_feel_median is not None:
            numbers += f"; middle can-feel {top.can_feel_median:g}"
        if top.checkins:
            numbers += f"; numb share {round(100 * (top.numb_share or 0))}%"
        self._put(
            "trend",
            Group(
                Text(f"Trend over {top.range_label} (r changes the range)", style="bold"),
                render.trend_view(points, per),
                Text(numbers + ".", style="dim"),
            ),
        )
        self.showing_data = True
        self.dash.first_screen_ready()

    def _show_rest(self, generation: int, p: summary.Summary) -> None:
        if generation != self.generation:
            return
        label = RANGES[self.range_index][0]
        words = render.feelings_section(p)[1:2] if p.words else [Text("No words named.")]
        self._put("words", Group(Text(f"Words, {label}", style="bold"), *words))
        body: list[RenderableType] = [Text(f"Body, {label}", style="bold")]
        body.append(render.body_map(p) if p.regions else Text("No sensations noted."))
        self._put("body", Group(*body))
        line = render.stretches_line(p, self.dash.now())
        self._put(
            "stretches",
            Group(Text("Numb stretches", style="bold"), line or Text("No numb check-ins here.")),
        )
