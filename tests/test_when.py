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


# -- everyday phrases (issue 14) -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("last night", (2026, 11, 24, 22, 0)),
        ("this morning", (2026, 11, 25, 9, 0)),
        ("this afternoon", (2026, 11, 25, 15, 0)),
        ("an hour ago", (2026, 11, 25, 14, 0)),
        ("a minute ago", (2026, 11, 25, 14, 59)),
        ("yesterday at 9pm", (2026, 11, 24, 21, 0)),
        ("-1w", (2026, 11, 18, 15, 0)),
        ("1 week ago", (2026, 11, 18, 15, 0)),
        ("2 weeks ago", (2026, 11, 11, 15, 0)),
        ("45 minutes ago", (2026, 11, 25, 14, 15)),
        ("3 hours ago", (2026, 11, 25, 12, 0)),
        ("4 days ago", (2026, 11, 21, 15, 0)),
        ("Nov 23", (2026, 11, 23, 12, 0)),
        ("20 Nov", (2026, 11, 20, 12, 0)),
        ("Fri 20 Nov", (2026, 11, 20, 12, 0)),
        ("Fri 20 Nov 21:30", (2026, 11, 20, 21, 30)),
        ("2026/11/20", (2026, 11, 20, 12, 0)),
        ("last Monday", (2026, 11, 23, 12, 0)),
        ("Monday 9pm", (2026, 11, 23, 21, 0)),
        ("monday at 9pm", (2026, 11, 23, 21, 0)),
        ("23 Nov 2025", (2025, 11, 23, 12, 0)),
        ("November 23, 2025", (2025, 11, 23, 12, 0)),
        ("23rd nov", (2026, 11, 23, 12, 0)),
        ("Dec 24", (2025, 12, 24, 12, 0)),
        ("yesterday evening", (2026, 11, 24, 19, 0)),
    ],
)
def test_everyday_phrases(typed: str, expected: tuple[int, ...]) -> None:
    got = parse_when(typed, NOW)
    assert (got.year, got.month, got.day, got.hour, got.minute) == expected


def test_tonight_before_the_night_means_now() -> None:
    assert parse_when("tonight", NOW) == NOW


def test_tonight_late_means_ten_in_the_evening() -> None:
    late = datetime(2026, 11, 25, 23, 30).astimezone()
    assert parse_when("tonight", late).hour == 22


@pytest.mark.parametrize("typed", ["11/24", "24/11", "11/24/2026", "24.11.2026", "3/4"])
def test_a_date_written_with_slashes_or_dots_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="could be read as day/month or month/day"):
        parse_when(typed, NOW)


@pytest.mark.parametrize("typed", ["11/24", "24/11", "11/24/2026", "24.11.2026"])
def test_the_refusal_suggests_the_date_typed_not_today(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_when(typed, NOW)
    assert 'write it as 2026-11-24 ("24 nov").' in refused.value.message


def test_a_date_that_reads_two_ways_offers_both() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_when("3/4", NOW)
    assert '2026-04-03 ("3 apr") or 2026-03-04 ("4 mar")' in refused.value.message


def test_a_weekday_that_does_not_match_the_date_is_refused() -> None:
    with pytest.raises(InvalidInput, match="20 November 2026 is a Friday, not a Thursday"):
        parse_when("thu 20 nov", NOW)


@pytest.mark.parametrize("typed", ["", "   "])
def test_a_blank_time_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="A time cannot be empty"):
        parse_when(typed, NOW)


def test_a_blank_date_is_refused() -> None:
    with pytest.raises(InvalidInput, match="A date cannot be empty"):
        parse_day(" ", NOW.date())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("20 nov", "2026-11-20"), ("1 week ago", "2026-11-18"), ("-2w", "2026-11-11")],
)
def test_days_in_everyday_words(typed: str, expected: str) -> None:
    assert parse_day(typed, NOW.date()).isoformat() == expected


def test_an_impossible_calendar_date_is_not_read() -> None:
    with pytest.raises(InvalidInput, match="not a time"):
        parse_when("31 nov", NOW)


@pytest.mark.parametrize("typed", ["21h", "9h", "2h", "0h", "23H"])
def test_a_bare_hour_count_that_could_be_a_clock_time_is_asked_about(typed: str) -> None:
    # "21h" is 21:00 in much of the world; it used to be filed 21 hours ago, silently.
    with pytest.raises(InvalidInput, match="hours ago; write"):
        parse_when(typed, NOW)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("-21h", (2026, 11, 24, 18, 0)),
        ("2h ago", (2026, 11, 25, 13, 0)),
        ("30h", (2026, 11, 24, 9, 0)),  # no clock has 30 hours
        ("2 hours", (2026, 11, 25, 13, 0)),
        ("half an hour ago", (2026, 11, 25, 14, 30)),
        ("last evening", (2026, 11, 24, 19, 0)),
    ],
)
def test_spans_and_evenings_that_are_not_ambiguous(typed: str, expected: tuple[int, ...]) -> None:
    got = parse_when(typed, NOW)
    assert (got.year, got.month, got.day, got.hour, got.minute) == expected
