"""Other apps' files at their edges: a time the clocks skipped, sleep written as a duration,
a Daylio backup's values of an odd type. Hand-made files in each format's layout."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numbtrack import exchange

from . import daylio_files
from .conftest import run

HWF_HEADER = (
    "Date,Mood,Tags (People),Tags (Places),Tags (Events),Exercise,Sleep,Menstrual,Steps,"
    "Meditation,Weather,Temperature (F),Water (cups),Caffeine (mg),Alcoholic Drinks,Notes,"
    "Reflections,Takeaways"
)
DAYLIO_HEADER = "full_date,date,weekday,time,mood,activities,note_title,note"
BEARABLE_HEADER = "date,date formatted,weekday,time of day,category,rating/amount,detail,notes"

MOVED_ONE = "1 time fell in the hour the clocks skipped and was moved forward an hour: line 3."


@pytest.fixture
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def _file(home: Path, name: str, *lines: str) -> Path:
    """The file `name` beside the data folder (not in it: numbtrack keeps that private)."""
    folder = home.parent / "files"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _hwf(when: str, mood: str = "Numb", sleep: str = "") -> str:
    return f"{when},{mood},,,,,{sleep},,,,,,,,,,,"


def _backup_file(home: Path, data: object) -> Path:
    """`data` as a backup file beside the data folder, packed as Daylio packs it."""
    folder = home.parent / "files"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "backup.daylio"
    path.write_bytes(daylio_files.pack(daylio_files.encode(data)))
    return path


def _backup_without_datetime(home: Path, **fields: object) -> Path:
    """A backup whose second entry has no datetime, only its day and time fields."""
    data = daylio_files.backup()
    entry = {"id": 50, "mood": 1, "tags": [1], "note": "", "note_title": "", "assets": [],
             **fields}  # fmt: skip
    data["dayEntries"].insert(1, entry)
    return _backup_file(home, data)


def _times(runner: CliRunner) -> list[str]:
    r = run(runner, "list", "--json", "--all")
    assert r.exit_code == 0, r.output
    return sorted(c["at"] for c in json.loads(r.stdout))


# -- a time the clocks skipped -------------------------------------------------------------

NEW_YORK_GAP = {
    "HowWeFeelEmotions.csv": (
        HWF_HEADER,
        _hwf("2026 Mon Mar 9 9:00 AM", "Calm"),
        _hwf("2026 Sun Mar 8 2:30 AM"),
    ),
    "daylio.csv": (
        DAYLIO_HEADER,
        "2026-03-09,March 9,Monday,9:00 am,good,work,,",
        "2026-03-08,March 8,Sunday,2:30 am,meh,work,,",
    ),
    "bearable-export.csv": (
        BEARABLE_HEADER,
        '"9th Mar 2026","2026-03-09","Monday","09:00","Mood","6","Calm",""',
        '"8th Mar 2026","2026-03-08","Sunday","02:30","Mood","4","Numb",""',
    ),
}
"""In each CSV format, an ordinary morning, then 02:30 on New York's spring-forward night."""


@pytest.mark.parametrize("zone", ["America/New_York"], indirect=True)
@pytest.mark.parametrize("name", sorted(NEW_YORK_GAP))
def test_a_time_the_clocks_skipped_is_moved_forward_an_hour(
    runner: CliRunner, home: Path, zone: str, name: str
) -> None:
    """02:30 did not exist that night: the wall clock showed 03:30 (EDT), not 01:30 (EST)."""
    path = _file(home, name, *NEW_YORK_GAP[name])
    assert run(runner, "import", str(path)).exit_code == 0
    assert _times(runner) == ["2026-03-08T03:30:00-04:00", "2026-03-09T09:00:00-04:00"]


@pytest.mark.parametrize("zone", ["America/New_York"], indirect=True)
@pytest.mark.parametrize("name", sorted(NEW_YORK_GAP))
@pytest.mark.parametrize("dry_run", [True, False])
def test_the_import_names_the_line_of_a_moved_time(
    runner: CliRunner, home: Path, zone: str, name: str, dry_run: bool
) -> None:
    path = _file(home, name, *NEW_YORK_GAP[name])
    r = run(runner, "import", str(path), *(["--dry-run"] if dry_run else []))
    assert r.exit_code == 0, r.output
    assert MOVED_ONE in r.stdout.splitlines()


