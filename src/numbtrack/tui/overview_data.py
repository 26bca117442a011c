"""What the Overview shows, read without Textual, so that reading can start early.

The Overview comes in two parts. The top (the calendar of the year and the trend with its
numbers) needs one aggregate per day (`Store.day_tallies`), no check-in: that is `Top`. The
rest (the period's words, body map and numb stretches) needs the range read in full and
summarised as `numbtrack week` does: that is a `Summary`.

`numbtrack dash` calls `start` before Textual is even imported: the top is read in a thread
while the interpreter loads Textual (SQLite lets go of the GIL), and the Overview, when it is
mounted, takes it (`take`) and draws it in the very first frame; the rest is read once that
frame is painted (`fetch_rest`, in a worker). Anything else (a reload, another range, a test
that builds the App itself) reads both at once with `fetch`, in a worker.

Nothing here imports Textual or Rich; the store and the summaries are imported in the thread.
"""

from __future__ import annotations

import statistics
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from numbtrack.errors import NumbtrackError

if TYPE_CHECKING:
    from numbtrack.store import Store
    from numbtrack.summary import Day, Summary

RANGES = (("4 weeks", 28, 1), ("3 months", 91, 2), ("12 months", 364, 7))
"""Trend ranges: (label, days, days per point)."""
DEFAULT_RANGE = 1


@dataclass(frozen=True)
class Top:
    """The calendar and the trend, from one aggregate per day."""

    empty: bool
    year: tuple[Day, ...]
    """Every day of the calendar: the 52 weeks up to this one."""
    days: tuple[Day, ...]
    """Every day of the chosen range (the trend's), as `summarize` gives them."""
    range_label: str
    bucket: int

    @property
    def checkins(self) -> int:
        return sum(d.checkins for d in self.days)

    @property
    def days_with_checkins(self) -> int:
        return sum(1 for d in self.days if d.checkins)

    @property
    def can_feel_median(self) -> float | None:
        values = [v for d in self.days for v in d.can_feel]
        return statistics.median(values) if values else None

    @property
    def numb_share(self) -> float | None:
        n = self.checkins
        return sum(d.numb for d in self.days) / n if n else None


@dataclass(frozen=True)
class OverviewData:
    top: Top
    period: Summary
    """The chosen range, summarised as `numbtrack week` does."""


def _bounds(today: date, range_index: int) -> tuple[date, date]:
    """The calendar's first day and the range's."""
    from numbtrack import summary

    days = RANGES[range_index][1]
    return summary.week_bounds(today)[0] - timedelta(weeks=51), today - timedelta(days=days - 1)


def read_top(store: Store, today: date, range_index: int) -> Top:
    from numbtrack import summary

    label, _, bucket = RANGES[range_index]
    start, period_start = _bounds(today, range_index)
    first = min(start, period_start)  # 12 months can start a few days before the calendar
    tallies = store.day_tallies(first, today)
    days = summary.days_from_tallies(tallies, first, today)
    return Top(
        empty=not tallies and store.count() == 0,
        year=tuple(d for d in days if d.day >= start),
        days=tuple(d for d in days if d.day >= period_start),
        range_label=label,
        bucket=bucket,
    )


def read_rest(store: Store, today: date, range_index: int) -> Summary:
    from numbtrack import summary

    period_start = _bounds(today, range_index)[1]
    checkins = store.between(period_start, today)
    before = store.last_non_numb_word(period_start)
    return summary.summarize(checkins, period_start, today, last_non_numb=before)


def fetch(today: date, range_index: int) -> OverviewData:
    """Read and summarise both parts; raises NumbtrackError (one sentence) when the store
    cannot. Only the chosen range is read in full, so ten years cost what three months do."""
    from numbtrack.store import Store

    with Store(make=False) as store:
        return OverviewData(
            read_top(store, today, range_index), read_rest(store, today, range_index)
        )


def fetch_top(today: date, range_index: int) -> Top:
    from numbtrack.store import Store

    with Store(make=False) as store:
        return read_top(store, today, range_index)


def fetch_rest(today: date, range_index: int) -> Summary:
    from numbtrack.store import Store

    with Store(make=False) as store:
        return read_rest(store, today, range_index)


class _Early:
    def __init__(self, today: date, range_index: int) -> None:
        self.key = (today, range_index)
        self.answer: Top | NumbtrackError | None = None
        self.thread = threading.Thread(target=self._run, name="overview-early", daemon=True)

    def _run(self) -> None:
        try:
            self.answer = fetch_top(*self.key)
        except NumbtrackError as exc:
            self.answer = exc
        except Exception:
            self.answer = None


_early: _Early | None = None


def start(today: date, range_index: int = DEFAULT_RANGE) -> None:
    """Begin reading the first screen's top in a thread of its own."""
    global _early
    _early = _Early(today, range_index)
    _early.thread.start()


def take(today: date, range_index: int, *, wait: bool) -> Top | NumbtrackError | None:
    """The early top for this day and range, once (None: there is none, or it is not in
    yet and `wait` is False). With `wait`, waits for the thread to finish."""
    global _early
    early = _early
    if early is None or early.key != (today, range_index):
        return None
    if early.thread.is_alive() and not wait:
        return None
    early.thread.join()
    _early = None
    return early.answer
