"""Overview: the calendar of the year, the trend, the period's words and body map, numb stretches.

The summaries are the very ones `numbtrack week` prints. At 10 years the first screen must
not wait for every check-in: the calendar's year is one aggregate per day (Store.day_tallies),
and only the trend's range is read in full; both in a worker, after the frame is painted.
Words and Body sit side by side from 100 columns and stack below that.
"""

from __future__ import annotations

from datetime import timedelta
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
from numbtrack.store import Store
from numbtrack.tui.messages import OverviewLoaded, StoreFailed
from numbtrack.tui.pane import SCROLL_KEYS, Pane

RANGES = (("4 weeks", 28, 1), ("3 months", 91, 2), ("12 months", 364, 7))
"""Trend ranges: (label, days, days per point)."""

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
        self.range_index = 1
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
        self.load()

    def reload(self, keep_id: str | None = None) -> None:
        self.load()

    def action_cycle_range(self) -> None:
        self.range_index = (self.range_index + 1) % len(RANGES)
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def load(self) -> None:
        label, days, bucket = RANGES[self.range_index]
        today = self.dash.today()
        # The calendar shows the 52 weeks up to this one, from one small aggregate per day;
        # only the chosen range (the period) needs its check-ins in full.
        start = summary.week_bounds(today)[0] - timedelta(weeks=51)
        period_start = today - timedelta(days=days - 1)
        try:
            with Store() as store:
                tallies = store.day_tallies(start, today)
                checkins = store.between(period_start, today)
                empty = not tallies and store.count() == 0
                before = store.last_non_numb_word(period_start)
        except NumbtrackError as exc:
            self.post_message(StoreFailed(exc.message))
            self.app.call_from_thread(self.dash.first_screen_ready)
            return
        year = summary.days_from_tallies(tallies, start, today)
        period = summary.summarize(checkins, period_start, today, last_non_numb=before)
        self.post_message(OverviewLoaded(empty, year, period, label, bucket))

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
        self.query_one("#overview-calendar", Static).update(
            Group(head, render.calendar_view(data.year, shapes=plain))
        )
        points = summary.trend(p.days, data.bucket)
        per = {1: "daily", 2: "every two days", 7: "weekly"}[data.bucket]
        numbers = (
            f"{text.plural(p.checkins, 'check-in')} on {text.plural(p.days_with_checkins, 'day')}"
        )
        if p.can_feel_median is not None:
            numbers += f"; middle can-feel {p.can_feel_median:g}"
        if p.checkins:
            numbers += f"; numb share {round(100 * (p.numb_share or 0))}%"
        self.query_one("#overview-trend", Static).update(
            Group(
                Text(f"Trend over {data.range_label} (r changes the range)", style="bold"),
                render.trend_view(points, per),
                Text(numbers + ".", style="dim"),
            )
        )
        words = render.feelings_section(p)[1:2] if p.words else [Text("No words named.")]
        self.query_one("#overview-words", Static).update(
            Group(Text(f"Words, {data.range_label}", style="bold"), *words)
        )
        body: list[RenderableType] = [Text(f"Body, {data.range_label}", style="bold")]
        body.append(render.body_map(p) if p.regions else Text("No sensations noted."))
        self.query_one("#overview-body", Static).update(Group(*body))
        line = render.stretches_line(p, self.dash.now())
        self.query_one("#overview-stretches", Static).update(
            Group(Text("Numb stretches", style="bold"), line or Text("No numb check-ins here."))
        )
        self.showing_data = True
        self.dash.first_screen_ready()