@pytest.mark.parametrize("zone", ["America/New_York"], indirect=True)
def test_a_moved_time_keeps_its_id(runner: CliRunner, home: Path, zone: str) -> None:
    """Importing the file again finds the check-in it made (the id is of the Date as written)."""
    path = _file(home, "HowWeFeelEmotions.csv", *NEW_YORK_GAP["HowWeFeelEmotions.csv"])
    run(runner, "import", str(path))
    again = run(runner, "import", str(path))
    assert "0 added, 0 updated, 2 unchanged." in again.stdout


@pytest.mark.parametrize("zone", ["Europe/Helsinki"], indirect=True)
def test_bearables_pre_slot_on_the_night_helsinki_skips_three_oclock(
    runner: CliRunner, home: Path, zone: str
) -> None:
    """`pre` is read as 03:00, which Helsinki skips on 29 March 2026 (03:00 -> 04:00)."""
    path = _file(
        home,
        "bearable-export.csv",
        BEARABLE_HEADER,
        '"28th Mar 2026","2026-03-28","Saturday","pre","Mood","6","Calm",""',
        '"29th Mar 2026","2026-03-29","Sunday","pre","Mood","4","Numb",""',
    )
    r = run(runner, "import", str(path))
    assert MOVED_ONE in r.stdout.splitlines()
    assert _times(runner) == ["2026-03-28T03:00:00+02:00", "2026-03-29T04:00:00+03:00"]


@pytest.mark.parametrize("zone", ["America/New_York"], indirect=True)
def test_a_backup_entry_without_datetime_in_the_gap_is_moved_and_named(
    runner: CliRunner, home: Path, zone: str
) -> None:
    path = _backup_without_datetime(home, year=2026, month=2, day=8, hour=2, minute=30)
    r = run(runner, "import", str(path))
    assert (
        "1 time fell in the hour the clocks skipped and was moved forward an hour: entry 2."
        in r.stdout.splitlines()
    )
    assert "2026-03-08T03:30:00-04:00" in _times(runner)


@pytest.mark.parametrize("zone", ["America/New_York"], indirect=True)
def test_a_repeated_hour_stays_the_first_and_names_nothing(
    runner: CliRunner, home: Path, zone: str
) -> None:
    """01:30 on the night the clocks go back happened twice: the first (EDT), as before."""
    path = _file(home, "HowWeFeelEmotions.csv", HWF_HEADER, _hwf("2026 Sun Nov 1 1:30 AM"))
    r = run(runner, "import", str(path))
    assert "clocks skipped" not in r.stdout
    assert _times(runner) == ["2026-11-01T01:30:00-04:00"]


@pytest.mark.parametrize("zone", ["Australia/Lord_Howe"], indirect=True)
def test_a_half_hour_gap_says_half_an_hour_in_minutes(
    runner: CliRunner, home: Path, zone: str
) -> None:
    """Lord Howe Island skips 02:00-02:30 (4 October 2026)."""
    path = _file(
        home, "HowWeFeelEmotions.csv", HWF_HEADER, _hwf("2026 Sun Oct 4 2:10 AM", "Calm"),
        _hwf("2026 Sun Oct 4 2:20 AM"),
    )  # fmt: skip
    r = run(runner, "import", str(path))
    assert (
        "2 times fell in the 30 minutes the clocks skipped and were moved forward 30 minutes:"
        " line 2, line 3." in r.stdout.splitlines()
    )
    assert _times(runner) == ["2026-10-04T02:40:00+11:00", "2026-10-04T02:50:00+11:00"]


