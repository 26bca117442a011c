"""Overview: the calendar of the year, the trend, the period's words and body map, numb stretches.

The summaries are the very ones `numbtrack week` prints, read by overview_data.py: at start
while Textual is still loading (so they are in the first frame), later in a worker. At 10
years the first screen does not wait for every check-in: the calendar's year is one aggregate
per day (Store.day_tallies), and only the trend's range is read in full.
Words and Body sit side by side from 100 columns and stack below that.
"""

from __future__ import annotations

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
        # Read already, while Textual was loading (overview_data.start)? Then the answer is
        # drawn before the first frame is.
        early = overview_data.take(self.dash.today(), self.range_index, wait=False)
        if early is None:
            self.load()
        else:
            self._answer(early, now=True)

    def reload(self, keep_id: str | None = None) -> None:
        self.load()

    def action_cycle_range(self) -> None:
        self.range_index = (self.range_index + 1) % len(RANGES)
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def load(self) -> None:
        today, index = self.dash.today(), self.range_index
        answer = overview_data.take(today, index, wait=True)
        if answer is None:
            try:
                answer = overview_data.fetch(today, index)
            except NumbtrackError as exc:
                answer = exc
        self._answer(answer, now=False)

    def _answer(self, answer: overview_data.OverviewData | NumbtrackError, *, now: bool) -> None:
        """Show an answer: `now` on the app's thread, else by message from the worker."""
        if isinstance(answer, NumbtrackError):
            self.post_message(StoreFailed(answer.message))
            self.app.call_later(self.dash.first_screen_ready)
            return
        loaded = OverviewLoaded(
            answer.empty, answer.year, answer.period, answer.range_label, answer.bucket
        )
        if now:
            self._show(loaded)
        else:
            self.post_message(loaded)

    def _put(self, part: str, renderable: RenderableType) -> None:
        static = self.query_one(f"#overview-{part}", Static)
        static.update(RenderedOnce(static, renderable))

    @on(OverviewLoaded)
    def _show(self, data: OverviewLoaded) -> None:
        data.stop()
        self.query_one("#overview-welcome").display = data.empty
        for name in ("calendar", "trend", "columns", "stretches"):
            self.query_one(f"#overview-{name}").display = not data.empty
        if data.empty:
            self.dash.first_screen_ready()
            return
        p = data.period
        plain = self.dash.plain
        head = Text("Can feel, day by day over the year", style="bold")
        self._put("calendar", Group(head, render.calendar_view(data.year, shapes=plain)))
        points = summary.trend(p.days, data.bucket)
        per = {1: "daily", 2: "every two days", 7: "weekly"}[data.bucket]
        numbers = (
            f"{text.plural(p.checkins, 'check-in')} on {text.plural(p.days_with_checkins, 'day')}"
        )
        if p.can_feel_median is not None:
            numbers += f"; middle can-feel {p.can_feel_median:g}"
        if p.checkins:
            numbers += f"; numb share {round(100 * (p.numb_share or 0))}%"
        self._put(
            "trend",
            Group(
                Text(f"Trend over {data.range_label} (r changes the range)", style="bold"),
                render.trend_view(points, per),
                Text(numbers + ".", style="dim"),
            ),
        )
        if self.showing_data:
            self._show_rest(data)
        else:
            # The first time, the calendar and the trend (the top of the screen) are painted
            # first; the Words and Body tables, the costliest part to lay out, a frame later.
            self.call_after_refresh(self._show_rest, data)
        self.showing_data = True
        self.dash.first_screen_ready()

    def _show_rest(self, data: OverviewLoaded) -> None:
        p = data.period
        words = render.feelings_section(p)[1:2] if p.words else [Text("No words named.")]
        self._put("words", Group(Text(f"Words, {data.range_label}", style="bold"), *words))
        body: list[RenderableType] = [Text(f"Body, {data.range_label}", style="bold")]
        body.append(render.body_map(p) if p.regions else Text("No sensations noted."))
        self._put("body", Group(*body))
        line = render.stretches_line(p, self.dash.now())
        self._put(
            "stretches",
            Group(Text("Numb stretches", style="bold"), line or Text("No numb check-ins here.")),
        )
