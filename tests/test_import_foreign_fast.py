"""The packed readers' shortcuts (a Daylio entry's time without a datetime once its offset
has been met; activities' tags worked out once per id) give what the usual way gives: for
entries of every odd kind placed after ordinary ones, so that the shortcut is the way they
are first tried, and for whole files the usual way reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from numbtrack import exchange
from numbtrack.errors import InvalidInput
from numbtrack.models import unmark_own
from numbtrack.store import pack

from . import daylio_files


def _packed(path: Path) -> list[Any]:
    return list(exchange.stream(path, packed=True).checkins)


def _usual(path: Path) -> list[Any]:
    return [pack(unmark_own(c)) for c in exchange.load(path).checkins]


def _outcome(read: Any) -> object:
    try:
        return read()
    except InvalidInput as exc:
        return exc.message


def _report(path: Path, packed: bool) -> object:
    try:
        s = exchange.stream(path, packed=packed)
        list(s.checkins)
        return s.report.lines()
    except InvalidInput as exc:
        return exc.message


ODD = {
    "a note with a CR": {"note": "one\r\ntwo"},
    "a blank note": {"note": "   "},
    "a NUL in the note": {"note": "a\x00b"},
    "in the future": {"datetime": 4102444800000},
    "before 1900": {"datetime": -2300000000000},
    "the year 9999": {"datetime": 253402300799000},
    "past the year 9999": {"datetime": 253402300800000},
    "milliseconds kept": {"datetime": 1674550757766},
    "no datetime": {"datetime": None, "year": 2023, "month": 0, "day": 5, "hour": 9, "minute": 3},
    "a datetime that is not a number": {"datetime": "soon"},
    "an offset that is not a number": {"timeZoneOffset": "+1"},
    "no mood, tags or note": {"mood": 99, "tags": []},
    "no mood nor tags, a note": {"mood": 99, "tags": [], "note": "only this"},
    "an unknown activity": {"tags": [1, 77]},
    "an activity twice": {"tags": [1, 1, 3]},
    "an activity id true": {"tags": [True, 2]},
    "an activity id that is a list": {"tags": [[1], 2]},
    "tags that are not a list": {"tags": 3},
    "a favourite": {"isFavorite": True},
    "a mood missing from customMoods": {"mood": 42},
    "a bad entry after good ones": {"timeZoneOffset": 10**9},
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_an_odd_entry_after_ordinary_ones_packs_as_the_usual_one(home: Path, name: str) -> None:
    plain = {"id": 9, "datetime": 1674550757000, "timeZoneOffset": 3_600_000, "mood": 1,
             "tags": [1]}  # fmt: skip
    entries = [{**plain, "id": 9 + i, "datetime": plain["datetime"] + i * 3_600_000}
               for i in range(3)]  # fmt: skip
    entries.append({**plain, "id": 20, **ODD[name]})
    entries.append({**plain, "id": 21, "note": "after"})
    data = daylio_files.backup()
    data["tags"].append({"id": 5, "name": "!!", "createdAt": 5})  # no letters: not kept
    data["dayEntries"] = entries
    home.mkdir(parents=True, exist_ok=True)
    path = home / "odd.daylio"
    path.write_bytes(daylio_files.pack(daylio_files.encode(data)))
    assert _outcome(lambda: _packed(path)) == _outcome(lambda: _usual(path))


def test_activities_of_every_kind_report_the_same(home: Path) -> None:
    data = daylio_files.backup()
    data["tags"].append({"id": 5, "name": "!!", "createdAt": 5})
    first = data["dayEntries"][0]
    data["dayEntries"] = [
        {**first, "id": 100 + i, "datetime": first["datetime"] + i * 60_000, "tags": tags}
        for i, tags in enumerate([[1, 5], [5, 5, 2], [77, 1], [], [2, 1], [1, 2], [3, 4, 3]])
    ]
    home.mkdir(parents=True, exist_ok=True)
    path = home / "tags.daylio"
    path.write_bytes(daylio_files.pack(daylio_files.encode(data)))
    assert _report(path, True) == _report(path, False)


def test_offsets_met_one_after_another_pack_as_the_usual_ones(home: Path) -> None:
    data = daylio_files.backup()
    first = data["dayEntries"][0]
    offsets = [3_600_000, -18_000_000, 3_600_000, 19_800_000, -18_000_000, 0, 1500, 1500, 0]
    data["dayEntries"] = [
        {**first, "id": 200 + i, "datetime": first["datetime"] - i * 86_400_000,
         "timeZoneOffset": offset}
        for i, offset in enumerate(offsets)
    ]  # fmt: skip
    home.mkdir(parents=True, exist_ok=True)
    path = home / "offsets.daylio"
    path.write_bytes(daylio_files.pack(daylio_files.encode(data)))
    assert _packed(path) == _usual(path)


ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "America/Sao_Paulo",  # changed at midnight
    "Australia/Lord_Howe",  # half an hour of summer time
    "Europe/Dublin",  # "negative" summer time
    "Pacific/Apia",  # skipped 30 December 2011 whole
    "Asia/Kolkata",
    "Africa/Casablanca",  # summer time paused for Ramadan
)
"""Zones whose changes of offset are of every kind the tz database has."""

PERIODS = (("2011-03-01", 60), ("2011-09-15", 120), ("2011-12-25", 10), ("2020-03-20", 60))


@pytest.fixture
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    import time

    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone", ZONES, indirect=True)
def test_a_days_offset_is_the_one_astimezone_gives_every_time_of_that_day(zone: str) -> None:
    from datetime import date, datetime, timedelta

    from numbtrack.exchange.common import LocalDays

    local = LocalDays()
    wrong = []
    for start, days in PERIODS:
        first = date.fromisoformat(start).toordinal() - date(1970, 1, 1).toordinal()
        for day in range(first, first + days):
            found = local.offset(day)
            if found is None:
                continue
            for minute in range(0, 1440, 10):
                naive = datetime(1970, 1, 1) + timedelta(days=day, minutes=minute)
                aware = naive.astimezone()
                offset = aware.utcoffset()
                assert offset is not None
                fast = (day * 86400 + minute * 60 - found[0], found[0])
                if (int(aware.timestamp()), int(offset.total_seconds())) != fast:
                    wrong.append(naive)
    assert wrong == []


@pytest.mark.parametrize("zone", ZONES[:5], indirect=True)
def test_days_near_a_change_are_left_to_astimezone(zone: str) -> None:
    """Else the test above would not meet a change."""
    from datetime import date

    from numbtrack.exchange.common import LocalDays

    first = date(2011, 1, 1).toordinal() - date(1970, 1, 1).toordinal()
    local = LocalDays()
    assert any(local.offset(day) is None for day in range(first, first + 365))


HWF_HEADER = (
    "Date,Mood,Tags (People),Tags (Places),Tags (Events),Exercise,Sleep,Menstrual,Steps,"
    "Meditation,Weather,Temperature (F),Water (cups),Caffeine (mg),Alcoholic Drinks,Notes,"
    "Reflections,Takeaways"
)


def _how_we_feel_around_changes(path: Path) -> None:
    """A row every 20 minutes of the days around this zone's changes of 2011 and 2021, in the
    app's way of writing a Date, and a few written other ways."""
    from datetime import date, timedelta

    lines = [HWF_HEADER]
    for start, days in (("2011-03-24", 10), ("2011-10-26", 10), ("2021-03-25", 5)):
        for d in range(days):
            day = date.fromisoformat(start) + timedelta(days=d)
            for minute in range(0, 1440, 20):
                hour = minute // 60
                h12 = hour % 12 or 12
                ampm = "PM" if hour >= 12 else "AM"
                when = f"{day.year} {day:%a} {day:%b} {day.day} {h12}:{minute % 60:02d} {ampm}"
                lines.append(f"{when},Calm,,,,,,,,,,,,,,n{minute},,")
    lines += [
        "2021 Sun Mar 28 2:30 am,Numb,,,,,,,,,,,,,,,,",
        "2021 Sun Mar 28 02:30,Numb,,,,,,,,,,,,,,,,",
        "2021  Sun Mar 28 2:30 PM,Numb,,,,,,,,,,,,,,,,",
        "2021 Sun March 28 2:30 PM,Numb,,,,,,,,,,,,,,,,",
        "1899 Sun Mar 28 2:30 PM,Numb,,,,,,,,,,,,,,,,",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("zone", ZONES, indirect=True)
def test_how_we_feel_around_changes_of_offset_packs_as_the_usual_way(home: Path, zone: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "HowWeFeelEmotions.csv"
    _how_we_feel_around_changes(path)
    assert _outcome(lambda: _packed(path)) == _outcome(lambda: _usual(path))


@pytest.mark.parametrize(
    "when",
    ["2026 Sun Feb 30 4:04 PM", "2026 Sun Feb 8 13:04 PM", "2026 Sun Feb 8 4:60 PM",
     "2026 Sun Foo 8 4:04 PM", "2026 Sun Feb 8 0:04 AM", "2026 Sun Feb 8 4:04 XM"],
)  # fmt: skip
def test_a_date_that_is_not_one_is_the_same_sentence(home: Path, when: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "HowWeFeelEmotions.csv"
    good = "2026 Sun Feb 8 4:04 PM,Calm,,,,,,,,,,,,,,,,"
    path.write_text(f"{HWF_HEADER}\n{good}\n{when},Calm,,,,,,,,,,,,,,,,\n", encoding="utf-8")
    assert _outcome(lambda: _packed(path)) == _outcome(lambda: _usual(path))


@pytest.mark.parametrize("zone", ZONES, indirect=True)
def test_daylio_csv_around_changes_of_offset_has_the_times_astimezone_gives(
    home: Path, zone: str
) -> None:
    """A row every 20 minutes of the days around this zone's changes of 2011 and 2021 (and
    Apia's skipped day): each time is what astimezone makes of it, a time the clocks skipped
    moved forward out of the gap (`wall_time`), read packed or not; the reader's own check
    for a gap (the wall-clock time astimezone gave differs) finds every one."""
    from datetime import date, datetime, timedelta

    from numbtrack.exchange.common import wall_time

    lines = ["full_date,date,weekday,time,mood,activities,note_title,note"]
    expected = []
    for start, days in (("2011-03-24", 10), ("2011-10-26", 10), ("2011-12-27", 6),
                        ("2021-03-25", 5)):  # fmt: skip
        for d in range(days):
            day = date.fromisoformat(start) + timedelta(days=d)
            for minute in range(0, 1440, 20):
                clock = f"{minute // 60:02d}:{minute % 60:02d}"
                lines.append(f"{day},{day:%B} {day.day},{day:%A},{clock},meh,,,n{minute}")
                naive = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
                expected.append(wall_time(naive)[0].isoformat())
    home.mkdir(parents=True, exist_ok=True)
    path = home / "daylio.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [c.at.isoformat() for c in exchange.load(path).checkins] == expected
    assert [c[1] for c in _packed(path)] == expected