@pytest.mark.parametrize("zone", ["America/New_York"], indirect=True)
def test_many_moved_times_name_twenty_lines_and_count_the_rest(
    runner: CliRunner, home: Path, zone: str
) -> None:
    rows = [_hwf(f"2026 Sun Mar 8 2:{m:02d} AM") for m in range(25)]
    path = _file(home, "HowWeFeelEmotions.csv", HWF_HEADER, *rows)
    r = run(runner, "import", str(path), "--dry-run")
    named = ", ".join(f"line {n}" for n in range(2, 22))
    assert (
        f"25 times fell in the hour the clocks skipped and were moved forward an hour: {named}"
        " and 5 more." in r.stdout.splitlines()
    )


@pytest.mark.parametrize("zone", ["America/New_York"], indirect=True)
@pytest.mark.parametrize("name", sorted(NEW_YORK_GAP))
def test_the_packed_reader_moves_and_names_as_the_usual_one(
    home: Path, zone: str, name: str
) -> None:
    from numbtrack.models import unmark_own
    from numbtrack.store import pack

    path = _file(home, name, *NEW_YORK_GAP[name])
    packed = exchange.stream(path, packed=True)
    rows = list(packed.checkins)
    usual = exchange.load(path)
    assert (rows, packed.report.lines()) == (
        [pack(unmark_own(c)) for c in usual.checkins],
        usual.report.lines(),
    )


@pytest.mark.parametrize("zone", ["America/New_York"], indirect=True)
def test_an_ordinary_file_names_no_moved_time(runner: CliRunner, home: Path, zone: str) -> None:
    path = _file(home, "HowWeFeelEmotions.csv", HWF_HEADER, _hwf("2026 Sun Mar 8 3:30 AM"))
    r = run(runner, "import", str(path), "--dry-run")
    assert "clocks skipped" not in r.stdout


@pytest.mark.parametrize("zone", ["America/New_York"], indirect=True)
def test_log_still_refuses_a_time_the_clocks_skipped(
    runner: CliRunner, home: Path, zone: str
) -> None:
    r = run(runner, "log", "calm", "--at", "2026-03-08 02:30")
    assert (r.exit_code, "did not happen here" in r.stderr) == (2, True)


# -- sleep written as a duration -------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "hours"),
    [("7:30", 7.5), ("7h 30m", 7.5), ("7h", 7.0), ("45m", 0.75), ("7.916666666666667",
     7.916666666666667), ('"6,5"', 6.5)],
)  # fmt: skip
def test_how_we_feel_sleep_as_a_duration_becomes_sleep_hours(
    runner: CliRunner, home: Path, cell: str, hours: float
) -> None:
    path = _file(home, "HowWeFeelEmotions.csv", HWF_HEADER, _hwf("2026 Sun Feb 8 4:04 PM",
                 sleep=cell))  # fmt: skip
    assert run(runner, "import", str(path)).exit_code == 0
    r = run(runner, "list", "--json", "--all")
    assert [c["sleep_hours"] for c in json.loads(r.stdout)] == [hours]


def test_how_we_feel_sleep_of_75_minutes_past_the_hour_is_no_duration(
    runner: CliRunner, home: Path
) -> None:
    path = _file(home, "HowWeFeelEmotions.csv", HWF_HEADER, _hwf("2026 Sun Feb 8 4:04 PM",
                 sleep="7:75"))  # fmt: skip
    r = run(runner, "import", str(path))
    assert (r.exit_code, r.stderr.strip()) == (
        2,
        'Line 2: "7:75" is not a sleep duration like 7:45.',
    )


@pytest.mark.parametrize("cell", ["lots", "7h 75m", "h"])
def test_how_we_feel_sleep_that_is_no_duration_refuses_the_file_naming_the_forms(
    runner: CliRunner, home: Path, cell: str
) -> None:
    path = _file(
        home, "HowWeFeelEmotions.csv", HWF_HEADER, _hwf("2026 Sun Feb 8 4:04 PM", "Calm"),
        _hwf("2026 Sun Feb 8 5:04 PM", sleep=cell),
    )  # fmt: skip
    run(runner, "log", "calm", "-q")
    r = run(runner, "import", str(path))
    assert (r.exit_code, r.stderr.strip()) == (
        2,
        f'Line 3: Sleep should be a number, not "{cell}": hours (7.5) or a duration (7:30, '
        "7h 30m).",
    )
    assert len(json.loads(run(runner, "list", "--json", "--all").stdout)) == 1  # the log's


