"""Other apps' files reach the store packed (`store.pack` tuples, as numbtrack's own JSON
Lines and CSV do): the packed readers give exactly what packing the usual check-ins gives,
the same sentence for a bad file, and the same store after an import."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from numbtrack import exchange
from numbtrack.errors import InvalidInput
from numbtrack.models import unmark_own
from numbtrack.store import Store, pack

from . import daylio_files

FIXTURES = Path(__file__).parent / "fixtures"

FOREIGN = sorted(
    p.name for p in FIXTURES.iterdir() if p.suffix in (".daylio", ".csv") and p.is_file()
)

MOOD_MAP = {"rad": "joyful", "good": "content"}


def _packed(path: Path, **kw: Any) -> list[Any]:
    return list(exchange.stream(path, packed=True, **kw).checkins)


def _usual(path: Path, **kw: Any) -> list[Any]:
    return [pack(unmark_own(c)) for c in exchange.load(path, **kw).checkins]


def _outcome(read: Any) -> object:
    try:
        return read()
    except InvalidInput as exc:
        return exc.message


@pytest.mark.parametrize("name", FOREIGN)
def test_a_packed_file_gives_the_usual_check_ins_packed(name: str) -> None:
    path = FIXTURES / name
    assert _packed(path) == _usual(path)


@pytest.mark.parametrize("name", FOREIGN)
def test_the_packed_reader_hands_over_tuples(name: str) -> None:
    """Else the test above would compare the usual way with itself."""
    assert {type(c) for c in _packed(FIXTURES / name)} == {tuple}


@pytest.mark.parametrize("name", [n for n in FOREIGN if "daylio" in n])
def test_a_mood_map_packs_the_same(name: str) -> None:
    path = FIXTURES / name
    assert _packed(path, mood_map=MOOD_MAP) == _usual(path, mood_map=MOOD_MAP)


@pytest.mark.parametrize("name", FOREIGN)
def test_packed_and_usual_streams_count_the_same(name: str) -> None:
    packed = exchange.stream(FIXTURES / name, packed=True)
    usual = exchange.stream(FIXTURES / name)
    list(packed.checkins), list(usual.checkins)
    assert (packed.count, packed.first, packed.last) == (usual.count, usual.first, usual.last)


@pytest.mark.parametrize("name", FOREIGN)
def test_packed_and_usual_reports_are_the_same(name: str) -> None:
    packed = exchange.stream(FIXTURES / name, packed=True)
    assert packed.report.lines() == exchange.load(FIXTURES / name).report.lines()


ODD_ENTRIES = {
    "a note with a CR": {"note": "one\r\ntwo"},
    "a blank note": {"note": "   "},
    "a NUL in the note": {"note": "a\x00b"},
    "in the future": {"datetime": 4102444800000},
    "before 1900": {"datetime": -2300000000000},
    "milliseconds kept": {"datetime": 1674550757766},
    "no datetime": {"datetime": None, "year": 2023, "month": 0, "day": 5, "hour": 9, "minute": 3},
    "an offset with a fraction of a second": {"timeZoneOffset": 1500},
    "an offset of seconds": {"timeZoneOffset": 30_000},
    "no mood, tags or note": {"mood": 99, "tags": []},
    "an unknown activity": {"tags": [1, 77]},
}


@pytest.mark.parametrize("name", sorted(ODD_ENTRIES))
def test_an_odd_backup_entry_packs_as_the_usual_one(home: Path, name: str) -> None:
    entry = {"id": 9, "datetime": 1674550757000, "timeZoneOffset": 3_600_000, "mood": 1}
    entry.update({"tags": [1], **ODD_ENTRIES[name]})
    data = daylio_files.backup()
    data["dayEntries"] = [entry, {**entry, "id": 10, "note": "again"}]
    home.mkdir(parents=True, exist_ok=True)
    path = home / "odd.daylio"
    path.write_bytes(daylio_files.pack(daylio_files.encode(data)))
    assert _outcome(lambda: _packed(path)) == _outcome(lambda: _usual(path))


def _rows(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        out = []
        for table in ("checkins", "feelings", "sensations", "practices", "tags", "typed_names"):
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            kept = [c for c in columns if c not in ("pk", "checkin_pk", "checkin_id")]
            ref = "checkin_id" if "checkin_id" in columns else None
            key = f"(SELECT id FROM checkins c WHERE c.pk = {table}.checkin_pk)"
            who = ref or (key if "checkin_pk" in columns else "''")
            sql = f"SELECT {who}, {', '.join(kept)} FROM {table}"
            out.append((table, sorted(conn.execute(sql).fetchall(), key=repr)))
        return out
    finally:
        conn.close()


@pytest.mark.parametrize("name", FOREIGN)
def test_an_import_of_packed_check_ins_makes_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    stores = []
    for way in ("packed", "usual"):
        folder = tmp_path / way
        monkeypatch.setenv("NUMBTRACK_HOME", str(folder))
        s = exchange.stream(FIXTURES / name, packed=way == "packed")
        with Store() as store:
            store.put_many(s.checkins, derived=s.derived, checked=True)
        stores.append(_rows(folder / "numbtrack.db"))
    assert stores[0] == stores[1]
