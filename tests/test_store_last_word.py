"""`Store.last_non_numb_word`: the "since a non-numb word was last named" line of a week.

It walks back from the day instead of sorting all history (its cost stays flat with history
size); these tests pin down what it finds, at the edges of that walk.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from numbtrack.models import CheckIn, Feeling
from numbtrack.store import Store

DAY = date(2026, 11, 16)
"""The Monday the tests look back from."""


def at(day: date, hour: int, minute: int = 0, offset_hours: float = 1) -> datetime:
    zone = timezone(timedelta(hours=offset_hours))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def add(home: Path, when: datetime, *words: str) -> None:
    with Store() as store:
        store.add(CheckIn(at=when, feelings=tuple(Feeling(w) for w in words)))


def found(before: date = DAY) -> tuple[str, str] | None:
    with Store() as store:
        hit = store.last_non_numb_word(before)
    return (hit[0].isoformat(), hit[1]) if hit else None


def test_the_newest_non_numb_word_before_the_day(home: Path) -> None:
    add(home, at(DAY - timedelta(days=30), 9), "calm")
    add(home, at(DAY - timedelta(days=2), 9), "hopeful", "tired")
    add(home, at(DAY - timedelta(days=1), 9), "numb")
    assert found() == (at(DAY - timedelta(days=2), 9).isoformat(), "tired")


def test_numb_words_alone_are_walked_past_back_to_the_first_year(home: Path) -> None:
    add(home, at(date(1990, 3, 1), 9), "calm")
    for back in range(1, 20):
        add(home, at(DAY - timedelta(days=back), 9), "numb", "flat")
    assert found() == (at(date(1990, 3, 1), 9).isoformat(), "calm")


def test_the_day_itself_does_not_count(home: Path) -> None:
    add(home, at(DAY, 0, 5), "calm")
    assert found() is None


def test_nothing_before_the_history_began(home: Path) -> None:
    add(home, at(DAY, 9), "calm")
    assert found(date(1990, 1, 1)) is None


def test_late_in_the_evening_far_west_of_utc_counts_for_the_day_before(home: Path) -> None:
    # 23:50 at UTC-11 is already 10:50 UTC on the day itself.
    add(home, at(DAY - timedelta(days=1), 23, 50, offset_hours=-11), "calm")
    assert found() == (at(DAY - timedelta(days=1), 23, 50, offset_hours=-11).isoformat(), "calm")


def test_just_after_midnight_far_east_of_utc_is_the_day_itself(home: Path) -> None:
    # 00:10 at UTC+14 is still 10:10 UTC on the day before, but its own day is the day.
    add(home, at(DAY, 0, 10, offset_hours=14), "calm")
    assert found() is None


def test_at_the_same_moment_the_check_in_listed_last_wins(home: Path) -> None:
    moment = at(DAY - timedelta(days=1), 9)
    add(home, moment, "calm")
    add(home, moment, "hopeful")
    with Store() as store:
        listed = store.between(moment.date(), moment.date())
    assert found() == (moment.isoformat(), listed[-1].feelings[-1].word)
