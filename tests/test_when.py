from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from numbtrack.errors import InvalidInput
from numbtrack.when import parse_day, parse_when

NOW = datetime(2026, 11, 25, 15, 0).astimezone()  # a Wednesday


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("now", (2026, 11, 25, 15, 0)),
        ("-2h", (2026, 11, 25, 13, 0)),
        ("30 min ago", (2026, 11, 25, 14, 30)),
        ("-1d", (2026, 11, 24, 15, 0)),
        ("yesterday 21:30", (2026, 11, 24, 21, 30)),
        ("mon 9pm", (2026, 11, 23, 21, 0)),
        ("last wed 9:15am", (2026, 11, 18, 9, 15)),
        ("wed 9.30am", (2026, 11, 25, 9, 30)),
        ("yesterday 9 pm", (2026, 11, 24, 21, 0)),
        ("2026-11-20", (2026, 11, 20, 12, 0)),
        ("2026-11-20 08:00", (2026, 11, 20, 8, 0)),
        ("2026-11-20T08:05", (2026, 11, 20, 8, 5)),
        ("morning", (2026, 11, 25, 9, 0)),
        ("12:30", (2026, 11, 25, 12, 30)),
    ],
)
def test_everyday_forms(typed: str, expected: tuple[int, ...]) -> None:
    got = parse_when(typed, NOW)
    assert (got.year, got.month, got.day, got.hour, got.minute) == expected


def test_explicit_offset_is_kept() -> None:
    got = parse_when("2026-11-20T08:00+05:30", NOW)
    assert got.utcoffset() == timedelta(hours=5, minutes=30)


@pytest.mark.parametrize("typed", ["tomorrow", "25:00", "13pm", "soonish", "7"])
def test_unreadable(typed: str) -> None:
    with pytest.raises(InvalidInput, match="not a time"):
        parse_when(typed, NOW)


def test_future_is_refused_but_a_minute_of_drift_is_fine() -> None:
    with pytest.raises(InvalidInput, match="future"):
        parse_when("16:00", NOW)
    with pytest.raises(InvalidInput, match="future"):
        parse_when("2027-01-01", NOW)
    ahead = (NOW + timedelta(seconds=50)).isoformat()
    assert parse_when(ahead, NOW) > NOW


def test_days() -> None:
    today = NOW.date()
    assert parse_day("today", today) == today
    assert parse_day("-7d", today) == today - timedelta(days=7)
    assert parse_day("mon", today).isoformat() == "2026-11-23"
    assert parse_day("last wed", today).isoformat() == "2026-11-18"
    with pytest.raises(InvalidInput, match="not a date"):
        parse_day("someday", today)
