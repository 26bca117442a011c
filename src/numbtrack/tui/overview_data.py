"""What the Overview shows, read without Textual, so that reading can start early.

`numbtrack dash` calls `start` before Textual is even imported: the store is read in a thread
while the interpreter loads Textual (SQLite lets go of the GIL), and the Overview, when it is
mounted, takes the answer (`take`) and draws it in the very first frame. Anything else (a
reload, another range, a test that builds the App itself) reads with `fetch` in a worker.

Nothing here imports Textual or Rich; the store and the summaries are imported in the thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from numbtrack.errors import NumbtrackError

if TYPE_CHECKING:
    from numbtrack.summary import Day, Summary

RANGES = (("4 weeks", 28, 1), ("3 months", 91, 2), ("12 months", 364, 7))
"""Trend ranges: (label, days, days per point)."""
DEFAULT_RANGE = 1


@dataclass(frozen=True)
class OverviewData:
    empty: bool
    year: tuple[Day, ...]
    """Every day of the calendar: the 52 weeks up to this one."""
    period: Summary
    """The chosen range, summarised as `numbtrack week` does."""
    range_label: str
    bucket: int


def fetch(today: date, range_index: int) -> OverviewData:
    """Read and summarise; raises NumbtrackError (one sentence) when the store cannot.

    The calendar's year is one aggregate per day (Store.day_tallies); only the chosen range
    is read in full, so ten years cost what three months do."""
    from numbtrack import summary
    from numbtrack.store import Store

    label, days, bucket = RANGES[range_index]
    start = summary.week_bounds(today)[0] - timedelta(weeks=51)
    period_start = today - timedelta(days=days - 1)
    with Store() as store:
        tallies = store.day_tallies(start, today)
        checkins = store.between(period_start, today)
        empty = not tallies and store.count() == 0
        before = store.last_non_numb_word(period_start)
    return OverviewData(
        empty=empty,
        year=summary.days_from_tallies(tallies, start, today),
        period=summary.summarize(checkins, period_start, today, last_non_numb=before),
        range_label=label,
        bucket=bucket,
    )


class _Early:
    def __init__(self, today: date, range_index: int) -> None:
        self.key = (today, range_index)
        self.answer: OverviewData | NumbtrackError | None = None
        self.thread = threading.Thread(target=self._run, name="overview-early", daemon=True)

    def _run(self) -> None:
        try:
            self.answer = fetch(*self.key)
        except NumbtrackError as exc:
            self.answer = exc
        except Exception:
            self.answer = None


_early: _Early | None = None


def start(today: date, range_index: int = DEFAULT_RANGE) -> None:
    """Begin reading the first screen's data in a thread of its own."""
    global _early
    _early = _Early(today, range_index)
    _early.thread.start()


def take(today: date, range_index: int, *, wait: bool) -> OverviewData | NumbtrackError | None:
    """The early answer for this day and range, once (None: there is none, or it is not in
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
