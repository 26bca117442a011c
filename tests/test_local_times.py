"""Other apps' times without a zone get this machine's offset once a day (`common.local_zone`)
instead of asking the zone for every row: the same datetimes as `astimezone()` every five
minutes (every change is on the hour or half hour) around the offset changes of zones with
DST (also at midnight, by half an hour, a skipped day), and the same check-ins from every
fixture in such a zone."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from numbtrack import exchange
from numbtrack.exchange import common

FIXTURES = Path(__file__).parent / "fixtures"

ZONES = [
    "Europe/Berlin",  # 02:00 -> 03:00, 03:00 -> 02:00
    "America/New_York",
    "America/Sao_Paulo",  # changed at midnight: 00:00 did not exist
    "America/Havana",  # at midnight and 01:00
    "Australia/Lord_Howe",  # by half an hour
    "America/St_Johns",  # a zone of -03:30
    "Pacific/Apia",  # skipped 30 December 2011
    "Asia/Tehran",  # at midnight, until 2022
    "Africa/Casablanca",  # out of DST and back for Ramadan
]


@pytest.fixture
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """This process in another time zone for the test (the day offsets forgotten before and
    after)."""
    name = request.param
    if not Path("/usr/share/zoneinfo", name).exists():
        pytest.skip(f"no tzdata for {name}")
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    common._DAY_ZONES.clear()
    try:
        yield name
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
        common._DAY_ZONES.clear()


def _changes(first: int, last: int) -> list[date]:
    """The days after which the zone's offset at noon is another (from noon to noon)."""
    found = []
    day = date(first, 1, 1)
    noon = datetime(day.year, 1, 1, 12).astimezone().utcoffset()
    while day.year <= last:
        after = day + timedelta(days=1)
        offset = datetime(after.year, after.month, after.day, 12).astimezone().utcoffset()
        if offset != noon:
            found.append(day)
        noon = offset
        day = after
    return found


def _same(day: date, step: int) -> list[str]:
    """The times of `day`, every `step` minutes, where local_time differs from astimezone."""
    wrong = []
    for m in range(0, 24 * 60, step):
        h, minute = divmod(m, 60)
        want = datetime(day.year, day.month, day.day, h, minute).astimezone()
        got = common.local_time(day.year, day.month, day.day, h, minute)
        if (got.isoformat(), got.tzname(), got.timestamp()) != (
            want.isoformat(),
            want.tzname(),
            want.timestamp(),
        ):
            wrong.append(f"{day} {h:02d}:{minute:02d}: {got} != {want}")
    return wrong


@pytest.mark.parametrize("zone", ZONES, indirect=True)
def test_every_five_minutes_around_an_offset_change_are_astimezone_s(zone: str) -> None:
    wrong: list[str] = []
    for day in _changes(2010, 2026):
        wrong += _same(day, 5) + _same(day + timedelta(days=1), 5)
        wrong += _same(day - timedelta(days=1), 30) + _same(day + timedelta(days=2), 30)
    assert wrong == []


@pytest.mark.parametrize("zone", ["Europe/Berlin"], indirect=True)
def test_a_day_with_a_change_is_asked_time_by_time(zone: str) -> None:
    assert common.local_zone(2024, 3, 31) is None


@pytest.mark.parametrize("zone", ["Europe/Berlin"], indirect=True)
def test_a_day_without_a_change_has_one_offset(zone: str) -> None:
    assert common.local_zone(2024, 6, 1) is not None


@pytest.mark.parametrize("zone", ["Europe/Berlin"], indirect=True)
def test_a_date_that_does_not_exist_fails_as_astimezone_does(zone: str) -> None:
    with pytest.raises(ValueError):
        common.local_time(2023, 2, 30, 9, 0)


def _read(path: Path, monkeypatch: pytest.MonkeyPatch, per_row: bool) -> Any:
    if per_row:  # every time asked of the zone, as before
        monkeypatch.setattr(common, "local_zone", lambda *_: None)
    try:
        loaded = exchange.load(path)
        return [(c.id, c.at.isoformat(), c.at.tzname(), c.created_at) for c in loaded.checkins]
    finally:
        monkeypatch.undo()
        common._DAY_ZONES.clear()


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Sao_Paulo"], indirect=True)
@pytest.mark.parametrize(
    "name", sorted(p.name for p in FIXTURES.iterdir() if p.suffix == ".csv" and p.is_file())
)
def test_every_fixture_reads_as_it_did(
    zone: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = FIXTURES / name
    assert _read(path, monkeypatch, per_row=False) == _read(path, monkeypatch, per_row=True)