def test_bearable_sleep_takes_the_same_durations(runner: CliRunner, home: Path) -> None:
    path = _file(
        home,
        "bearable-export.csv",
        BEARABLE_HEADER,
        '"2nd Mar 2024","2024-03-02","Saturday","","Sleep","7:45","",""',
        '"3rd Mar 2024","2024-03-03","Sunday","","Sleep","6h 30m","",""',
    )
    assert run(runner, "import", str(path)).exit_code == 0
    r = run(runner, "list", "--json", "--all")
    assert sorted(c["sleep_hours"] for c in json.loads(r.stdout)) == [6.5, 7.75]


# -- a Daylio backup's values of an odd type -----------------------------------------------


def _backup_with(home: Path, **fields: object) -> Path:
    """A backup whose first entry has these fields (its other entries as they are)."""
    data = daylio_files.backup()
    data["dayEntries"][0].update(fields)
    return _backup_file(home, data)


def _notes(runner: CliRunner) -> list[str]:
    r = run(runner, "list", "--json", "--all")
    return sorted((c["note"] or "") for c in json.loads(r.stdout))


@pytest.mark.parametrize(("note", "text"), [(42, "42"), (3.5, "3.5")])
def test_a_backup_note_that_is_a_number_is_kept_as_its_text(
    runner: CliRunner, home: Path, note: object, text: str
) -> None:
    path = _backup_with(home, note=note, note_title="")
    assert run(runner, "import", str(path)).exit_code == 0
    assert text in _notes(runner)


@pytest.mark.parametrize("field", ["note", "note_title"])
@pytest.mark.parametrize("value", [True, ["a", "b"], {"text": "a"}])
def test_a_backup_note_that_is_no_text_nor_number_is_named_in_the_dry_run(
    runner: CliRunner, home: Path, field: str, value: object
) -> None:
    path = _backup_with(home, **{"note": "", "note_title": "", field: value})
    r = run(runner, "import", str(path), "--dry-run")
    what = "notes" if field == "note" else "note titles"
    assert f"{what} that are not text (1)" in r.stdout


@pytest.mark.parametrize("value", [1674603000000.0, "1674603000000"])
def test_a_backup_datetime_written_as_a_float_or_as_text_is_taken(
    runner: CliRunner, home: Path, value: object
) -> None:
    """The first entry: 23:30 UTC with +02:00 is 01:30 on 25 January 2023."""
    path = _backup_with(home, datetime=value, year=2000, month=0, day=1, hour=0, minute=0)
    r = run(runner, "import", str(path))
    assert "not a number" not in r.stdout
    assert "2023-01-25T01:30:00+02:00" in _times(runner)


def test_a_backup_datetime_that_is_not_a_number_is_named_and_the_fields_used(
    runner: CliRunner, home: Path
) -> None:
    path = _backup_with(home, datetime="soon", year=2023, month=0, day=25, hour=1, minute=30)
    r = run(runner, "import", str(path), "--dry-run")
    assert (
        "datetimes that are not a number (the year, month, day, hour and minute used) (1)"
        in r.stdout
    )


def test_a_backup_datetime_that_is_not_a_number_and_no_fields_is_refused_saying_so(
    runner: CliRunner, home: Path
) -> None:
    data = daylio_files.backup()
    entry = data["dayEntries"][0]
    for key in ("year", "month", "day", "hour", "minute"):
        del entry[key]
    entry["datetime"] = "soon"
    path = _backup_file(home, data)
    r = run(runner, "import", str(path))
    assert (r.exit_code, r.stderr.strip()) == (
        2,
        'Entry 1 (id 4): its datetime "soon" is not a number of milliseconds, and it has no '
        "year, month, day, hour and minute.",
    )


def test_a_backup_offset_that_is_not_a_number_is_named(runner: CliRunner, home: Path) -> None:
    path = _backup_with(home, timeZoneOffset="+2")
    r = run(runner, "import", str(path), "--dry-run")
    assert "time zone offsets that are not a number (read as UTC) (1)" in r.stdout
