"""Other apps' files are read, mapped and checked by a child process too (`exchange._fork`),
which sends the check-ins as it makes them and the report after the last one: the same
check-ins, report, counts and days as reading here, the same sentence naming the same line or
entry, and the summary there even when asked before the check-ins."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from numbtrack import exchange
from numbtrack.errors import InvalidInput
from numbtrack.store import Store

from . import daylio_files

FIXTURES = Path(__file__).parent / "fixtures"

HEADER = (
    "Date,Mood,Tags (People),Tags (Places),Tags (Events),Exercise,Sleep,Menstrual,Steps,"
    "Meditation,Weather,Temperature (F),Water (cups),Caffeine (mg),Alcoholic Drinks,Notes,"
    "Reflections,Takeaways"
)
MOODS = ("Numb;Tired", "Calm", "Panicked;Glimmery", "Anxious;Hopeful", "Meh")


def _how_we_feel(path: Path, n: int, bad: int | None = None) -> None:
    """n rows, a few a month from 2005 on (a Date of row `bad` not a date)."""
    out = io.StringIO(newline="")
    w = csv.writer(out)
    w.writerow(HEADER.split(","))
    for i in range(n):
        day = 1 + i % 28
        month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")[i // 28 % 6]
        when = f"{2005 + i // 168} Mon {month} {day} {1 + i % 12}:{i % 60:02d} PM"
        if i == bad:
            when = "sometime"
        note = f"note {i}" if i % 3 else ""
        w.writerow([when, MOODS[i % 5], "Mom" if i % 2 else "", "", "", str(i % 40), "7.5",
                    "", "", "", "Clear", "", "", "", "", note, "", ""])  # fmt: skip
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def _backup(path: Path, n: int, bad: int | None = None) -> None:
    data = daylio_files.backup()
    first = data["dayEntries"][1]
    entries = []
    for i in range(n):
        e = {**first, "id": 100 + i, "datetime": first["datetime"] - i * 86_400_000}
        e["note"] = f"day {i}" if i % 2 else ""
        e["tags"] = [1 + i % 4]
        if i == bad:
            e["timeZoneOffset"] = 10**9
        entries.append(e)
    data["dayEntries"] = entries
    path.write_bytes(daylio_files.pack(daylio_files.encode(data)))


def _here(path: Path) -> exchange.Stream:
    """The file read in this process, as without a child."""
    ahead = exchange.READ_AHEAD
    exchange.READ_AHEAD = False
    try:
        s = exchange.stream(path, packed=True)
    finally:
        exchange.READ_AHEAD = ahead
    return s


def _summary(s: exchange.Stream) -> tuple[Any, ...]:
    return (s.kind, s.count, s.first, s.last, s.unmapped, s.report.lines())


def _outcome(s: exchange.Stream) -> object:
    try:
        return list(s.checkins)
    except InvalidInput as exc:
        return exc.message


@pytest.fixture(params=["how we feel", "daylio backup"])
def big(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A file of several batches of check-ins."""
    if request.param == "how we feel":
        path = tmp_path / "HowWeFeelEmotions.csv"
        _how_we_feel(path, 2600)
    else:
        path = tmp_path / "big.daylio"
        _backup(path, 2600)
    return path


def test_a_child_reads_another_apps_file(big: Path) -> None:
    s = exchange.stream(big, packed=True)
    assert isinstance(s, exchange._AheadStream)
    list(s.checkins)


def test_the_child_makes_the_check_ins_made_here(big: Path) -> None:
    assert list(exchange.stream(big, packed=True).checkins) == list(_here(big).checkins)


def test_the_child_says_what_is_said_here(big: Path) -> None:
    ahead = exchange.stream(big, packed=True)
    list(ahead.checkins)
    here = _here(big)
    list(here.checkins)
    assert _summary(ahead) == _summary(here)


def test_the_summary_asked_first_keeps_every_check_in(big: Path) -> None:
    ahead = exchange.stream(big, packed=True)
    said = _summary(ahead)  # before any check-in is taken
    assert (said, list(ahead.checkins)) == (_summary(_here(big)), list(_here(big).checkins))


@pytest.mark.parametrize("kind", ["how we feel", "daylio backup"])
def test_a_bad_entry_far_in_is_the_same_sentence(tmp_path: Path, kind: str) -> None:
    if kind == "how we feel":
        path = tmp_path / "HowWeFeelEmotions.csv"
        _how_we_feel(path, 2600, bad=2300)
    else:
        path = tmp_path / "bad.daylio"
        _backup(path, 2600, bad=2300)
    said = _outcome(exchange.stream(path, packed=True))
    try:
        list(_here(path).checkins)
    except InvalidInput as exc:
        assert said == exc.message
    else:
        pytest.fail("the file read here was taken")


@pytest.mark.parametrize("kind", ["how we feel", "daylio backup"])
def test_a_bad_entry_far_in_names_it(tmp_path: Path, kind: str) -> None:
    if kind == "how we feel":
        path = tmp_path / "HowWeFeelEmotions.csv"
        _how_we_feel(path, 2600, bad=2300)
        where = "Line 2302: "
    else:
        path = tmp_path / "bad.daylio"
        _backup(path, 2600, bad=2300)
        where = "Entry 2301 (id 2400): "
    said = _outcome(exchange.stream(path, packed=True))
    assert isinstance(said, str) and said.startswith(where)


def test_a_bad_file_read_ahead_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "HowWeFeelEmotions.csv"
    _how_we_feel(path, 2600, bad=2300)
    s = exchange.stream(path, packed=True)
    with Store() as store, pytest.raises(InvalidInput):
        store.put_many(s.checkins, derived=s.derived, checked=True)
    with Store() as store:
        assert store.count() == 0


def test_a_format_that_does_not_fit_is_the_same_sentence(tmp_path: Path) -> None:
    path = FIXTURES / "daylio_no_title_24h.csv"
    said = _outcome(exchange.stream(path, "howwefeel", packed=True))
    assert said == "Line 1: this is not a How We Feel header (Date, Mood, Tags ...)."


@pytest.mark.parametrize(
    "name", sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".daylio", ".csv"))
)
def test_every_fixture_is_read_ahead(name: str) -> None:
    """Else the tests of packed files would compare this process with itself."""
    s = exchange.stream(FIXTURES / name, packed=True)
    assert isinstance(s, exchange._AheadStream)
    list(s.checkins)
