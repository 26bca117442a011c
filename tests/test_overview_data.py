"""The Overview's top (calendar and trend, from one aggregate per day) says what the full
summary says, so that drawing it before the check-ins are read changes nothing on screen."""

from __future__ import annotations

from datetime import date

import pytest

from numbtrack import demo, summary
from numbtrack.store import Store
from numbtrack.tui import overview_data
from numbtrack.tui.overview_data import RANGES

TODAY = date(2026, 11, 25)  # a Wednesday: 12 months start before the calendar's first day


@pytest.fixture
def seeded(home: object) -> None:
    with Store() as store:
        store.put_many(demo.generate(1.5, seed=3, until=TODAY))


def both(index: int) -> tuple[overview_data.Top, summary.Summary]:
    data = overview_data.fetch(TODAY, index)
    return data.top, data.period


@pytest.mark.parametrize("index", range(len(RANGES)))
def test_the_trend_from_the_top_is_the_trend_of_the_summary(seeded: None, index: int) -> None:
    top, period = both(index)
    assert summary.trend(top.days, top.bucket) == summary.trend(period.days, top.bucket)


@pytest.mark.parametrize("index", range(len(RANGES)))
def test_the_numbers_from_the_top_are_the_summary_s(seeded: None, index: int) -> None:
    top, p = both(index)
    assert (top.checkins, top.days_with_checkins, top.can_feel_median, top.numb_share) == (
        p.checkins,
        p.days_with_checkins,
        p.can_feel_median,
        p.numb_share,
    )


@pytest.mark.parametrize("index", range(len(RANGES)))
def test_the_top_covers_the_range_day_by_day(seeded: None, index: int) -> None:
    top, p = both(index)
    assert [d.day for d in top.days] == [d.day for d in p.days]


def test_the_calendar_is_the_52_weeks_up_to_this_one(seeded: None) -> None:
    top, _ = both(overview_data.DEFAULT_RANGE)
    assert (top.year[0].day.weekday(), len(top.year)) == (0, 51 * 7 + TODAY.weekday() + 1)


def test_an_empty_store_has_an_empty_top(home: object) -> None:
    assert overview_data.fetch_top(TODAY, overview_data.DEFAULT_RANGE).empty


def test_a_store_with_check_ins_has_a_top_that_is_not_empty(seeded: None) -> None:
    assert not overview_data.fetch_top(TODAY, overview_data.DEFAULT_RANGE).empty
