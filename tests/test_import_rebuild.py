"""A large import next to the store drops the secondary indexes in its first step and builds
them again after its last (`Store._switch_steps`); whatever happens, the store ends with
every index the migrations make."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from numbtrack.store import IMPORT_STEP, REBUILT_INDEXES, Filter, Store

from .test_exchange import _make_big_export, _one, kill_an_import_after_a_step


def indexes(db: Path) -> dict[str, str]:
    with closing(sqlite3.connect(db)) as conn:
        return dict(
            conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).fetchall()
        )


def test_the_rebuilt_indexes_are_those_the_migrations_make(tmp_path: Path) -> None:
    with Store(tmp_path / "fresh.db"):
        pass
    made = indexes(tmp_path / "fresh.db")
    assert {name: made.get(name) for name, _ in REBUILT_INDEXES} == dict(REBUILT_INDEXES)


def test_a_large_import_into_an_empty_store_leaves_every_index(home: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "fresh.db"):
        pass
    with Store() as store:
        store.put_many(_one(f"n{i}") for i in range(3 * IMPORT_STEP))
    assert indexes(home / "numbtrack.db") == indexes(tmp_path / "fresh.db")


def test_a_large_import_reads_back_as_written(home: Path) -> None:
    written = [_one(f"note {i}", tags=("work",)) for i in range(3 * IMPORT_STEP)]
    with Store() as store:
        store.put_many(written)
        found = store.query(Filter(text="note 2999", tags=("work",)))
    assert [c.note for c in found] == ["note 2999"]


def test_an_import_killed_after_dropping_the_indexes_leaves_them_dropped(
    home: Path, tmp_path: Path
) -> None:
    """The kill really comes while the indexes are out (the next test's premise)."""
    with Store() as store:
        store.add(_one("before"))
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    kill_an_import_after_a_step(home, big)
    assert "checkins_day" not in indexes(home / "numbtrack.db")


def test_the_next_numbtrack_builds_the_indexes_of_an_import_killed_midway(
    home: Path, tmp_path: Path
) -> None:
    with Store(tmp_path / "fresh.db"):
        pass
    with Store() as store:
        store.add(_one("before"))
    big = tmp_path / "big.jsonl"
    _make_big_export(big, 20000)
    kill_an_import_after_a_step(home, big)
    with Store() as store:
        assert store.count() == 1
    assert indexes(home / "numbtrack.db") == indexes(tmp_path / "fresh.db")


def test_an_import_builds_an_index_an_earlier_one_left_out(home: Path) -> None:
    with Store() as store:
        store.add(_one("before"))
    with closing(sqlite3.connect(home / "numbtrack.db")) as raw:
        raw.execute("DROP INDEX tags_tag")
    with Store() as store:
        store.put_many([_one("small import")])
    assert "tags_tag" in indexes(home / "numbtrack.db")
