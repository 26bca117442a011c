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
